package io.postway.intake.domain;

/** Checks on client text that goes into header fields and text bodies. */
public final class Texts {

    private Texts() {
    }

    /**
     * A header field value: no CR, LF or NUL (header injection), no other C0 control but TAB, no
     * unpaired surrogate (it could not be encoded faithfully), at most {@code max} characters.
     */
    public static void headerValue(String value, String field, int max) {
        if (value.length() > max) {
            throw SubmissionRefused.invalid(field, "longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw SubmissionRefused.invalid(field, "contains CR or LF (header injection)");
            }
            if (c == 0) {
                throw SubmissionRefused.invalid(field, "contains NUL");
            }
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw SubmissionRefused.invalid(field, "contains a control character");
            }
            checkSurrogate(value, i, field);
        }
    }

    /** A text body: any line ending is dealt with by {@link LineEndings}; NUL and lone surrogates are refused. */
    public static void bodyText(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw SubmissionRefused.invalid(field, "contains NUL");
            }
            if (Character.isSurrogate(c)) { // rare: the full check only then (a body is up to megabytes of chars)
                checkSurrogate(value, i, field);
            }
        }
    }

    /** RFC 5322 2.2 field-name: printable US-ASCII except colon. */
    public static void headerName(String name, String field) {
        if (name.isEmpty() || name.length() > 76) {
            throw SubmissionRefused.invalid(field, "a header name has 1 to 76 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                throw SubmissionRefused.invalid(field, "a header name is printable ASCII without ':' (RFC 5322 2.2)");
            }
        }
    }

    /** The UTF-16 unit at {@code i} is no lone surrogate (it could not be encoded faithfully); also {@link Addresses}' check. */
    static void checkSurrogate(String s, int i, String field) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                throw SubmissionRefused.invalid(field, "contains an unpaired UTF-16 surrogate");
            }
        } else if (Character.isLowSurrogate(c)) {
            if (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1))) {
                throw SubmissionRefused.invalid(field, "contains an unpaired UTF-16 surrogate");
            }
        }
    }
}
