package io.postway.contract.policy;

import java.util.List;
import java.util.function.Function;

/** Every settable field of a policy, by its JSON path in the REST API; the order is the contract's. */
public final class PolicyFields {

    public record Field(String path, Function<PolicyRule, Object> get) {
    }

    public static final List<Field> ALL = List.of(
            new Field("tls.mode", r -> r.tls().mode()),
            new Field("tls.verify", r -> r.tls().verify()),
            new Field("tls.minVersion", r -> r.tls().minVersion()),
            new Field("tls.maxVersion", r -> r.tls().maxVersion()),
            new Field("tls.fallbackToPlaintext", r -> r.tls().fallbackToPlaintext()),
            new Field("tls.implicit", r -> r.tls().implicit()),
            new Field("tls.dane", r -> r.tls().dane()),
            new Field("tls.mtaSts", r -> r.tls().mtaSts()),
            new Field("tls.mtaStsIgnoreReason", r -> r.tls().mtaStsIgnoreReason()),
            new Field("auth.method", r -> r.auth().method()),
            new Field("auth.username", r -> r.auth().username()),
            new Field("auth.password", r -> r.auth().passwordEncrypted()),
            new Field("route.smartHost", r -> r.route().smartHost()),
            new Field("route.port", r -> r.route().port()),
            new Field("limits.maxConnections", r -> r.limits().maxConnections()),
            new Field("limits.messagesPerConnection", r -> r.limits().messagesPerConnection()),
            new Field("retry.intervals", r -> r.retry().intervals()),
            new Field("retry.expireAfter", r -> r.retry().expireAfter()));

    private PolicyFields() {
    }

    /**
     * Fields that are complete while {@code null}: a default without a smart host routes by MX,
     * one without credentials authenticates to nobody, one without {@code tls.dane} uses opportunistic DANE,
     * one without {@code tls.mtaSts} honours MTA-STS (a default stored before these extensions stays
     * complete) and gives no reason to ignore it.
     */
    public static boolean nullable(String path) {
        // tls.dane (extension): a default or job written before the field existed means OPPORTUNISTIC (DaneMode.orDefault)
        return path.equals("route.smartHost") || path.equals("auth.username") || path.equals("auth.password")
                || path.equals("tls.dane") || path.equals("tls.mtaSts") || path.equals("tls.mtaStsIgnoreReason");
    }

    /** The MTA-STS choice and its reason travel together: a rule that sets the choice takes both from itself. */
    static boolean isMtaStsChoice(String path) {
        return path.equals("tls.mtaSts") || path.equals("tls.mtaStsIgnoreReason");
    }

    /** The credentials travel together: a rule that sets either takes both from itself (see {@link PolicyResolver}). */
    static boolean isCredential(String path) {
        return path.equals("auth.username") || path.equals("auth.password");
    }
}
