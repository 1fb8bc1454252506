package io.postway.delivery.smtp;

import java.time.Duration;

/** The bounded waits of a session: connect, greeting, each command (and handshake), the reply after DATA. */
public record Timeouts(Duration connect, Duration greeting, Duration command, Duration data) {
}
