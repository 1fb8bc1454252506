package io.postway.runtime;

import org.jboss.logging.MDC;

/**
 * Puts the id of the message being worked on into the log context (MDC key {@value #KEY}), which
 * the JSON log prints as a field of every line; {@link #close} restores what was there. Opened where
 * the log calls happen, in try-with-resources: Kafka and Vert.x callbacks run on other threads, which
 * do not inherit the context. Costs one map put and one remove.
 */
public final class MessageLog implements AutoCloseable {

    /** The MDC key; README "Logs and traces" names it for log queries. */
    public static final String KEY = "messageId";

    private final Object previous;

    private MessageLog(Object previous) {
        this.previous = previous;
    }

    /** The message's id in the log context of this thread until {@link #close}; null leaves it unset. */
    public static MessageLog of(String messageId) {
        Object previous = MDC.get(KEY);
        if (messageId == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, messageId);
        }
        return new MessageLog(previous);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
