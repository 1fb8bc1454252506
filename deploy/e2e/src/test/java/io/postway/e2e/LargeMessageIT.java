package io.postway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.postway.testkit.LocalInfra;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message near the 10 MiB limit, with attachments, crosses every topic and leaves whole: the
 * content travels inline, so broker, producers and consumers must all take records of that size.
 * It goes by the local {@code default} policy to the stack's mail catcher.
 */
class LargeMessageIT {

    private static StackFixture stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackFixture.shared();
    }

    @Test
    void aTenMebibyteMessageWithAttachmentsIsDeliveredWhole() throws IOException {
        String marker = UUID.randomUUID().toString();
        Random random = new Random(42);
        byte[] first = new byte[3_700_000];
        byte[] second = new byte[3_700_000];
        random.nextBytes(first);
        random.nextBytes(second);
        Base64.Encoder b64 = Base64.getEncoder();

        String id = given().baseUri(StackFixture.INTAKE).header("Authorization", StackFixture.CLIENT).contentType(ContentType.JSON)
                .body(Map.of(
                        "from", "reports@contoso.test",
                        "to", List.of("archive@large-" + marker.substring(0, 8) + ".test"),
                        "subject", "Quarterly report " + marker,
                        "text", "Two attachments.",
                        "attachments", List.of(
                                Map.of("filename", "a.bin", "contentType", "application/octet-stream", "content", b64.encodeToString(first)),
                                Map.of("filename", "b.bin", "contentType", "application/octet-stream", "content", b64.encodeToString(second)))))
                .post("/v1/messages")
                .then().statusCode(202).extract().path("id");

        JsonNode delivered = stack.awaitEvent(id, "postway.delivery.delivered").get("data");
        assertEquals("DONE", delivered.get("smtp").get("stage").asText());

        Path inbox = Path.of(System.getenv().getOrDefault("POSTWAY_RUN_DIR",
                LocalInfra.repositoryRoot().resolve("deploy/local/.run").toString())).resolve("catcher/inbox");
        String received = await().atMost(Duration.ofSeconds(60)).until(() -> findWith(inbox, marker), Optional::isPresent).get();
        assertTrue(received.length() > 10_000_000, "whole message arrived: " + received.length() + " bytes");
        // the first base64 line of each attachment (57 raw bytes) is in the delivered MIME
        assertTrue(received.contains(b64.encodeToString(java.util.Arrays.copyOf(first, 57))));
        assertTrue(received.contains(b64.encodeToString(java.util.Arrays.copyOf(second, 57))));
    }

    private static Optional<String> findWith(Path inbox, String marker) throws IOException {
        if (!Files.isDirectory(inbox)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".eml")).toList()) {
                if (Files.size(f) > 1_000_000) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    if (text.contains(marker)) {
                        return Optional.of(text);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
