package io.postway.intake.domain;

/** The status projection cannot be reached: the lookup has no answer (503, retry later). */
public class StatusStoreUnavailable extends Exception {

    public StatusStoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
