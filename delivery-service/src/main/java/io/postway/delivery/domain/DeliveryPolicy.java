package io.postway.delivery.domain;

import java.time.Duration;
import java.util.List;

/**
 * The effective policy in force for a job, as the router sends it on {@code mail.outbound}
 * (merged and complete; {@code rule}/{@code version} name the rule that matched).
 */
public record DeliveryPolicy(String rule, long version, Tls tls, Auth auth, Route route, Limits limits, Retry retry) {

    public record Tls(TlsMode mode, TlsVerify verify, String minVersion, String maxVersion,
                      boolean fallbackToPlaintext, boolean implicit) {
    }

    public record Auth(AuthMethod method, String username, String passwordEncrypted) {
        public boolean enabled() {
            return method != null && method != AuthMethod.NONE;
        }
    }

    public record Route(String smartHost, Integer port) {
    }

    public record Limits(int maxConnections, int messagesPerConnection) {
    }

    public record Retry(List<Duration> intervals, Duration expireAfter) {
    }
}
