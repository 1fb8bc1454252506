package io.postway.delivery.domain;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One complete SMTP reply (RFC 5321 4.2): the code, the RFC 3463 enhanced status code when
 * the first line carries one, and the text of all lines.
 */
public record SmtpReply(int code, String enhancedCode, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");

    public static SmtpReply of(List<String> rawLines) {
        if (rawLines.isEmpty()) {
            throw new IllegalArgumentException("empty reply");
        }
        int code = Integer.parseInt(rawLines.get(0).substring(0, 3));
        List<String> texts = rawLines.stream().map(l -> l.length() > 4 ? l.substring(4) : "").toList();
        Matcher m = ENHANCED.matcher(texts.get(0));
        return new SmtpReply(code, m.find() ? m.group(1) : null, texts);
    }

    /** True for a line that is a well-formed reply line: three digits, then space, dash or end. */
    public static boolean isReplyLine(String line) {
        if (line.length() < 3) {
            return false;
        }
        char a = line.charAt(0), b = line.charAt(1), c = line.charAt(2);
        if (a < '2' || a > '5' || b < '0' || b > '9' || c < '0' || c > '9') {
            return false;
        }
        return line.length() == 3 || line.charAt(3) == ' ' || line.charAt(3) == '-';
    }

    /** True when the line ends a (possibly multi-line) reply. */
    public static boolean isLastLine(String line) {
        return line.length() == 3 || line.charAt(3) == ' ';
    }

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean permanentFailure() {
        return code >= 500;
    }

    /** The text as one line, without the enhanced code it starts with. */
    public String text() {
        String joined = String.join(" ", lines);
        if (enhancedCode != null && joined.startsWith(enhancedCode)) {
            joined = joined.substring(enhancedCode.length()).strip();
        }
        return joined;
    }

    @Override
    public String toString() {
        return code + (enhancedCode == null ? "" : " " + enhancedCode) + " " + text();
    }
}
