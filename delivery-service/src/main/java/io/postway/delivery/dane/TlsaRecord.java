package io.postway.delivery.dane;

import java.util.HexFormat;

/**
 * One TLSA record (RFC 6698): certificate usage, selector, matching type and association data.
 * Usable for SMTP (RFC 7672 3.1): DANE-TA(2) and DANE-EE(3) with selector Cert(0) or SPKI(1) and
 * matching type Full(0), SHA2-256(1) or SHA2-512(2) whose data has that digest's length. PKIX-TA(0)
 * and PKIX-EE(1) are not usable for SMTP (RFC 7672 3.1.3), nor are unknown parameters.
 */
public record TlsaRecord(int usage, int selector, int matching, byte[] data) {

    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;

    public boolean usableForSmtp() {
        boolean usageOk = usage == DANE_TA || usage == DANE_EE;
        boolean selectorOk = selector == 0 || selector == 1;
        boolean matchingOk = switch (matching) {
            case 0 -> data.length > 0;
            case 1 -> data.length == 32;
            case 2 -> data.length == 64;
            default -> false;
        };
        return usageOk && selectorOk && matchingOk;
    }

    /** The presentation form {@code 3 1 1 <hex>} (RFC 6698 2.2), lower-case hex, as events and TLS-RPT show it. */
    public String presentation() {
        return usage + " " + selector + " " + matching + " " + HexFormat.of().formatHex(data);
    }

    @Override
    public String toString() {
        return presentation();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord r && r.presentation().equals(presentation());
    }

    @Override
    public int hashCode() {
        return presentation().hashCode();
    }
}
