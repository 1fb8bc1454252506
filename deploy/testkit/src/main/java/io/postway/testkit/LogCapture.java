package io.postway.testkit;

import org.jboss.logging.MDC;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures the records of one log category (debug included) with the value an MDC key had on the
 * thread that logged them: a plain {@link Handler} on the category's logger of JBoss LogManager
 * (what Quarkus logs through, also where the JDK's log manager is not it), called on the logging
 * thread. Close it to remove the handler and restore the level.
 */
public final class LogCapture implements AutoCloseable {

    /** One record: its message (jboss-logging's {@code *f} methods log it formatted) and the MDC value when it was logged. */
    public record Line(String message, Object mdc) {
    }

    private final Logger logger; // held: java.util.logging keeps loggers weakly
    private final Level previousLevel;
    private final Handler handler;
    private final Queue<Line> lines = new ConcurrentLinkedQueue<>();

    private LogCapture(String category, String mdcKey) {
        this.logger = org.jboss.logmanager.Logger.getLogger(category);
        this.previousLevel = logger.getLevel();
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(new Line(r.getMessage(), MDC.get(mdcKey)));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
    }

    /** Captures {@code category} (a logger name, e.g. a class name) with the value of {@code mdcKey}. */
    public static LogCapture of(String category, String mdcKey) {
        return new LogCapture(category, mdcKey);
    }

    /** The captured records whose message contains {@code text}. */
    public List<Line> containing(String text) {
        return lines.stream().filter(l -> l.message() != null && l.message().contains(text)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
