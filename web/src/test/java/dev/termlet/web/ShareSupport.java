package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.termlet.RefusedException;
import dev.termlet.annotations.Delivery;
import dev.termlet.annotations.OnUser;
import dev.termlet.fileops.FileEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the share tests share: a logged-in owner, the visitor's requests, and a recorder of the share events. */
final class ShareSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private ShareSupport() {}

    /** A browser logged in: its session cookie and CSRF token. */
    record Owner(HttpClient client, WebFixture f, String cookie, String csrf) {
        HttpResponse<String> send(String method, String path, String json) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(path)).header("Cookie", cookie)
                    .header("X-CSRF-Token", csrf);
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Creates a share and returns its JSON (201 expected). */
        JsonNode share(String json) throws Exception {
            HttpResponse<String> r = send("POST", "/api/shares", json);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            return JSON.readTree(r.body());
        }
    }

    static Owner login(WebFixture f, String user, String password) throws Exception {
        HttpClient c = f.client();
        HttpResponse<String> r = c.send(SessionTest.login(f, user, password), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        return new Owner(c, f, cookie.substring(0, cookie.indexOf(';')), JSON.readTree(r.body()).get("csrf").asText());
    }

    /** The path of a share's link, {@code /s/TOKEN}. */
    static String link(JsonNode share) {
        return URI.create(share.get("url").asText()).getPath();
    }

    /** A visitor: an HTTP client and the visit's cookie once there is one. */
    static final class Visitor {
        final HttpClient client;
        final WebFixture f;
        String cookie;

        Visitor(WebFixture f) throws Exception {
            this.f = f;
            this.client = f.client();
        }

        private HttpRequest.Builder req(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(path));
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            return b;
        }

        private <T> HttpResponse<T> keep(HttpResponse<T> r) {
            r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("termlet_share=")).findFirst()
                    .ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
            return r;
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return keep(client.send(req(path).build(), HttpResponse.BodyHandlers.ofString()));
        }

        HttpResponse<String> getHtml(String path) throws IOException, InterruptedException {
            return keep(client.send(req(path).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        HttpResponse<byte[]> bytes(String path) throws IOException, InterruptedException {
            return keep(client.send(req(path).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }

        HttpResponse<String> put(String path, byte[] body) throws IOException, InterruptedException {
            return keep(client.send(req(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        HttpResponse<String> password(String link, String password) throws Exception {
            return keep(client.send(req(link + "/api/auth").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("password", password))))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    /**
     * Records every share event (synchronously, so it is recorded before the answer) by its Syncplify name or its
     * Termlet name, and refuses the before-events named in {@link #refuse}.
     */
    public static final class Recorder {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<ShareEvent> events = new CopyOnWriteArrayList<>();
        final List<FileEvent> files = new CopyOnWriteArrayList<>();
        final Set<String> refuse = ConcurrentHashMap.newKeySet();

        private boolean pre(String name, ShareEvent e) {
            seen.add(name);
            events.add(e);
            if (refuse.contains(name)) {
                throw new RefusedException("not today");
            }
            return true;
        }

        private void post(String name, ShareEvent e) {
            seen.add(name);
            events.add(e);
        }

        @OnUser("BeforeShrCreate")
        public boolean beforeCreate(ShareEvent e) {
            return pre("BeforeShrCreate", e);
        }

        @OnUser(value = "AfterShrCreate", delivery = Delivery.SYNC)
        public void afterCreate(ShareEvent e) {
            post("AfterShrCreate", e);
        }

        @OnUser("BeforeShrAuthRequest")
        public boolean beforeAuth(ShareEvent e) {
            return pre("BeforeShrAuthRequest", e);
        }

        @OnUser(value = "OnShrAuthRequestAllowed", delivery = Delivery.SYNC)
        public void authAllowed(ShareEvent e) {
            post("OnShrAuthRequestAllowed", e);
        }

        @OnUser(value = "OnShrAuthSuccess", delivery = Delivery.SYNC)
        public void authSuccess(ShareEvent e) {
            post("OnShrAuthSuccess", e);
        }

        @OnUser("pre-share-upload")
        public boolean beforeUpload(ShareEvent e) {
            return pre("BeforeShrFileUpload", e);
        }

        @OnUser(value = "share-upload", delivery = Delivery.SYNC)
        public void afterUpload(ShareEvent e) {
            post("AfterShrFileUpload", e);
        }

        @OnUser("BeforeShrFileDownload")
        public boolean beforeDownload(ShareEvent e) {
            return pre("BeforeShrFileDownload", e);
        }

        @OnUser(value = "AfterShrFileDownload", delivery = Delivery.SYNC)
        public void afterDownload(ShareEvent e) {
            post("AfterShrFileDownload", e);
        }

        @OnUser("BeforeShrZipDownload")
        public boolean beforeZip(ShareEvent e) {
            return pre("BeforeShrZipDownload", e);
        }

        @OnUser(value = "AfterShrZipDownload", delivery = Delivery.SYNC)
        public void afterZip(ShareEvent e) {
            post("AfterShrZipDownload", e);
        }

        @OnUser(value = {"download", "upload"}, delivery = Delivery.SYNC)
        public void file(FileEvent e) {
            files.add(e);
        }

        /** @return the names seen since the last call, and forgets them */
        List<String> take() {
            List<String> out = List.copyOf(seen);
            seen.clear();
            return out;
        }

        /** @return the last share event */
        ShareEvent last() {
            return events.get(events.size() - 1);
        }
    }
}
