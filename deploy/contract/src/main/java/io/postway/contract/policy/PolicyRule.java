package io.postway.contract.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A rule as policy-service stores it and publishes it on {@code mail.policy-changes}: an exact
 * domain ({@code fabrikam.com}), a wildcard for its subdomains ({@code *.fabrikam.com}) or {@code
 * default}. A domain rule holds only the fields it sets (the others are {@code null}); {@code
 * default} holds them all. A group left out in JSON reads as a group of nulls. The password exists
 * here only encrypted ({@link io.postway.contract.secret.SecretCipher}).
 */
public record PolicyRule(String rule, long version, Tls tls, Auth auth, Route route, Limits limits, Retry retry,
                         Instant updatedAt, String updatedBy) {

    public static final String DEFAULT = "default";

    public PolicyRule {
        tls = tls == null ? Tls.EMPTY : tls;
        auth = auth == null ? Auth.EMPTY : auth;
        route = route == null ? Route.EMPTY : route;
        limits = limits == null ? Limits.EMPTY : limits;
        retry = retry == null ? Retry.EMPTY : retry;
    }

    /**
     * {@code dane} (extension): DANE for SMTP, {@link DaneMode}; null in a rule that leaves it to {@code default}.
     * {@code mtaSts} (extension): how the domain's published MTA-STS policy (RFC 8461) combines with
     * this rule, {@code null} = {@link MtaStsMode#HONOR}; {@code mtaStsIgnoreReason} is required with
     * {@link MtaStsMode#IGNORE} and recorded in every event it applies to.
     */
    public record Tls(TlsMode mode, TlsVerify verify, TlsVersion minVersion, TlsVersion maxVersion,
                      Boolean fallbackToPlaintext, Boolean implicit, DaneMode dane, MtaStsMode mtaSts,
                      String mtaStsIgnoreReason) {
        public static final Tls EMPTY = new Tls(null, null, null, null, null, null);

        /** The TLS settings without a DANE setting or an MTA-STS choice of their own. */
        public Tls(TlsMode mode, TlsVerify verify, TlsVersion minVersion, TlsVersion maxVersion,
                   Boolean fallbackToPlaintext, Boolean implicit) {
            this(mode, verify, minVersion, maxVersion, fallbackToPlaintext, implicit, null, null, null);
        }

        /** The TLS settings with a DANE setting and no MTA-STS choice of their own. */
        public Tls(TlsMode mode, TlsVerify verify, TlsVersion minVersion, TlsVersion maxVersion,
                   Boolean fallbackToPlaintext, Boolean implicit, DaneMode dane) {
            this(mode, verify, minVersion, maxVersion, fallbackToPlaintext, implicit, dane, null, null);
        }

        /** The TLS settings with an MTA-STS choice and no DANE setting of their own. */
        public Tls(TlsMode mode, TlsVerify verify, TlsVersion minVersion, TlsVersion maxVersion,
                   Boolean fallbackToPlaintext, Boolean implicit, MtaStsMode mtaSts, String mtaStsIgnoreReason) {
            this(mode, verify, minVersion, maxVersion, fallbackToPlaintext, implicit, null, mtaSts, mtaStsIgnoreReason);
        }
    }

    public record Auth(AuthMethod method, String username, String passwordEncrypted) {
        public static final Auth EMPTY = new Auth(null, null, null);

        /** Whether a login is configured at all (a merged policy's method is never null). */
        @JsonIgnore
        public boolean enabled() {
            return method != null && method != AuthMethod.NONE;
        }
    }

    public record Route(String smartHost, Integer port) {
        public static final Route EMPTY = new Route(null, null);
    }

    public record Limits(Integer maxConnections, Integer messagesPerConnection) {
        public static final Limits EMPTY = new Limits(null, null);
    }

    public record Retry(List<Duration> intervals, Duration expireAfter) {
        public static final Retry EMPTY = new Retry(null, null);

        public Retry {
            intervals = intervals == null ? null : List.copyOf(intervals);
        }
    }

    @JsonIgnore
    public boolean isDefault() {
        return DEFAULT.equals(rule);
    }

    public PolicyRule withMeta(long newVersion, Instant at, String by) {
        return new PolicyRule(rule, newVersion, tls, auth, route, limits, retry, at, by);
    }

    public PolicyRule withAuth(Auth newAuth) {
        return new PolicyRule(rule, version, tls, newAuth, route, limits, retry, updatedAt, updatedBy);
    }

    @JsonIgnore
    public boolean passwordSet() {
        return auth.passwordEncrypted() != null;
    }
}
