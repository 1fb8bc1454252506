package io.postway.intake.domain;

/** The broker did not acknowledge the message in time, or refused it: nothing was accepted (503, retry later). */
public class NotAcknowledged extends Exception {

    public NotAcknowledged(String message, Throwable cause) {
        super(message, cause);
    }
}
