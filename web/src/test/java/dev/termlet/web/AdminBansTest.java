package dev.termlet.web;

import static dev.termlet.web.AdminAccountsTest.assertProblem;
import static dev.termlet.web.AdminHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protector's bans through the admin API. */
class AdminBansTest {
    @TempDir
    Path data;

    @Test
    void bansListsAndLiftsAddresses() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            HttpResponse<String> made = a.post("/bans", "{\"address\":\"203.0.113.9\",\"seconds\":600}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            assertThat(json(made).get("address").asText()).isEqualTo("203.0.113.9");
            assertThat(a.f.server.protector().check("203.0.113.9")).isPresent();
            JsonNode list = json(a.get("/bans"));
            assertThat(list.findValuesAsText("address")).containsExactly("203.0.113.9");
            assertThat(list.get(0).get("until").asText()).isNotEmpty();

            assertThat(a.delete("/bans/203.0.113.9").statusCode()).isEqualTo(204);
            assertThat(a.f.server.protector().check("203.0.113.9")).isEmpty();
            assertProblem(a.delete("/bans/203.0.113.9"), 404);
            assertProblem(a.delete("/bans/not-an-address"), 400);
            assertProblem(a.post("/bans", "{\"address\":\"nowhere\",\"seconds\":60}"), 400);
            assertProblem(a.post("/bans", "{\"address\":\"203.0.113.9\",\"seconds\":0}"), 400);
            assertProblem(a.post("/bans", "{\"address\":\"203.0.113.9\"}"), 400);
            assertThat(json(a.get("/bans"))).isEmpty();
        }
    }

    @Test
    void aBannedAddressCannotConnectOverSsh() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            // ban an address of this machine other than the one the API is used from
            assertThat(a.post("/bans", "{\"address\":\"127.0.0.2\",\"seconds\":600}").statusCode()).isEqualTo(201);
            try (Socket s = new Socket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                s.connect(new java.net.InetSocketAddress("127.0.0.1", a.f.server.port()));
                s.setSoTimeout(30_000);
                assertThat(s.getInputStream().read()).as("closed before the SSH banner").isEqualTo(-1);
            }
        }
    }
}
