package io.postway.delivery.tls;

import java.security.cert.X509Certificate;

/**
 * An authentication of a host's certificate chain that replaces the WebPKI check (DANE TLSA
 * records, package {@code dane}): the trust manager asks it instead of the trust store.
 */
@FunctionalInterface
public interface PinnedAuthentication {

    /** {@code detail}: what matched, or why nothing did (for the diagnosis). */
    record Verdict(boolean matched, String detail) {
    }

    Verdict judge(X509Certificate[] chain);
}
