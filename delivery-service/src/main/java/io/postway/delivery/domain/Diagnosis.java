package io.postway.delivery.domain;

import io.postway.contract.policy.PolicyRule;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Writes the event's {@code diagnosis}: one or two sentences a mail administrator can act on,
 * naming the host, the step and what the policy required. The seed's IIS log said "failed";
 * this says why and what to change.
 */
public final class Diagnosis {

    private Diagnosis() {
    }

    public static String of(SessionFailure f, PolicyRule.Tls tls, PolicyRule.Auth auth) {
        String host = f.host();
        // only the TLS failures name the range: an unusable policy may have no (or a contradictory) one
        Supplier<String> range = () -> TlsVersions.label(tls.minVersion(), tls.maxVersion());
        String step = stepName(f.stage());
        return switch (f.kind()) {
            case TLS_PROTOCOL_VERSION -> "The TLS handshake failed (protocol_version): " + host
                    + " accepts none of " + range.get() + " that the policy allows. "
                    + "Allow its version for this domain or disable TLS for it.";
            case TLS_PEER_CLOSED -> "The TLS handshake failed: " + host
                    + " closed the connection during the handshake (a \"short read\" on its side), "
                    + "which usually means it supports none of " + range.get() + " that the policy allows. "
                    + "Allow an older minVersion for this domain or disable TLS for it.";
            case TLS_HANDSHAKE -> "The TLS handshake with " + host + " failed (" + f.detail()
                    + ") while the policy allowed " + range.get() + ". "
                    + "Check the server's TLS setup, or change the TLS settings of this domain's policy.";
            case TLS_UNTRUSTED -> "The certificate of " + host + " is not trusted (" + f.detail()
                    + ") and the policy requires verify " + tls.verify() + ". "
                    + "Add the issuing CA to POSTWAY_TLS_TRUST, or set verify NONE for this domain.";
            case TLS_EXPIRED -> "The certificate of " + host + " is out of its validity period (" + f.detail()
                    + ") and the policy requires verify " + tls.verify() + ". "
                    + "The receiver must renew its certificate; until then set verify NONE for this domain.";
            case TLS_NAME_MISMATCH -> "The certificate of " + host + " does not name " + host
                    + " (it names " + f.detail() + ") and the policy requires verify HOSTNAME. "
                    + "Fix the server's certificate, or set verify CA for this domain.";
            case STARTTLS_NOT_OFFERED -> host + " does not offer STARTTLS and the policy requires TLS "
                    + "(mode REQUIRED), so nothing was sent. Ask the receiver to enable TLS, "
                    + "or set tls.mode OPPORTUNISTIC or DISABLED for this domain.";
            case STARTTLS_REFUSED -> host + " refused STARTTLS with " + f.reply()
                    + " and the policy requires TLS (mode REQUIRED). The message will be retried; "
                    + "if it persists, set tls.mode OPPORTUNISTIC or DISABLED for this domain.";
            case TLS_REQUIRED_BY_REMOTE -> host + " requires TLS (" + f.reply() + " at the " + step
                    + " step) but the policy disables TLS for this domain. "
                    + "Set tls.mode OPPORTUNISTIC or REQUIRED for it.";
            case AUTH_NOT_OFFERED -> host + " does not offer AUTH " + auth.method()
                    + (f.detail() != null ? " " + f.detail() : "")
                    + ", and the policy requires logging in. "
                    + "Check the method in the policy, or enable TLS for this domain if the server offers AUTH only after STARTTLS.";
            case AUTH_NOT_ENCRYPTED -> "The policy logs in to " + host + " with AUTH " + auth.method()
                    + ", but the session is not encrypted and the policy does not disable TLS, so the "
                    + "credentials were not sent. Make TLS work for this domain (mode REQUIRED), "
                    + "or set tls.mode DISABLED to send them in plaintext deliberately.";
            case AUTH_FAILED -> host + " rejected the login as " + auth.username() + " with " + f.reply()
                    + ". Check the username and password in the policy for this domain.";
            case CONNECTION_REFUSED -> host + " (" + f.detail() + ") refused the connection. "
                    + "Check that the receiver's mail server runs and that the port in the policy is right.";
            case CONNECT_TIMEOUT -> "No connection to " + host + " (" + f.detail() + ") could be made in time: "
                    + "the host is down or a firewall drops the traffic. The message will be retried.";
            case CONNECTION_CLOSED -> host + " closed the connection at the " + step + " step without a reply"
                    + (f.detail() != null ? " (" + f.detail() + ")" : "") + ". The message will be retried.";
            case TIMEOUT -> host + " did not answer within " + f.detail() + " at the " + step
                    + " step: the server is stalled or overloaded. The message will be retried.";
            case GARBAGE_REPLY -> host + " answered the " + step + " step with something that is not SMTP ("
                    + f.detail() + "); the port may serve another protocol. Check the route of this domain's policy.";
            case REPLY -> replyDiagnosis(f, step);
            case NULL_MX -> host + " publishes a null MX record (RFC 7505): it accepts no mail, so the message bounces.";
            case NO_SUCH_DOMAIN -> host + " does not exist in DNS (NXDOMAIN), so the message bounces. Check the recipient address.";
            case NO_ADDRESS -> host + " has neither MX nor A/AAAA records, so the message bounces. Check the recipient address.";
            case MX_HOST_NO_ADDRESS -> "The MX host " + host + " has no A/AAAA record, so no connection could be made to it. "
                    + "The message will be retried; the recipient domain's DNS needs fixing if this persists.";
            case DNS_FAILURE -> "The DNS lookup for " + host + " failed (" + f.detail()
                    + "). The message will be retried; check POSTWAY_DNS_SERVER if it persists.";
            case BUSY -> "All " + f.detail() + " connections to " + host
                    + " allowed by the policy stayed busy; the message will be retried. Raise limits.maxConnections if this persists.";
            case POLICY_UNUSABLE -> "The policy for " + host + " cannot be applied (" + f.detail()
                    + "). Fix the policy; the message will be retried.";
            case MTA_STS_NO_MATCHING_MX -> host + " publishes an MTA-STS policy in mode enforce, and none of its MX hosts ("
                    + f.detail() + ") matches the policy's mx patterns, so nothing was sent. The message will be retried; "
                    + "the domain's MX records or its policy need fixing (or set tls.mtaSts IGNORE with a reason for this domain).";
            case MESSAGE_NOT_7BIT -> "The message cannot be sent as 7-bit MIME, which the SMTP client requires (" + f.detail()
                    + "), so it bounces. Submit it with quoted-printable or base64 content.";
            case DANE_MISMATCH -> "The certificate of " + host + " matches none of its DNSSEC-signed TLSA records (" + f.detail()
                    + "), so nothing was sent (DANE, RFC 7672). The receiver must fix its certificate or its TLSA records; "
                    + "the message will be retried.";
            case DANE_BOGUS -> "The DNSSEC validation of " + host + "'s DANE records failed (" + f.detail()
                    + "), so the host was not used (RFC 7672 2.2). The receiver's DNS needs fixing; the message will be retried.";
            case DANE_LOOKUP_FAILED -> "The DANE look-up for " + host + " failed (" + f.detail()
                    + "), so the host was not used (RFC 7672 2.2). The message will be retried; check the DANE resolver if it persists.";
            case DANE_REQUIRED -> "The policy requires DANE (tls.dane REQUIRED) but " + host + " has no DNSSEC-signed TLSA records ("
                    + f.detail() + "), so nothing was sent. Set tls.dane OPPORTUNISTIC for this domain, or ask the receiver to publish TLSA records.";
            case DANE_UNUSABLE -> "The policy requires DANE (tls.dane REQUIRED) but " + host + " publishes no TLSA record usable for SMTP ("
                    + f.detail() + "), so nothing was sent. Set tls.dane OPPORTUNISTIC for this domain, or ask the receiver for DANE-EE(3) or DANE-TA(2) records.";
        };
    }

