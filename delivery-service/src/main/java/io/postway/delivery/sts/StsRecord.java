package io.postway.delivery.sts;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code _mta-sts.<domain>} TXT record (RFC 8461 3.1): {@code v=STSv1; id=<1-32 alphanumerics>;}. */
final class StsRecord {

    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.-]+=[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");

    private StsRecord() {
    }

    /**
     * The policy id, or empty when the domain has no usable record: records not starting with
     * {@code v=STSv1;} are discarded, and anything but exactly one valid record left means "no
     * policy" (RFC 8461 3.1).
     */
    static Optional<String> id(List<String> txt) {
        List<String> sts = txt.stream().filter(t -> t.startsWith("v=STSv1;") || t.equals("v=STSv1")).toList();
        if (sts.size() != 1) {
            return Optional.empty();
        }
        String id = null;
        for (String field : sts.get(0).split(";")) {
            String f = field.strip();
            if (f.isEmpty()) {
                continue;
            }
            if (!FIELD.matcher(f).matches()) {
                return Optional.empty();
            }
            if (f.startsWith("id=")) {
                id = f.substring(3);
            }
        }
        return id != null && ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }
}
