package io.postway.delivery.smtp;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;
import io.postway.contract.secret.SecretCipher;
import io.postway.delivery.dane.DaneCheck;
import io.postway.delivery.domain.TlsVersions;
import io.postway.delivery.mailclient.VertxMailClient.Transport;

/**
 * How one session is set up. {@code mode} stays the policy's even on a plaintext fallback
 * ({@code tryTls == false}), because it decides whether credentials may travel unencrypted.
 * {@code dane} is the host's DANE verdict ({@link #forHost}); NOT_CHECKED until the host is known.
 */
record SessionSettings(TlsMode mode, boolean tryTls, TlsVerify verify, TlsVersion minVersion, TlsVersion maxVersion,
                       boolean implicit, boolean fallbackToPlaintext, boolean logsIn, AuthMethod authMethod,
                       String username, String password, String heloName, DaneCheck dane) {

    /**
     * The settings the job's policy asks for. The policy is complete (messaging's OutboundJob drops a
     * job whose policy is not) and policy-service validated it; only what would make a session
     * impossible to set up is refused here.
     *
     * @throws IllegalArgumentException when the policy cannot be applied (versions out of order, a
     *         login without a password that opens)
     */
    static SessionSettings of(EffectivePolicy p, SecretCipher passwords, String heloName) {
        return of(p, p.tls(), passwords, heloName);
    }

    /**
     * The settings with {@code tls} in place of the policy's own TLS settings: the policy's as the
     * domain's MTA-STS policy strengthens them ({@code sts.StsDemands#tls}, never weaker).
     */
    static SessionSettings of(EffectivePolicy p, PolicyRule.Tls tls, SecretCipher passwords, String heloName) {
        TlsVersions.between(tls.minVersion(), tls.maxVersion());
        PolicyRule.Auth auth = p.auth();
        String password = null;
        if (auth.enabled()) {
            if (auth.passwordEncrypted() == null) {
                throw new IllegalArgumentException("auth." + auth.method() + " without a password");
            }
            // the contract's rule: the matching rule's name as AAD, else default's (SecretCipher.openFor)
            password = passwords.openFor(p);
        }
        // deploy/docs/contract.md, Policy: fallbackToPlaintext is "OPPORTUNISTIC only" (never with
        // REQUIRED; DISABLED has no TLS to fall back from), so it applies under OPPORTUNISTIC alone
        boolean fallback = tls.mode() == TlsMode.OPPORTUNISTIC && tls.fallbackToPlaintext();
        // the contract's Auth.enabled() is the one answer to "does this session log in"
        return new SessionSettings(tls.mode(), tls.mode() != TlsMode.DISABLED, tls.verify(), tls.minVersion(),
                tls.maxVersion(), tls.implicit(), fallback, auth.enabled(), auth.method(), auth.username(), password,
                heloName, DaneCheck.NOT_CHECKED);
    }

    /**
     * The settings for one host under its DANE verdict. THE place where DANE changes a session (RFC
     * 7672 2.2): when the host publishes secure TLSA records, TLS is mandatory whatever the rule's mode
     * (no plaintext, no fallback), and usable records replace the WebPKI check in the trust manager
     * ({@link DaneCheck#authentication}); the rule's own verify stays enforced where the rule enforced
     * it (REQUIRED), so the session is never weaker than the rule. Without such records the rule
     * applies unchanged.
     */
    SessionSettings forHost(DaneCheck check) {
        if (!check.tlsMandatory()) {
            return new SessionSettings(mode, tryTls, verify, minVersion, maxVersion, implicit, fallbackToPlaintext, logsIn, authMethod,
                    username, password, heloName, check);
        }
        TlsVerify enforced = mode == TlsMode.REQUIRED ? verify : TlsVerify.NONE;
        return new SessionSettings(TlsMode.REQUIRED, true, enforced, minVersion, maxVersion, implicit, false, logsIn, authMethod,
                username, password, heloName, check);
    }

    @Override
    public String toString() {
        // the password never reaches a log line, not even through a debugger's toString
        return "SessionSettings[" + poolKey().replaceAll("\\|-?\\d+$", "") + "]";
    }

    SessionSettings plaintextFallback() {
        return new SessionSettings(mode, false, verify, minVersion, maxVersion, false, false, logsIn, authMethod, username,
                password, heloName, dane);
    }

    /**
     * What the mail client is asked for: no TLS, TLS from the first byte, or STARTTLS as the mode says.
     * THE place that enforces "credentials only over TLS, unless the policy disables TLS": a session
     * that logs in asks for STARTTLS or nothing, so a server that does not offer it gets no
     * credentials (SmtpTrouble names that refusal AUTH_NOT_ENCRYPTED). It is decided here, beside the
     * policy's mode, because only the mode says whether plaintext credentials are allowed; the
     * adapter merely translates each transport to the client's options.
     */
    Transport transport() {
        if (!tryTls) {
            return Transport.PLAINTEXT;
        }
        if (implicit) {
            return Transport.IMPLICIT_TLS;
        }
        return mode == TlsMode.REQUIRED || logsIn ? Transport.STARTTLS_REQUIRED : Transport.STARTTLS_WHEN_OFFERED;
    }

    /** The pool key part: never the password itself, only whether and which identity logs in. */
    String poolKey() {
        return mode + "|" + tryTls + "|" + verify + "|" + minVersion + "|" + maxVersion + "|" + implicit + "|"
                + authMethod + "|" + username + "|" + dane.status() + dane.usable() + "|" + (password == null ? 0 : password.hashCode());
    }
}