    private static String replyDiagnosis(SessionFailure f, String step) {
        SmtpReply r = f.reply();
        String what = switch (f.stage()) {
            case MAIL -> "the sender";
            case RCPT -> "the recipient";
            case DATA -> "the message";
            default -> "the session";
        };
        if (r.transientFailure()) {
            return f.host() + " temporarily refused " + what + " at the " + step + " step with " + r
                    + ". The message will be retried.";
        }
        if (f.stage() == Stage.MAIL || f.stage() == Stage.RCPT || f.stage() == Stage.DATA) {
            return f.host() + " rejected " + what + " at the " + step + " step with " + r
                    + ". The message bounces; the reply says why.";
        }
        return f.host() + " refused the session at the " + step + " step with " + r
                + ". The message will be retried.";
    }

    static String stepName(Stage stage) {
        return switch (stage) {
            case TLS_HANDSHAKE -> "TLS handshake";
            case RCPT -> "RCPT TO";
            case MAIL -> "MAIL FROM";
            default -> stage.name().toUpperCase(Locale.ROOT);
        };
    }

    /** The sentence for a recipient that was delivered: how, so the event says it. */
    public static String delivered(String host, String via, TlsSummary tls, boolean fellBack) {
        String how;
        if (tls != null && tls.used()) {
            how = "over " + tls.protocol() + " (" + tls.cipher() + ")"
                    + (Boolean.TRUE.equals(tls.verified()) ? ", certificate verified" : ", certificate not verified");
        } else if (fellBack) {
            how = "in plaintext after the TLS handshake failed (fallbackToPlaintext)";
        } else {
            how = "in plaintext";
        }
        return "Delivered to " + host + " (" + via + ") " + how + ".";
    }

    /** What the event says about TLS, as far as delivery knows it. */
    public record TlsSummary(boolean used, String protocol, String cipher, Boolean verified) {
    }
}
