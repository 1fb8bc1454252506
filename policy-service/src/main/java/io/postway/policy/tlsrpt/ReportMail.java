package io.postway.policy.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The mail of a report (RFC 8460 §5.3): headers {@code TLS-Report-Domain} and
 * {@code TLS-Report-Submitter}, the subject {@code Report Domain: … Submitter: … Report-ID: <…>},
 * and a {@code multipart/report; report-type="tlsrpt"} body whose second part is the gzipped report
 * ({@code application/tlsrpt+gzip}, base64) named as §5.1 says. CRLF line endings throughout: it is
 * submitted to intake as {@code message/rfc822}.
 */
public final class ReportMail {

    private static final String CRLF = "\r\n";

    private ReportMail() {
    }

    public static byte[] of(String from, String to, String policyDomain, String submitter, String reportId, String filename,
                            byte[] gzipped, ZonedDateTime date) {
        String boundary = "tlsrpt-" + Integer.toHexString(reportId.hashCode()) + "-" + gzipped.length;
        StringBuilder m = new StringBuilder();
        header(m, "From", from);
        header(m, "To", to);
        header(m, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(date));
        header(m, "Subject", "Report Domain: " + policyDomain + " Submitter: " + submitter + " Report-ID: <" + reportId + ">");
        header(m, "TLS-Report-Domain", policyDomain);
        header(m, "TLS-Report-Submitter", submitter);
        header(m, "MIME-Version", "1.0");
        header(m, "Content-Type", "multipart/report; report-type=\"tlsrpt\"; boundary=\"" + boundary + "\"");
        m.append(CRLF).append("This is a multipart message in MIME format.").append(CRLF).append(CRLF);
        m.append("--").append(boundary).append(CRLF);
        header(m, "Content-Type", "text/plain; charset=\"us-ascii\"");
        header(m, "Content-Transfer-Encoding", "7bit");
        m.append(CRLF).append("This is an aggregate TLS report from ").append(submitter)
                .append(" for ").append(policyDomain).append(" (RFC 8460).").append(CRLF).append(CRLF);
        m.append("--").append(boundary).append(CRLF);
        header(m, "Content-Type", "application/tlsrpt+gzip");
        header(m, "Content-Transfer-Encoding", "base64");
        header(m, "Content-Disposition", "attachment; filename=\"" + filename + "\"");
        m.append(CRLF);
        m.append(Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII)).encodeToString(gzipped)).append(CRLF);
        m.append("--").append(boundary).append("--").append(CRLF);
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void header(StringBuilder m, String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(name + " must not contain CR or LF");
        }
        m.append(name).append(": ").append(value).append(CRLF);
    }
}
