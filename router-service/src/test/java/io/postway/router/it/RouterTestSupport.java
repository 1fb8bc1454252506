package io.postway.router.it;

import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.wire.MailRecords;
import io.postway.router.RouterService;
import io.postway.router.domain.QueueEntry;
import io.postway.router.infra.PolicyCache;
import io.postway.router.messaging.ChannelAssignments;
import io.postway.router.messaging.DeferredMail;
import io.postway.router.messaging.SubmittedMail;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** What the router's integration tests share: writing inputs and waiting for the router to see them. */
abstract class RouterTestSupport {

    /** The message the tests' records carry (raw; base64 only inside mail.deferred's JSON). */
    static final byte[] CONTENT = "From: it@contoso.com\r\nSubject: test\r\n\r\nhello\r\n"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Inject
    RouterService service;
    @Inject
    @Identifier(ChannelAssignments.NAME)
    ChannelAssignments assignments;
    /** The router's producer; tests can put a faulty one in front of it. */
    @Inject
    ArmableRecordSink sink;

    TestKafka kafka;

    @BeforeEach
    void routerIsRoutingWithADefaultPolicy() {
        kafka = TestKafka.get();
        await().atMost(Duration.ofSeconds(40)).until(() -> service.routing()
                && assignments.joined(RouterTestResource.SUBMITTED) && assignments.joined(RouterTestResource.DEFERRED));
        PolicyRule def = service.policies().snapshot().get("default");
        if (def == null || def.version() != 1) {
            PolicyServiceStub.status = 200;
            publishPolicy("default", TestPolicies.defaultRule(1, "REQUIRED"), 1);
        }
        await().until(() -> service.policies().state() == PolicyCache.State.READY);
    }

    /** Publishes a rule (or a tombstone when json is null) and waits until the cache holds it. */
    void publishPolicy(String rule, String json, long version) {
        kafka.send(RouterTestResource.POLICY_CHANGES, rule, json);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            PolicyRule r = service.policies().snapshot().get(rule);
            return json == null ? r == null : r != null && r.version() == version;
        });
    }

    /** A mail.submitted record as intake writes it: wire format 2. */
    void submit(String messageId, List<String> recipients) {
        kafka.sendMail(RouterTestResource.SUBMITTED, messageId, MailRecords.write(submitted(messageId, recipients)));
    }

    /** A mail.submitted record as intake wrote it before wire format 2: the JSON with base64 content. */
    void submitFormatOne(String messageId, List<String> recipients) {
        kafka.send(RouterTestResource.SUBMITTED, messageId, ContractJson.write(submitted(messageId, recipients)));
    }

    static SubmittedMail submitted(String messageId, List<String> recipients) {
        return new SubmittedMail(messageId, "test", Instant.now().truncatedTo(ChronoUnit.MILLIS), "it@contoso.com", recipients,
                (long) CONTENT.length, CONTENT);
    }

    /** What of a message waits in the queue for a domain (the admin API's view: without content). */
    List<QueueEntry> queued(String messageId, String domain) throws java.sql.SQLException {
        return service.queue().entries(domain).stream().filter(e -> e.messageId().equals(messageId)).toList();
    }

    /** A deferred record as an older delivery wrote it: without nextAttemptAt. */
    void defer(String messageId, String domain, List<String> recipients, int attempt, Instant submittedAt, String diagnosis) {
        defer(messageId, domain, recipients, attempt, submittedAt, diagnosis, null);
    }

    void defer(String messageId, String domain, List<String> recipients, int attempt, Instant submittedAt, String diagnosis,
               Instant nextAttemptAt) {
        kafka.send(RouterTestResource.DEFERRED, messageId, ContractJson.write(new DeferredMail(messageId, domain, "it@contoso.com",
                recipients, attempt, submittedAt, Instant.now().truncatedTo(ChronoUnit.MILLIS), nextAttemptAt, CONTENT,
                diagnosis, "default", 1L)));
    }
}
