package io.postway.delivery.messaging;

import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.wire.MailRecords;
import io.postway.delivery.config.DeliveryConfig;
import io.postway.delivery.smtp.Policies;
import io.postway.testkit.LogCapture;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job's policy is the contract's complete policy: one lacking a field is deferred as unusable; only an unidentifiable record is dropped. */
class OutboundJobTest {

    private static OutboundJob job(EffectivePolicy policy) {
        return new OutboundJob("j", "m", "fabrikam.test", "it@contoso.test", List.of("u@fabrikam.test"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), "Subject: x\r\n\r\nx\r\n".getBytes(), policy);
    }

    private static EffectivePolicy without(EffectivePolicy p, PolicyRule.Tls tls, PolicyRule.Limits limits) {
        return new EffectivePolicy(p.rule(), p.version(), tls, p.auth(), p.route(), limits, p.retry());
    }

    @Test
    void aCompletePolicyIsUsableAndOneLackingLimitsOrTlsVersionsIsNot() {
        EffectivePolicy p = Policies.policy().build();
        assertEquals(Optional.empty(), job(p).policyUnusable());
        assertTrue(job(p).retryUsable());
        assertEquals(Optional.of("the policy is incomplete, it lacks limits.maxConnections, limits.messagesPerConnection"),
                job(without(p, p.tls(), null)).policyUnusable());
        var t = p.tls();
        assertEquals(Optional.of("the policy is incomplete, it lacks tls.minVersion, tls.maxVersion"),
                job(without(p, new PolicyRule.Tls(t.mode(), t.verify(), null, null, t.fallbackToPlaintext(), t.implicit()), p.limits()))
                        .policyUnusable());
        assertEquals(Optional.of("the job carries no policy"), job(null).policyUnusable());
        assertFalse(job(null).retryUsable());
        var noIntervals = new EffectivePolicy(p.rule(), p.version(), p.tls(), p.auth(), p.route(), p.limits(),
                new PolicyRule.Retry(List.of(), p.retry().expireAfter()));
        assertEquals(Optional.of("the policy's retry.intervals is empty"), job(noIntervals).policyUnusable());
        assertFalse(job(noIntervals).retryUsable());
    }

    @Test
    void onlyARecordWithoutMessageDomainRecipientsSubmittedAtOrContentIsUnidentifiable() {
        assertEquals(Optional.empty(), job(null).unidentifiable());
        var noRecipients = new OutboundJob("j", "m", "fabrikam.test", "it@contoso.test", List.of(), 1,
                Instant.parse("2026-11-28T10:00:00Z"), "x".getBytes(), Policies.policy().build());
        assertEquals(Optional.of("messageId, domain, submittedAt, recipients and content are required"), noRecipients.unidentifiable());
    }

    /** As the router writes it: wire format 2. */
    private static CompletableFuture<Void> onJob(OutboundJobConsumer consumer, OutboundJob job) {
        return onJob(consumer, job, null);
    }

    private static CompletableFuture<Void> onJob(OutboundJobConsumer consumer, OutboundJob job, OutboundJobConsumer.Source source) {
        MailRecords.Encoded encoded = MailRecords.write(job);
        return consumer.onJob(encoded.headers(), encoded.value(), source);
    }

    @Test
    void theConsumerDropsAnUnidentifiableRecordWithoutDeliveringIt() {
        DeliveryConfig config = (DeliveryConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DeliveryConfig.class},
                (proxy, method, args) -> method.getName().equals("maxInFlight") ? 64
                        : method.getName().equals("instance") ? Optional.of("t") : null);
        // no DeliveryService: a job that got as far as delivery would fail its future
        OutboundJobConsumer consumer = new OutboundJobConsumer(null, config, null, null, HandledJobsTest.inMemory());
        EffectivePolicy p = Policies.policy().build();
        var noDomain = new OutboundJob("j", "m", null, "it@contoso.test", List.of("u@fabrikam.test"), 1,
                Instant.parse("2026-11-28T10:00:00Z"), "x".getBytes(), p);
        CompletableFuture<Void> dropped = onJob(consumer, noDomain);
        assertTrue(dropped.isDone());
        assertFalse(dropped.isCompletedExceptionally());
        CompletableFuture<Void> attempted = onJob(consumer, job(p));
        assertTrue(attempted.isCompletedExceptionally(), "a complete job reaches delivery");
        assertEquals(0, consumer.inFlight());
    }

    @Test
    void theConsumerDropsAJobWhoseJobIdWasHandledAlreadyWithoutDeliveringIt() {
        DeliveryConfig config = (DeliveryConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DeliveryConfig.class},
                (proxy, method, args) -> method.getName().equals("maxInFlight") ? 64
                        : method.getName().equals("instance") ? Optional.of("t") : null);
        HandledJobs handled = HandledJobsTest.inMemory();
        // no DeliveryService: a job that got as far as delivery would fail its future
        OutboundJobConsumer consumer = new OutboundJobConsumer(null, config, null, null, handled);
        OutboundJob job = job(Policies.policy().build());
        handled.remember(job.jobId(), System.currentTimeMillis());
        CompletableFuture<Void> replayed;
        try (LogCapture log = LogCapture.of(OutboundJobConsumer.class.getName(), "messageId")) {
            replayed = onJob(consumer, job, new OutboundJobConsumer.Source(0, 7));
            List<LogCapture.Line> lines = log.containing("was handled already");
            assertEquals(1, lines.size());
            assertEquals("m", lines.get(0).mdc(), "the line names its message in the log context");
        }
        assertNull(MDC.get("messageId"), "the log context is left as it was");
        assertTrue(replayed.isDone());
        assertFalse(replayed.isCompletedExceptionally(), "a handled job is dropped, not delivered again");
        assertEquals(0, consumer.inFlight());
    }
}
