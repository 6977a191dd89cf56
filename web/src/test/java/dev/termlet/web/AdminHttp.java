package dev.termlet.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.termlet.auth.Account;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * A server with the admin API for the admin tests: an API key, an admin account {@code root} (password
 * {@code rootpw}) beside alice and bob, and the JDK's HTTP client sending requests to {@code /api/admin/v1}.
 */
final class AdminHttp implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API = "/api/admin/v1";

    final String key = Web.newAdminKey();
    final WebFixture f;
    final HttpClient client;

    AdminHttp(Path data) throws Exception {
        this.f = WebFixture.start(data, w -> w.adminKey("tests", key));
        f.server.accounts().save(Account.builder("root").password("rootpw".toCharArray())
                .permissions(List.of("admin")).build());
        this.client = f.client();
    }

    /** A request to the API with the API key. */
    HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(f.uri(API + path)).header("Authorization", "Bearer " + key);
    }

    HttpResponse<String> send(HttpRequest r) throws Exception {
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(req(path).build());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return send(req(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> patch(String path, String json) throws Exception {
        return send(req(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> delete(String path) throws Exception {
        return send(req(path).DELETE().build());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        f.close();
    }
}
