package io.postway.delivery.smtp;

/** Told how long each send on a pooled session took (connect when the session is new, envelope, data, final reply). */
@FunctionalInterface
public interface SessionObserver {

    SessionObserver NONE = (nanos, succeeded) -> { };

    void sendEnded(long nanos, boolean succeeded);
}
