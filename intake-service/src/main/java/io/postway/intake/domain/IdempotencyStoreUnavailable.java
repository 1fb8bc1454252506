package io.postway.intake.domain;

/** The Idempotency-Key store could not be reached before the submission ran: nothing was accepted (503). */
public class IdempotencyStoreUnavailable extends Exception {

    public IdempotencyStoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
