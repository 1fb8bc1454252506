package io.postway.intake.api;

import io.postway.intake.IntakeTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = IntakeTestResource.class, initArgs = @ResourceArg(name = "database", value = "postway_intake_test"))
class BodyLimitTest {

    @TestHTTPResource("/v1/messages")
    URL messages;

    /** Sends only the head of a request declaring {@code length} bytes and reads the answer until the server closes. */
    String answerTo(long length) throws Exception {
        try (Socket s = new Socket("127.0.0.1", messages.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer test-local-key\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n{\"from\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                answer.write(buf, 0, n);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void bodyDeclaredLargerThanTheHttpLimitGetsAProblem413AndTheConnectionCloses() throws Exception {
        String answer = answerTo(50_000_000L); // over quarkus.http.limits.max-body-size (40M)
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("\"status\":413") && answer.contains("\"field\":\"content\""), answer);
    }

    @Test
    void theHttpLimitLeavesOrdinaryRequestsAlone() {
        given().header("Authorization", "Bearer test-local-key").contentType("application/json").body("{\"from\":")
                .post("/v1/messages").then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
    }
}
