package io.postway.policy;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.Domains;
import io.postway.contract.policy.PolicyFields;
import io.postway.contract.policy.PolicyResolution;
import io.postway.contract.policy.PolicyResolver;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.SmartHost;
import io.postway.contract.secret.SecretCipher;
import io.postway.policy.config.PolicyConfig;
import io.postway.policy.domain.BuiltInDefault;
import io.postway.policy.domain.FieldError;
import io.postway.policy.domain.PolicyDiff;
import io.postway.policy.domain.PolicyException;
import io.postway.policy.domain.PolicyException.DefaultBreaksDomains;
import io.postway.policy.domain.OverrideReview;
import io.postway.policy.domain.PolicyInput;
import io.postway.policy.domain.PolicyValidator;
import io.postway.policy.domain.RuleName;
import io.postway.policy.infra.PolicyRepository;
import io.postway.policy.infra.PolicyRepository.LockMode;
import io.postway.policy.infra.ProbeRepository;
import io.postway.policy.infra.Transactions;
import io.postway.policy.messaging.PolicyChangePublisher;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * policy-service — keeps the outbound security policy of every remote domain.
 *
 * <p><b>Reads</b> administrators' REST requests ({@code /v1/policies}, {@code /v1/effective-policy}).
 * <b>Writes</b> the rules, their history and an outbox to PostgreSQL in one transaction per change
 * (infra's {@link Transactions}: this class sees the tables only through {@link PolicyRepository}),
 * and the outbox to the compacted topic {@code mail.policy-changes} (key = rule, tombstone on delete).
 * <b>Decides</b> whether a rule is valid on its own and once merged over {@code default}, whether a
 * change of {@code default} would break a domain (409), which rule matches a domain (exact, longest
 * wildcard, {@code default}) and whether an edit was based on the current version (412).
 * <b>Delegates</b> publishing to {@link PolicyChangePublisher}; applying policies to mail is the
 * router's and delivery's job, which read the topic (or {@code /internal/v1/published-policies}).
 * Remote-login passwords are encrypted on arrival ({@link SecretCipher}) and never leave in clear.
 * Refusals are {@link PolicyException}s; the REST layer turns them into problem responses.
 */
@ApplicationScoped
public class PolicyService {

    private static final Logger LOG = Logger.getLogger(PolicyService.class);

    @Inject
    Transactions transactions;
    @Inject
    PolicyChangePublisher publisher;
    @Inject
    PolicyConfig config;

    private volatile SecretCipher cipher;

    public record PutResult(PolicyRule rule, boolean created) {
    }

    void onStart(@Observes StartupEvent event) {
        cipher = config.secretKeys().map(SecretCipher::fromConfig).orElse(null);
        if (cipher == null) {
            LOG.warn("POSTWAY_SECRET_KEYS is not set: policies with a remote-login password cannot be saved");
        }
        seedDefault();
        if (config.publisher().resyncOnStart()) {
            resync();
        }
        publisher.start();
    }

    /**
     * Queues the current value of every rule once more. The outbox alone repairs a crash of this
     * service; this repairs a topic that lost its data while the database kept it (a broker whose
     * log directory was reset), at the cost of one duplicate record per rule per start.
     */
    public void resync() {
        int n = transactions.inTransaction(tables -> {
            List<PolicyRule> rules = tables.findAll();
            rules.forEach(tables::queueChange);
            return rules.size();
        });
        LOG.infof("queued the current value of %d rule(s) for publishing", n);
    }

    /** Creates {@code default} with the built-in values the first time the database is used. */
    void seedDefault() {
        String smartHost = config.seed().localSmartHost() ? localSmartHost() : null;
        transactions.inTransaction(tables -> {
            if (tables.find(PolicyRule.DEFAULT, LockMode.NONE).isPresent()) {
                return null;
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            PolicyRule d = BuiltInDefault.create(smartHost, now, "system");
            if (tables.insert(d)) {
                tables.addHistory(d.rule(), d.version(), "CREATED", PolicyDiff.between(null, d), now, "system");
                tables.queueChange(d);
                LOG.infof("created the default policy (smart host: %s)", smartHost == null ? "none, MX routing" : smartHost);
            }
            return null;
        });
    }

    private static String localSmartHost() {
        String wanted = BuiltInDefault.localSmartHost(System.getenv("POSTWAY_LOCAL_SMART_HOST"));
        return wanted == null ? null : SmartHost.normalize(wanted)
                .orElseThrow(() -> new IllegalStateException("POSTWAY_LOCAL_SMART_HOST is not host:port: " + wanted));
    }

    public PutResult put(String rawRule, PolicyInput input, String ifMatch, String actor) {
        RuleName name = parseRule(rawRule);
        for (int attempt = 0; ; attempt++) {
            PutResult result = transactions.inTransaction(tables -> putOnce(tables, name, input, ifMatch, actor));
            if (result != null) {
                if (result.rule() != null) {
                    publisher.nudge();
                }
                return result;
            }
            if (attempt == 3) {
                throw new IllegalStateException("rule " + name + " keeps being created concurrently");
            }
        }
    }

    /** What a change would store, and the rules it is checked against; not yet validated. */
    private record Prepared(PolicyRule defaults, Optional<PolicyRule> current, PolicyRule candidate) {
    }

    private Prepared prepare(PolicyRepository tables, RuleName name, PolicyInput input, String ifMatch) {
        String rule = name.value();
        PolicyRule defaults = tables.find(PolicyRule.DEFAULT, name.isDefault() ? LockMode.UPDATE : LockMode.SHARE)
                .orElseThrow(() -> new IllegalStateException("the default policy is missing"));
        Optional<PolicyRule> current = name.isDefault() ? Optional.of(defaults) : tables.find(rule, LockMode.UPDATE);
        checkIfMatch(rule, current, ifMatch);

        PolicyRule f = input.fields();
        PolicyRule candidate = new PolicyRule(rule, 0, f.tls(), f.auth(), f.route(), f.limits(), f.retry(), null, null);
        candidate = candidate.withAuth(new PolicyRule.Auth(f.auth().method(), f.auth().username(),
                passwordFor(rule, input, candidate, current.orElse(null))));
        return new Prepared(defaults, current, candidate);
    }

    private PutResult putOnce(PolicyRepository tables, RuleName name, PolicyInput input, String ifMatch, String actor) {
        String rule = name.value();
        Prepared p = prepare(tables, name, input, ifMatch);
        PolicyRule defaults = p.defaults();
        Optional<PolicyRule> current = p.current();
        PolicyRule candidate = p.candidate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        List<FieldError> errors = new ArrayList<>(PolicyValidator.validate(candidate, defaults));
        errors.addAll(reviewDueErrors(tables, name.value(), input, now));
        if (!errors.isEmpty()) {
            throw new PolicyException.InvalidPolicy(errors);
        }
        if (name.isDefault()) {
            refuseIfDomainsBreak(tables, candidate);
        }
        if (current.isPresent() && sameFields(current.get(), candidate)) {
            keepReview(tables, current.get(), defaults, input, now);
            return new PutResult(current.get(), false);
        }
        long version = Math.max(current.map(PolicyRule::version).orElse(0L), tables.lastVersion(rule)) + 1;
        PolicyRule stored = candidate.withMeta(version, now, actor);
        if (current.isEmpty()) {
            if (!tables.insert(stored)) {
                return null; // created by a concurrent request since we looked: start over
            }
        } else {
            tables.update(stored);
        }
        tables.addHistory(rule, version, current.isEmpty() ? "CREATED" : "UPDATED",
                PolicyDiff.between(current.orElse(null), stored), now, actor);
        tables.queueChange(stored);
        if (name.isDefault()) {
            // a new default changes which domain rules weaken TLS below it
            PolicyInput keep = new PolicyInput(new PolicyRule(PolicyRule.DEFAULT, 0, null, null, null, null, null, null, null), null);
            tables.findAll().stream().filter(r -> !r.isDefault()).forEach(r -> keepReview(tables, r, stored, keep, now));
        } else {
            keepReview(tables, stored, defaults, input, now);
        }
        return new PutResult(stored, current.isEmpty());
    }

    /** A new review date must lie ahead; the one the rule has may be sent back as it is (a GET body, overdue or not). */
    private static List<FieldError> reviewDueErrors(PolicyRepository tables, String rule, PolicyInput input, Instant now) {
        if (input.reviewDue() == null || input.reviewDue().isAfter(now)
                || tables.probes().review(rule).map(r -> r.dueAt().equals(input.reviewDue())).orElse(false)) {
            return List.of();
        }
        return List.of(new FieldError("review.due", "must be in the future"));
    }

    /**
     * A rule that weakens TLS below default carries a review date: the one asked for, else the one
     * it has, else the default period from now. A rule that no longer weakens loses its review.
     */
    private void keepReview(PolicyRepository tables, PolicyRule rule, PolicyRule defaults, PolicyInput input, Instant now) {
        List<String> weakens = OverrideReview.weakenings(rule, defaults);
        ProbeRepository probes = tables.probes();
        if (weakens.isEmpty()) {
            probes.deleteReview(rule.rule());
            return;
        }
        Instant due = input.reviewDue() != null ? input.reviewDue().truncatedTo(ChronoUnit.MILLIS)
                : probes.review(rule.rule()).map(ProbeRepository.ReviewRow::dueAt)
                .orElse(now.plus(config.review().defaultPeriod()));
        probes.upsertReview(rule.rule(), due, weakens);
    }

    /**
     * A change as {@code ?dryRun=true} shows it: the rule it would store, every validation error
     * (none thrown), for {@code default} the domain rules it would break, and for an exact domain
     * the merged policy and the newest answered probe of the domain. Nothing is written.
     */
    public record DryRun(PolicyRule rule, List<FieldError> errors, List<DefaultBreaksDomains.Conflict> conflicts,
                         PolicyResolution effective, ProbeRepository.ProbeRow probe, Instant reviewDue, List<String> weakens) {
    }

    public DryRun dryRun(String rawRule, PolicyInput input, String ifMatch) {
        RuleName name = parseRule(rawRule);
        return transactions.inTransaction(tables -> {
            Prepared p = prepare(tables, name, input, ifMatch);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<FieldError> errors = new ArrayList<>(PolicyValidator.validate(p.candidate(), p.defaults()));
            errors.addAll(reviewDueErrors(tables, name.value(), input, now));
            List<DefaultBreaksDomains.Conflict> conflicts = name.isDefault() ? conflicts(tables, p.candidate()) : List.of();
            long version = p.current().map(PolicyRule::version).orElse(0L);
            boolean changes = p.current().isEmpty() || !sameFields(p.current().get(), p.candidate());
            PolicyRule shown = p.candidate().withMeta(changes ? version + 1 : version, changes ? now : p.current().get().updatedAt(),
                    changes ? null : p.current().get().updatedBy());
            PolicyResolution effective = null;
            ProbeRepository.ProbeRow probe = null;
            Instant reviewDue = null;
            List<String> weakens = errors.isEmpty() ? OverrideReview.weakenings(p.candidate(), p.defaults()) : List.of();
            if (errors.isEmpty() && name.kind() == RuleName.Kind.EXACT) {
                effective = PolicyResolver.merge(name.value(), p.candidate(), p.defaults());
                probe = tables.probes().latestDone(name.value()).orElse(null);
            }
            if (!weakens.isEmpty()) {
                reviewDue = input.reviewDue() != null ? input.reviewDue() : tables.probes().review(name.value())
                        .map(ProbeRepository.ReviewRow::dueAt).orElse(now.plus(config.review().defaultPeriod()));
            }
            return new DryRun(shown, errors, conflicts, effective, probe, reviewDue, weakens);
        });
    }

    /**
     * A new password is encrypted; an absent one keeps the stored one while the username stays the
     * same (a client that read the rule cannot send it back), re-encrypted under the newest key.
     */
    private String passwordFor(String rule, PolicyInput input, PolicyRule candidate, PolicyRule current) {
        if (input.password() != null) {
            return requireCipher().encrypt(input.password(), rule);
        }
        if (current == null || current.auth().passwordEncrypted() == null || candidate.auth().method() == AuthMethod.NONE
                || !Objects.equals(current.auth().username(), candidate.auth().username())) {
            return null;
        }
        String kept = current.auth().passwordEncrypted();
        SecretCipher c = cipher;
        if (c != null && !SecretCipher.keyIdOf(kept).orElse("").equals(c.primaryKeyId())) {
            Optional<String> plain = c.decrypt(kept, rule);
            if (plain.isPresent()) {
                return c.encrypt(plain.get(), rule);
            }
            LOG.warnf("the password of rule %s was encrypted with a key no longer configured; send it again", rule);
        }
        return kept;
    }

    private SecretCipher requireCipher() {
        SecretCipher c = cipher;
        if (c == null) {
            throw new PolicyException.NoSecretKey();
        }
        return c;
    }

    private void refuseIfDomainsBreak(PolicyRepository tables, PolicyRule newDefault) {
        List<DefaultBreaksDomains.Conflict> conflicts = conflicts(tables, newDefault);
        if (!conflicts.isEmpty()) {
            throw new DefaultBreaksDomains(conflicts);
        }
    }

    private static List<DefaultBreaksDomains.Conflict> conflicts(PolicyRepository tables, PolicyRule newDefault) {
        List<DefaultBreaksDomains.Conflict> conflicts = new ArrayList<>();
        for (PolicyRule r : tables.findAll()) {
            if (!r.isDefault()) {
                List<FieldError> errors = PolicyValidator.validateMerged(r, newDefault);
                if (!errors.isEmpty()) {
                    conflicts.add(new DefaultBreaksDomains.Conflict(r.rule(), errors));
                }
            }
        }
        return conflicts;
    }

    private static boolean sameFields(PolicyRule a, PolicyRule b) {
        return PolicyFields.ALL.stream().allMatch(f -> Objects.equals(f.get().apply(a), f.get().apply(b)));
    }

    private static void checkIfMatch(String rule, Optional<PolicyRule> current, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String tag = ifMatch.trim();
        if (tag.equals("*")) {
            if (current.isEmpty()) {
                throw new PolicyException.VersionMismatch("rule " + rule + " does not exist", null);
            }
            return;
        }
        for (String t : tag.split(",")) {
            String v = t.trim().replaceFirst("^W/", "").replace("\"", "");
            if (current.isPresent() && v.equals(Long.toString(current.get().version()))) {
                return;
            }
        }
        throw new PolicyException.VersionMismatch(current.map(r -> "rule " + rule + " is at version " + r.version()
                + ", not " + tag + ": read it again and re-apply your change").orElse("rule " + rule + " does not exist"),
                current.map(PolicyRule::version).orElse(null));
    }

    public void delete(String rawRule, String ifMatch, String actor) {
        RuleName name = parseRule(rawRule);
        if (name.isDefault()) {
            throw new PolicyException.DefaultNotDeletable();
        }
        transactions.inTransaction(tables -> {
            PolicyRule current = tables.find(name.value(), LockMode.UPDATE)
                    .orElseThrow(() -> new PolicyException.RuleNotFound("no rule " + name));
            checkIfMatch(name.value(), Optional.of(current), ifMatch);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            tables.delete(name.value());
            tables.probes().deleteReview(name.value());
            tables.addHistory(name.value(), current.version() + 1, "DELETED", PolicyDiff.between(current, null), now, actor);
            tables.queueTombstone(name.value());
            return null;
        });
        publisher.nudge();
    }

    public PolicyRule get(String rawRule) {
        RuleName name = parseRule(rawRule);
        return transactions.inTransaction(tables -> tables.find(name.value(), LockMode.NONE))
                .orElseThrow(() -> new PolicyException.RuleNotFound("no rule " + name));
    }

    /** The review of a rule that weakens TLS below default, if it has one. */
    public Optional<ProbeRepository.ReviewRow> review(String rule) {
        return transactions.inTransaction(tables -> tables.probes().review(rule));
    }

    /** Every review, by rule. */
    public Map<String, ProbeRepository.ReviewRow> reviews() {
        return transactions.inTransaction(tables -> tables.probes().allReviews()).stream()
                .collect(Collectors.toMap(ProbeRepository.ReviewRow::rule, Function.identity()));
    }

    public List<PolicyRule> list() {
        return transactions.inTransaction(PolicyRepository::findAll);
    }

    public List<PolicyRepository.HistoryRow> history(String rawRule) {
        RuleName name = parseRule(rawRule);
        List<PolicyRepository.HistoryRow> rows = transactions.inTransaction(tables -> tables.history(name.value()));
        if (rows.isEmpty()) {
            throw new PolicyException.RuleNotFound("rule " + name + " has no history");
        }
        return rows;
    }

    /** The contract's resolution of a domain over the rules as they are now committed. */
    public PolicyResolution effective(String rawDomain) {
        String domain = Optional.ofNullable(Domains.parse(rawDomain, 1).domain())
                .orElseThrow(() -> new PolicyException.InvalidPolicy("domain", "not a valid domain name"));
        Map<String, PolicyRule> rules = transactions.inTransaction(PolicyRepository::findAll).stream()
                .collect(Collectors.toMap(PolicyRule::rule, Function.identity()));
        return PolicyResolver.resolve(domain, rules)
                .orElseThrow(() -> new IllegalStateException("the default policy is missing"));
    }

    private static RuleName parseRule(String raw) {
        return RuleName.parse(raw).orElseThrow(() -> new PolicyException.InvalidPolicy("rule",
                "must be 'default', a domain (fabrikam.com) or a wildcard (*.fabrikam.com)"));
    }
}
