package io.postway.router;

import io.quarkus.scheduler.Scheduled;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The queue's scheduled tasks wait for the application's start: a tick while SmallRye Reactive
 * Messaging still wires its channels created the router's emitters too early (an ERROR
 * {@code SRMSG00019 Unable to connect an emitter} per tick at every start, counted by the drills).
 */
class QueueSchedulerTest {

    @Test
    void everyScheduledTaskIsSkippedUntilTheApplicationRuns() {
        List<Method> tasks = Arrays.stream(QueueScheduler.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Scheduled.class)).toList();

        assertEquals(List.of("refreshGauges", "routeDue"), tasks.stream().map(Method::getName).sorted().toList());
        for (Method task : tasks) {
            assertEquals(Scheduled.ApplicationNotRunning.class, task.getAnnotation(Scheduled.class).skipExecutionIf(), task.getName());
        }
    }
}
