package io.postway.contract;

/**
 * Postway's Kafka topics (deploy/docs/contract.md, "Topics"). A SmallRye channel is named after its
 * topic with {@code .} replaced by {@code -} ({@link #channel}), so {@code application.properties}
 * keys need no quoting, and sets {@code topic=} to the name here.
 */
public final class Topics {

    /** intake → router, key = messageId: an accepted message (envelope, content, client). */
    public static final String SUBMITTED = "mail.submitted";
    /** router → delivery, key = recipient domain: one delivery job under the policy in force. */
    public static final String OUTBOUND = "mail.outbound";
    /** delivery → router, key = messageId: recipients to try again, with why and when. */
    public static final String DEFERRED = "mail.deferred";
    /** intake, router, delivery → anyone, key = messageId: one CloudEvent per recipient per outcome. */
    public static final String DELIVERY_EVENTS = "mail.delivery-events";
    /** policy → router, key = rule, compacted: the latest rule as stored; a tombstone on delete. */
    public static final String POLICY_CHANGES = "mail.policy-changes";
    /** policy → delivery, key = probeId (extension): probe a domain's servers as delivery would reach them. */
    public static final String PROBE_REQUESTS = "mail.probe-requests";
    /** delivery → policy, key = probeId (extension): what each host said, per TLS version. */
    public static final String PROBE_RESULTS = "mail.probe-results";
    /**
     * policy → anyone, key = rule (extension): one CloudEvent per "this override can go" finding of an
     * insecure override's review; not compacted, retention 7 days.
     */
    public static final String POLICY_REVIEWS = "mail.policy-reviews";
    /**
     * delivery → delivery, key = jobId, co-partitioned with {@link #OUTBOUND} (extension): the
     * done-marker of a handled job, so a replayed job is dropped.
     */
    public static final String OUTBOUND_HANDLED = "mail.outbound-handled";

    /** Records up to 20 MiB: a 10 MiB message with its base64 overhead fits (broker, producers, consumers). */
    public static final int MAX_RECORD_BYTES = 20 * 1024 * 1024;

    private Topics() {
    }

    /** The SmallRye channel name of a topic: {@code mail.outbound} → {@code mail-outbound}. */
    public static String channel(String topic) {
        return topic.replace('.', '-');
    }
}
