package io.postway.intake.domain;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;

import io.postway.contract.policy.Domains;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Address syntax: RFC 5322 parsing is mime4j's; on top of it the rules an outbound relay needs
 * from RFC 5321 (what a remote server will take in MAIL FROM/RCPT TO): an ASCII local part of at
 * most 64 octets, no source route, at most 254 octets in all; the domain must be a mail domain
 * and leaves in the contract's canonical form ({@link Domains#parse}: lower-case A-label, no domain
 * literals, at least two labels), the same form the router and the policies use.
 */
public final class Addresses {

    private static final Pattern ATEXT_LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private Addresses() {
    }

    /** One mailbox, {@code "Name <local@domain>"} or {@code local@domain}. */
    public static Mailbox mailbox(String text, String field) {
        rejectControls(text, field);
        Mailbox parsed;
        try {
            parsed = DefaultAddressParser.DEFAULT.parseMailbox(text);
        } catch (ParseException | RuntimeException e) {
            throw SubmissionRefused.invalid(field, "not an RFC 5322 mailbox: " + shortReason(e));
        }
        return checked(parsed, field);
    }

    /** An address list as in a To/Cc/Bcc header (groups flattened). */
    public static List<Mailbox> mailboxList(String text, String field) {
        rejectControls(text, field);
        AddressList list;
        try {
            list = DefaultAddressParser.DEFAULT.parseAddressList(text);
        } catch (ParseException | RuntimeException e) {
            throw SubmissionRefused.invalid(field, "not an RFC 5322 address list: " + shortReason(e));
        }
        List<Mailbox> out = new ArrayList<>();
        for (Address a : list) {
            if (a instanceof Mailbox m) {
                out.add(checked(m, field));
            } else if (a instanceof Group g) {
                for (Mailbox m : g.getMailboxes()) {
                    out.add(checked(m, field));
                }
            }
        }
        return out;
    }

    /** The addr-spec as it goes into the envelope: the local part as written, the domain canonical. */
    public static String envelopeAddress(Mailbox m) {
        return m.getLocalPart() + "@" + m.getDomain();
    }

    /** The domain of an envelope address, already canonical ({@link #envelopeAddress}). */
    public static String domainOf(String envelopeAddress) {
        return envelopeAddress.substring(envelopeAddress.lastIndexOf('@') + 1);
    }

    private static Mailbox checked(Mailbox m, String field) {
        if (m.getRoute() != null && !m.getRoute().isEmpty()) {
            throw SubmissionRefused.invalid(field, "source routes (@host:) are not accepted");
        }
        String local = m.getLocalPart();
        String domain = m.getDomain();
        if (local == null || local.isEmpty()) {
            throw SubmissionRefused.invalid(field, "the address has no local part");
        }
        if (domain == null || domain.isEmpty()) {
            throw SubmissionRefused.invalid(field, "the address has no domain");
        }
        if (!ATEXT_LOCAL.matcher(local).matches()) {
            throw SubmissionRefused.invalid(field, "the local part must be an ASCII dot-atom (RFC 5321 4.1.2)");
        }
        if (local.length() > 64) {
            throw SubmissionRefused.invalid(field, "the local part is longer than 64 octets (RFC 5321 4.5.3.1.1)");
        }
        String aLabel = aLabelDomain(domain, field);
        if (local.length() + 1 + aLabel.length() > 254) {
            throw SubmissionRefused.invalid(field, "the address is longer than 254 octets");
        }
        return new Mailbox(m.getName(), local, aLabel);
    }

    /** The domain in its canonical form, or refused naming {@code field} with the contract's reason. */
    static String aLabelDomain(String domain, String field) {
        Domains.Parsed parsed = Domains.parse(domain, 2);
        if (!parsed.valid()) {
            throw SubmissionRefused.invalid(field, parsed.problem());
        }
        return parsed.domain();
    }

    private static void rejectControls(String text, String field) {
        if (text == null || text.isBlank()) {
            throw SubmissionRefused.invalid(field, "an address is required");
        }
        if (text.length() > 998) {
            throw SubmissionRefused.invalid(field, "longer than 998 characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw SubmissionRefused.invalid(field, "contains a control character (CR, LF, NUL, ...)");
            }
            Texts.checkSurrogate(text, i, field);
        }
    }

    private static final java.util.regex.Pattern PARSER_POSITION =
            java.util.regex.Pattern.compile("Encountered \"(.*?)\" at line \\d+, column (\\d+)");

    /** The parser's complaint without its grammar dump: what it met and where. */
    private static String shortReason(Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        msg = msg.replaceAll("[\\r\\n\\t]+", " ");
        java.util.regex.Matcher at = PARSER_POSITION.matcher(msg);
        if (at.find()) {
            String met = "<EOF>".equals(at.group(1)) ? "the end" : "'" + at.group(1).trim() + "'";
            return "expected local@domain or Name <local@domain>, found " + met + " at character " + at.group(2);
        }
        return msg.length() > 160 ? msg.substring(0, 160) + "..." : msg;
    }
}
