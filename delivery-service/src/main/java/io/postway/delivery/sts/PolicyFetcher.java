package io.postway.delivery.sts;

import io.postway.delivery.dns.DnsResolver;
import io.postway.delivery.domain.ErrorChain;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.X509TrustManager;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 3.3): the host name
 * resolved through delivery's own DNS server (the one MX look-ups use), then HTTPS to that address
 * with SNI and Host = the name, the certificate validated against the JDK's CAs plus delivery's
 * trust file and required to name the host (WebPKI). No redirects, only 2xx with
 * {@code text/plain}, at most 64 KiB, within a time bound.
 */
final class PolicyFetcher {

    static final String PATH = "/.well-known/mta-sts.txt";
    static final int MAX_BYTES = 64 * 1024;

    /** Why a fetch failed, with the RFC 8460 result type it reports as. */
    static final class FetchFailed extends Exception {
        final String failureType;

        FetchFailed(String failureType, String why) {
            super(why, null, false, false);
            this.failureType = failureType;
        }
    }

    private final DnsResolver dns;
    private final HttpClient http;
    private final Duration timeout;
    private final int port;

    PolicyFetcher(Vertx vertx, DnsResolver dns, X509TrustManager webPki, Duration timeout, int port) {
        this.dns = dns;
        this.timeout = timeout;
        this.port = port;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true).setVerifyHost(true).setForceSni(true)
                .setTrustOptions(TrustOptions.wrap(webPki))
                .setConnectTimeout((int) timeout.toMillis())
                .setKeepAlive(false)
                .setMaxPoolSize(8));
    }

    /** The policy text, or a failed future with {@link FetchFailed}. */
    Future<String> fetch(String domain) {
        String host = "mta-sts." + domain;
        return dns.addresses(host)
                .recover(t -> Future.failedFuture(new FetchFailed(StsFailures.FETCH_ERROR, host + " did not resolve: " + ErrorChain.describe(t))))
                .compose(ips -> ips.isEmpty()
                        ? Future.failedFuture(new FetchFailed(StsFailures.FETCH_ERROR, host + " has no address"))
                        : get(host, ips.get(0)));
    }

    private Future<String> get(String host, String ip) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(port, ip))
                .setHost(host).setPort(port).setSsl(true).setURI(PATH)
                .setFollowRedirects(false)
                .setTimeout(timeout.toMillis())
                .putHeader("Accept", "text/plain");
        Promise<String> body = Promise.promise();
        http.request(request).compose(req -> req.send()).onFailure(t -> body.tryFail(classify(host, t))).onSuccess(resp -> {
            if (resp.statusCode() / 100 != 2) {
                body.tryFail(new FetchFailed(StsFailures.FETCH_ERROR, "https://" + host + PATH + " answered HTTP " + resp.statusCode()
                        + (resp.statusCode() / 100 == 3 ? " (a redirect, which RFC 8461 3.3 forbids following)" : "")));
                resp.request().reset();
                return;
            }
            String type = resp.getHeader("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).strip().matches("text/plain\\s*(;.*)?")) {
                body.tryFail(new FetchFailed(StsFailures.FETCH_ERROR, "https://" + host + PATH + " answered Content-Type " + type
                        + ", not text/plain"));
                resp.request().reset();
                return;
            }
            Buffer received = Buffer.buffer();
            resp.handler(chunk -> {
                received.appendBuffer(chunk);
                if (received.length() > MAX_BYTES) {
                    body.tryFail(new FetchFailed(StsFailures.FETCH_ERROR, "https://" + host + PATH + " is larger than " + MAX_BYTES + " bytes"));
                    resp.request().reset();
                }
            });
            resp.exceptionHandler(t -> body.tryFail(classify(host, t)));
            resp.endHandler(v -> body.tryComplete(received.toString(StandardCharsets.UTF_8)));
        });
        return body.future();
    }

    /** A certificate the WebPKI refuses (untrusted, expired, not naming the host) is sts-webpki-invalid; anything else a fetch error. */
    private static FetchFailed classify(String host, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateException || c instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return new FetchFailed(StsFailures.WEBPKI_INVALID, "the certificate of " + host + " failed validation: " + ErrorChain.describe(t));
            }
        }
        return new FetchFailed(StsFailures.FETCH_ERROR, "https://" + host + PATH + " could not be fetched: " + ErrorChain.describe(t));
    }

    void close() {
        http.close();
    }
}
