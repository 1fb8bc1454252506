package io.postway.delivery.smtp;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.delivery.domain.PolicyPasswords;
import io.postway.delivery.domain.TlsVersions;

/**
 * How one session is set up. {@code mode} stays the policy's even on a plaintext fallback
 * ({@code tryTls == false}), because it decides whether credentials may travel unencrypted.
 */
record SessionSettings(TlsMode mode, boolean tryTls, TlsVerify verify, TlsVersion minVersion, TlsVersion maxVersion,
                       boolean implicit, AuthMethod authMethod, String username, String password,
                       String heloName) {

    /**
     * The settings the job's policy asks for.
     *
     * @throws IllegalArgumentException when the policy cannot be applied (contradictory TLS settings,
     *         versions out of order, a login without a password that opens)
     */
    static SessionSettings of(EffectivePolicy p, PolicyPasswords passwords, String heloName) {
        PolicyRule.Tls tls = p.tls();
        if (tls.mode() == TlsMode.REQUIRED && Boolean.TRUE.equals(tls.fallbackToPlaintext())) {
            throw new IllegalArgumentException("fallbackToPlaintext is not allowed with tls.mode REQUIRED");
        }
        TlsVersions.between(tls.minVersion(), tls.maxVersion());
        PolicyRule.Auth auth = p.auth() == null ? PolicyRule.Auth.EMPTY : p.auth();
        String password = null;
        if (auth.enabled()) {
            if (auth.passwordEncrypted() == null) {
                throw new IllegalArgumentException("auth." + auth.method() + " without a password");
            }
            password = passwords.open(p);
        }
        return new SessionSettings(tls.mode(), tls.mode() != TlsMode.DISABLED, tls.verify(), tls.minVersion(),
                tls.maxVersion(), Boolean.TRUE.equals(tls.implicit()), auth.method(), auth.username(), password, heloName);
    }

    @Override
    public String toString() {
        // the password never reaches a log line, not even through a debugger's toString
        return "SessionSettings[" + poolKey().replaceAll("\\|-?\\d+$", "") + "]";
    }

    SessionSettings plaintextFallback() {
        return new SessionSettings(mode, false, verify, minVersion, maxVersion, false, authMethod, username, password, heloName);
    }

    boolean authEnabled() {
        return authMethod != null && authMethod != AuthMethod.NONE;
    }

    /** The pool key part: never the password itself, only whether and which identity logs in. */
    String poolKey() {
        return mode + "|" + tryTls + "|" + verify + "|" + minVersion + "|" + maxVersion + "|" + implicit + "|"
                + authMethod + "|" + username + "|" + (password == null ? 0 : password.hashCode());
    }
}
