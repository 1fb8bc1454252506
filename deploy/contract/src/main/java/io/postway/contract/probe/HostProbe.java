package io.postway.contract.probe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.postway.contract.policy.TlsVersion;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One host as delivery met it: the address and port it connected to, how far the session got
 * ({@code error} names the step that failed when it did not greet), the EHLO capabilities, and one
 * TLS handshake per version (each alone, TLSv1 to TLSv1.3) when the host offers TLS.
 *
 * @param via        {@code MX}, {@code A} (implicit MX) or {@code SMART_HOST}, as in delivery events
 * @param implicit   the handshakes were TLS from the first byte (the policy's {@code tls.implicit})
 * @param handshakes empty when the host offers no STARTTLS (or did not greet)
 */
public record HostProbe(String host, String ip, int port, String via, boolean implicit, boolean greeted, String error,
                        String greeting, Capabilities capabilities, List<Handshake> handshakes) {

    public HostProbe {
        handshakes = handshakes == null ? List.of() : List.copyOf(handshakes);
    }

    /** Whether a session could start TLS here at all: implicit TLS, or STARTTLS in EHLO. */
    @JsonIgnore
    public boolean offersTls() {
        return greeted && (implicit || capabilities != null && capabilities.starttls());
    }

    /** The versions this host completed a handshake with, ascending. */
    @JsonIgnore
    public List<TlsVersion> acceptedVersions() {
        return handshakes.stream().filter(Handshake::accepted).map(Handshake::version).sorted().toList();
    }

    /** The handshake a session allowing {@code min}–{@code max} would make: the highest accepted version in range. */
    public Optional<Handshake> handshakeWithin(TlsVersion min, TlsVersion max) {
        return handshakes.stream().filter(Handshake::accepted)
                .filter(h -> h.version().compareTo(min) >= 0 && h.version().compareTo(max) <= 0)
                .max(java.util.Comparator.comparing(Handshake::version));
    }

    /**
     * What EHLO said. {@code authAfterTls} is the AUTH list of the EHLO after a successful STARTTLS
     * (some servers offer AUTH only then); {@code ehlo} is the reply's lines as sent.
     */
    public record Capabilities(boolean starttls, List<String> auth, List<String> authAfterTls, Long size,
                               boolean eightBitMime, boolean smtpUtf8, boolean requireTls, List<String> ehlo) {
        public Capabilities {
            auth = auth == null ? List.of() : List.copyOf(auth);
            authAfterTls = authAfterTls == null ? List.of() : List.copyOf(authAfterTls);
            ehlo = ehlo == null ? List.of() : List.copyOf(ehlo);
        }
    }

    /**
     * One handshake offering only {@code version}: accepted (then the protocol, cipher and chain),
     * or {@code failure}, the alert or error that ended it. {@code chainTrusted}: the chain leads to
     * a CA delivery trusts (the JDK's plus {@code POSTWAY_TLS_TRUST}); {@code nameMatches}: the
     * certificate names the host (the MX name, not the address), as delivery's verify HOSTNAME checks.
     */
    public record Handshake(TlsVersion version, boolean accepted, String failure, String protocol, String cipher,
                            List<Certificate> chain, Boolean chainTrusted, String chainProblem, Boolean nameMatches) {
        public Handshake {
            chain = chain == null ? List.of() : List.copyOf(chain);
        }
    }

    /** One certificate of the presented chain, leaf first. */
    public record Certificate(String subject, String issuer, List<String> dnsNames, List<String> ipAddresses,
                              Instant notBefore, Instant notAfter) {
        public Certificate {
            dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
            ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
        }
    }
}
