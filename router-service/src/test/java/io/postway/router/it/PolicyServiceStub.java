package io.postway.router.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands in for policy-service's {@code GET /internal/v1/published-policies}; a test decides what it answers. */
public final class PolicyServiceStub {

    static volatile int status = 200;
    static volatile String body = "[]";
    static final AtomicInteger calls = new AtomicInteger();
    private static HttpServer server;

    private PolicyServiceStub() {
    }

    static synchronized String start() throws IOException {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/internal/v1/published-policies", exchange -> {
                calls.incrementAndGet();
                boolean admin = ("Bearer local-admin-key").equals(exchange.getRequestHeaders().getFirst("Authorization"));
                int s = admin ? status : 401;
                byte[] out = (s == 200 ? body : "{\"status\":" + s + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(s, out.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
