package io.postway.delivery.domain;

/** An exception chain in one line (class and message of each cause), for a diagnosis's detail. */
public final class ErrorChain {

    private ErrorChain() {
    }

    public static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 300; c = c.getCause()) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }
}
