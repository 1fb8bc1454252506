package io.postway.delivery.infra;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;

/**
 * How one session is set up. {@code mode} stays the policy's even on a plaintext fallback
 * ({@code tryTls == false}), because it decides whether credentials may travel unencrypted.
 */
record SessionSettings(TlsMode mode, boolean tryTls, TlsVerify verify, TlsVersion minVersion, TlsVersion maxVersion,
                       boolean implicit, AuthMethod authMethod, String username, String password,
                       String heloName) {

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
