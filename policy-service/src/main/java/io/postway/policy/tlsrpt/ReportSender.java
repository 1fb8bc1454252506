package io.postway.policy.tlsrpt;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Delivers one report to one {@code rua} URI (RFC 8460 §5.3). {@code https:} is a POST of the
 * gzipped report ({@code application/tlsrpt+gzip}) with full certificate validation (the JDK's
 * CAs plus the configured PEM file, host name checked; no redirects followed); a 2xx answer is the
 * acknowledgement. {@code mailto:} goes out through Postway itself: the report mail is submitted to
 * intake as {@code message/rfc822} with the configured client key and an {@code Idempotency-Key}
 * of the report and destination, so a repeat after a lost answer is no second mail; intake's 202
 * is the acknowledgement.
 */
public final class ReportSender {

    /** What one attempt ended with; {@code detail} is stored with it (never a key). */
    public record Result(boolean ok, String detail) {
    }

    /** A report ready to send. */
    public record Outgoing(String reportId, String policyDomain, String filename, byte[] gzipped) {
    }

    private final HttpClient http;
    private final Duration timeout;
    private final String intakeUrl;
    private final Optional<String> intakeKey;
    private final String mailFrom;
    private final String submitter;

    public ReportSender(Optional<Path> trust, Duration timeout, String intakeUrl, Optional<String> intakeKey, String mailFrom,
                        String submitter) {
        this.http = HttpClient.newBuilder().sslContext(sslContext(trust)).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.intakeUrl = intakeUrl.endsWith("/") ? intakeUrl.substring(0, intakeUrl.length() - 1) : intakeUrl;
        this.intakeKey = intakeKey.filter(k -> !k.isBlank());
        this.mailFrom = mailFrom;
        this.submitter = submitter;
    }

    public Result send(String uri, Outgoing report) {
        String lower = uri.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("https://")) {
                return post(URI.create(uri), report);
            }
            if (lower.startsWith("mailto:")) {
                return mail(address(uri), uri, report);
            }
            return new Result(false, "unsupported rua scheme: " + uri);
        } catch (IOException | IllegalArgumentException e) {
            return new Result(false, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }

    private Result post(URI uri, Outgoing report) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/tlsrpt+gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(report.gzipped())).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() / 100 == 2 ? new Result(true, "HTTP " + answer.statusCode())
                : new Result(false, "HTTP " + answer.statusCode() + " " + shorten(answer.body()));
    }

    private Result mail(String to, String uri, Outgoing report) throws IOException, InterruptedException {
        if (intakeKey.isEmpty()) {
            return new Result(false, "no intake client key configured (postway.policy.tls-reports.intake-key)");
        }
        byte[] message = ReportMail.of(mailFrom, to, report.policyDomain(), submitter, report.reportId(), report.filename(),
                report.gzipped(), ZonedDateTime.now(ZoneOffset.UTC));
        URI submit = URI.create(intakeUrl + "/v1/messages?from=" + URLEncoder.encode(mailFrom, StandardCharsets.UTF_8)
                + "&to=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(submit).timeout(timeout)
                .header("Content-Type", "message/rfc822")
                .header("Authorization", "Bearer " + intakeKey.get())
                .header("Idempotency-Key", idempotencyKey(report.reportId(), uri))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() == 202 ? new Result(true, "accepted by intake: " + shorten(answer.body()))
                : new Result(false, "intake answered " + answer.statusCode() + " " + shorten(answer.body()));
    }

    /** The address of a {@code mailto:} URI (RFC 6068): percent-decoded, without its query. */
    static String address(String uri) {
        String rest = uri.substring("mailto:".length());
        int q = rest.indexOf('?');
        // RFC 6068 percent-decoding; a '+' is itself (URLDecoder would make it a space)
        String address = URLDecoder.decode((q >= 0 ? rest.substring(0, q) : rest).replace("+", "%2B"), StandardCharsets.UTF_8).strip();
        if (address.isEmpty() || address.contains(",") || !address.contains("@")) {
            throw new IllegalArgumentException("not one mail address: " + uri);
        }
        return address;
    }

    static String idempotencyKey(String reportId, String uri) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((reportId + "\u0000" + uri).getBytes(StandardCharsets.UTF_8));
            return "tlsrpt-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shorten(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    /** The JDK's trusted CAs plus those of {@code extraPem}. */
    private static SSLContext sslContext(Optional<Path> extraPem) {
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var tm : jdk.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + i++, c);
                    }
                }
            }
            if (extraPem.isPresent()) {
                try (InputStream in = Files.newInputStream(extraPem.get())) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("extra-" + i++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the CAs for TLS-RPT https: reports (" + extraPem.orElse(null) + "): "
                    + e.getMessage(), e);
        }
    }
}
