package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document: served without a login, valid JSON of OpenAPI 3.1, and describing exactly the routes the
 * admin API serves, with every reference resolving.
 */
class AdminOpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    @TempDir
    Path data;

    @Test
    void theDocumentDescribesEveryRouteAndNothingElse() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            HttpResponse<String> r = a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/openapi.json")).build());
            assertThat(r.statusCode()).as("served without credentials").isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("application/json"));
            ObjectMapper strict = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            JsonNode doc = strict.readTree(r.body());
            assertThat(doc.get("openapi").asText()).matches("3\\.1\\.\\d+");
            assertThat(doc.path("info").path("title").asText()).isNotEmpty();
            assertThat(doc.path("info").path("version").asText()).isNotEmpty();
            assertThat(doc.path("servers").get(0).get("url").asText()).isEqualTo("/api/admin/v1");

            Set<String> documented = new TreeSet<>();
            Set<String> operationIds = new HashSet<>();
            for (Map.Entry<String, JsonNode> p : doc.get("paths").properties()) {
                for (Map.Entry<String, JsonNode> op : p.getValue().properties()) {
                    if (!METHODS.contains(op.getKey())) {
                        assertThat(op.getKey()).isIn("parameters", "summary", "description");
                        continue;
                    }
                    documented.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
                    assertThat(operationIds.add(op.getValue().get("operationId").asText())).as("unique operationId")
                            .isTrue();
                    assertThat(op.getValue().get("responses").size()).isPositive();
                    // every path parameter is declared
                    List<String> declared = new ArrayList<>();
                    p.getValue().path("parameters").forEach(x -> declared.add(x.get("name").asText()));
                    op.getValue().path("parameters").forEach(x -> declared.add(x.get("name").asText()));
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(p.getKey());
                    while (m.find()) {
                        assertThat(declared).as(p.getKey()).contains(m.group(1));
                    }
                }
            }
            Set<String> served = new TreeSet<>(a.f.web.adminRoute().routes());
            assertThat(documented).isEqualTo(served);

            // every $ref points into the document
            List<String> refs = new ArrayList<>();
            collectRefs(doc, refs);
            assertThat(refs).isNotEmpty();
            for (String ref : refs) {
                assertThat(ref).startsWith("#/");
                assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
            }
            // the place for shares is kept in the tags
            assertThat(doc.get("tags").findValuesAsText("name")).contains("shares");
        }
    }

    @Test
    void everyEventTypeStreamedIsAServerEvent() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            assertThat(a.f.web.adminRoute().eventTypes()).contains("upload", "auth-success", "connection-closed",
                    "protector-strike", "account-delete", "disconnected")
                    .doesNotContain("type", "rawtype", "command", "exec", "auth-password", "pre-upload");
        }
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            n.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(x -> collectRefs(x, out));
        }
    }
}
