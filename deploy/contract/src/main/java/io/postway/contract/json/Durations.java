package io.postway.contract.json;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** ISO-8601 durations as the contract writes them: whole days as {@code P2D}, others as {@code PT15M}. */
public final class Durations {

    private Durations() {
    }

    public static String format(Duration d) {
        if (!d.isZero() && !d.isNegative() && d.getNano() == 0 && d.getSeconds() % 86_400 == 0) {
            return "P" + d.toDays() + "D";
        }
        return d.toString();
    }

    public static Optional<Duration> parse(String text) {
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
