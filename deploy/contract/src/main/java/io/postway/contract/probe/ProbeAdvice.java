package io.postway.contract.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postway.contract.json.ContractJson;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.MtaStsMode;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a probe means, as plain decisions over its facts: per host, what delivery would do under a
 * given effective policy (the same rules delivery's session applies: TLS mode, the version range,
 * verify, the login), and the strongest TLS policy that would still deliver to every host that
 * answered, as the exact body of the {@code PUT /v1/policies/{domain}} that applies it.
 *
 * <p>Strength, strongest first: REQUIRED + HOSTNAME, REQUIRED + CA, REQUIRED + NONE, OPPORTUNISTIC,
 * OPPORTUNISTIC + fallbackToPlaintext; within a mode the highest {@code minVersion} every host can
 * meet. A host that did not answer (connection refused, timeout) constrains nothing: no policy makes
 * it deliver, and the sentence about it says so.
 */
public final class ProbeAdvice {

    private ProbeAdvice() {
    }

    /** Whether mail to one host would be delivered under a policy, and why, in one sentence. */
    public record Verdict(String host, int port, boolean delivers, String sentence) {
    }

    /**
     * The strongest policy that delivers: {@code summary} in words, {@code body} the JSON to PUT
     * (the domain's own rule with its TLS group replaced; fields equal to {@code default}'s left out),
     * {@code method}/{@code path} the request that applies it. {@code body} is null when no host
     * answered (nothing to recommend).
     */
    public record Recommendation(String summary, JsonNode body, String method, String path, boolean alreadyInForce) {
    }

    /** One sentence per host, in delivery order. */
    public static List<Verdict> underPolicy(EffectivePolicy policy, List<HostProbe> hosts) {
        return hosts.stream().map(h -> verdict(policy, h)).toList();
    }

    /** Whether mail would go through: delivery tries the hosts in order, so one that takes it is enough. */
    public static boolean delivers(EffectivePolicy policy, List<HostProbe> hosts) {
        return underPolicy(policy, hosts).stream().anyMatch(Verdict::delivers);
    }

    public static Verdict verdict(EffectivePolicy p, HostProbe h) {
        String at = h.host() + (h.ip() == null ? "" : " (" + h.ip() + ")") + " port " + h.port();
        if (!h.greeted()) {
            return new Verdict(h.host(), h.port(), false, at + " did not answer (" + h.error()
                    + "): mail would wait and be retried; no policy changes that.");
        }
        PolicyRule.Tls tls = p.tls();
        if (tls.mode() == TlsMode.DISABLED) {
            return login(p, h, false, new Verdict(h.host(), h.port(), true, at
                    + ": mail would be delivered in plain text, because the policy disables TLS."));
        }
        if (!h.offersTls()) {
            if (tls.mode() == TlsMode.REQUIRED) {
                return new Verdict(h.host(), h.port(), false, at + " offers no STARTTLS, and the policy requires TLS:"
                        + " mail would be deferred.");
            }
            return login(p, h, false, new Verdict(h.host(), h.port(), true, at
                    + " offers no STARTTLS: mail would be delivered in plain text (OPPORTUNISTIC)."));
        }
        Optional<HostProbe.Handshake> hs = h.handshakeWithin(tls.minVersion(), tls.maxVersion());
        String range = tls.minVersion() + "-" + tls.maxVersion();
        if (hs.isEmpty()) {
            String accepted = h.acceptedVersions().isEmpty() ? "no TLS version"
                    : "only " + h.acceptedVersions().stream().map(TlsVersion::wireName).collect(Collectors.joining(", "));
            if (tls.mode() == TlsMode.OPPORTUNISTIC && Boolean.TRUE.equals(tls.fallbackToPlaintext())) {
                return login(p, h, false, new Verdict(h.host(), h.port(), true, at + " accepts " + accepted + ", not " + range
                        + ": the handshake would fail and mail would be delivered in plain text (fallbackToPlaintext)."));
            }
            return new Verdict(h.host(), h.port(), false, at + " accepts " + accepted + ", and the policy allows " + range
                    + ": the handshake would fail and mail would be deferred.");
        }
        HostProbe.Handshake s = hs.get();
        if (tls.mode() == TlsMode.REQUIRED && tls.verify() != TlsVerify.NONE && !Boolean.TRUE.equals(s.chainTrusted())) {
            return new Verdict(h.host(), h.port(), false, at + "'s certificate does not lead to a trusted CA (" + s.chainProblem()
                    + "), and the policy verifies " + tls.verify() + ": mail would be deferred.");
        }
        if (tls.mode() == TlsMode.REQUIRED && tls.verify() == TlsVerify.HOSTNAME && !Boolean.TRUE.equals(s.nameMatches())) {
            return new Verdict(h.host(), h.port(), false, at + "'s certificate does not name " + h.host()
                    + " (it names " + names(s) + "), and the policy verifies HOSTNAME: mail would be deferred.");
        }
        return login(p, h, true, new Verdict(h.host(), h.port(), true, at + ": mail would be delivered over " + s.protocol()
                + " (" + s.cipher() + "), certificate " + certificateWords(s) + "."));
    }

    /** A configured login needs its mechanism offered in the EHLO the session would log in after. */
    private static Verdict login(EffectivePolicy p, HostProbe h, boolean overTls, Verdict otherwise) {
        if (!p.auth().enabled() || h.capabilities() == null) {
            return otherwise;
        }
        List<String> offered = overTls && !h.implicit() ? h.capabilities().authAfterTls() : h.capabilities().auth();
        if (!offered.contains(p.auth().method().name())) {
            return new Verdict(h.host(), h.port(), false, h.host() + " port " + h.port() + " does not offer AUTH "
                    + p.auth().method() + (overTls ? " after STARTTLS" : " without TLS") + " (it offers "
                    + (offered.isEmpty() ? "none" : String.join(", ", offered)) + "): the login, and so the mail, would fail.");
        }
        return otherwise;
    }

    private static String certificateWords(HostProbe.Handshake s) {
        if (Boolean.TRUE.equals(s.chainTrusted()) && Boolean.TRUE.equals(s.nameMatches())) {
            return "trusted and naming the host";
        }
        if (Boolean.TRUE.equals(s.chainTrusted())) {
            return "trusted but not naming the host (it names " + names(s) + ")";
        }
        return "not trusted (" + s.chainProblem() + ")";
    }

    private static String names(HostProbe.Handshake s) {
        if (s.chain().isEmpty()) {
            return "nothing";
        }
        HostProbe.Certificate leaf = s.chain().get(0);
        List<String> n = new ArrayList<>(leaf.dnsNames());
        n.addAll(leaf.ipAddresses());
        return n.isEmpty() ? leaf.subject() : String.join(", ", n);
    }

    /**
     * The strongest TLS policy that delivers to every host that answered.
     *
     * @param domain   the probed domain (the rule to PUT)
     * @param ownRule  the rule that matched the domain when it is the domain's exact or wildcard rule
     *                 (its other settings, such as the route, are kept in the body), or null under default
     * @param defaults the {@code default} rule: fields equal to it are left out of the body
     * @param current  the effective policy in force (for "already in force")
     */
    public static Recommendation recommend(String domain, PolicyRule ownRule, PolicyRule defaults, EffectivePolicy current,
                                           List<HostProbe> hosts) {
        return recommend(domain, ownRule, defaults, current, hosts, null, null);
    }

    /**
     * As above, and what the domain publishes is mentioned: an MTA-STS policy in mode enforce
     * ({@code mtaSts}, the probe's check; null: not known), which delivery applies whatever the rule
     * says (unless the rule ignores it); and DANE ({@code dane}, the probe's check) when every MX
     * host's certificate matches its TLSA records.
     */
    public static Recommendation recommend(String domain, PolicyRule ownRule, PolicyRule defaults, EffectivePolicy current,
                                           List<HostProbe> hosts, ProbeResult.Check mtaSts, ProbeResult.Check dane) {
        Recommendation r = recommendTls(domain, ownRule, defaults, current, hosts);
        String summary = r.summary();
        if (mtaSts != null && "ENFORCE".equals(mtaSts.status())) {
            summary += " The domain publishes an MTA-STS policy in mode enforce (" + mtaSts.detail() + "): delivery sends only to"
                    + " matching MX hosts, over TLS with a certificate valid for the host, whatever this rule says"
                    + (MtaStsMode.of(current.tls()) == MtaStsMode.IGNORE
                    ? ", except that the rule in force ignores it (tls.mtaSts IGNORE)." : ".");
        }
        if (dane != null && DANE_MATCH.equals(dane.status()) && r.body() != null) {
            // (extension) DANE validates: say so, since it authenticates every MX host whatever the TLS group says
            summary += " DANE validates: every MX host's certificate matches its DNSSEC-signed TLSA"
                    + " records, so delivery authenticates it by DANE (RFC 7672) in any case; tls.dane REQUIRED would refuse"
                    + " mail should the records go.";
        }
        return new Recommendation(summary, r.body(), r.method(), r.path(), r.alreadyInForce());
    }

    /** A probe's {@code dane.status} when every MX host it looked up matched its TLSA records. */
    public static final String DANE_MATCH = "MATCH";

    private static Recommendation recommendTls(String domain, PolicyRule ownRule, PolicyRule defaults, EffectivePolicy current,
                                               List<HostProbe> hosts) {
        String path = "/v1/policies/" + domain;
        List<HostProbe> answered = hosts.stream().filter(HostProbe::greeted).toList();
        if (answered.isEmpty()) {
            return new Recommendation("No host answered, so no policy can be recommended: check the MX records and"
                    + " that delivery can reach them, then probe again.", null, "PUT", path, false);
        }
        boolean implicit = Boolean.TRUE.equals(current.tls().implicit());
        List<HostProbe> noTls = answered.stream().filter(h -> !h.offersTls() || h.acceptedVersions().isEmpty()).toList();
        List<HostProbe> withTls = answered.stream().filter(h -> !noTls.contains(h)).toList();
        // the highest minimum every TLS host can meet: the lowest of their best versions
        TlsVersion min = withTls.stream().map(h -> h.acceptedVersions().get(h.acceptedVersions().size() - 1))
                .min(TlsVersion::compareTo).orElse(defaults.tls().minVersion());
        TlsVersion max = TlsVersion.TLS_1_3;
        PolicyRule.Tls tls;
        String why;
        if (noTls.isEmpty()) {
            List<HostProbe.Handshake> used = withTls.stream().map(h -> h.handshakeWithin(min, max).orElseThrow()).toList();
            TlsVerify verify = used.stream().allMatch(s -> Boolean.TRUE.equals(s.chainTrusted()) && Boolean.TRUE.equals(s.nameMatches()))
                    ? TlsVerify.HOSTNAME
                    : used.stream().allMatch(s -> Boolean.TRUE.equals(s.chainTrusted())) ? TlsVerify.CA : TlsVerify.NONE;
            tls = new PolicyRule.Tls(TlsMode.REQUIRED, verify, min, max, false, implicit);
            why = "REQUIRED" + (verify == TlsVerify.NONE ? "" : " + " + verify) + " with minVersion " + min
                    + (min.compareTo(defaults.tls().minVersion()) < 0 ? " for this domain only" : "") + ": "
                    + hostsWords(withTls) + (withTls.size() == 1 ? " accepts " : " all accept ") + min
                    + (min == max ? "" : " or later") + switch (verify) {
                        case HOSTNAME -> " and " + (withTls.size() == 1 ? "has" : "every one has") + " a valid certificate for its name";
                        case CA -> "; " + names(withTls, used, s -> !Boolean.TRUE.equals(s.nameMatches()))
                                + " presents a trusted certificate that does not name it, so the name cannot be required";
                        case NONE -> "; " + names(withTls, used, s -> !Boolean.TRUE.equals(s.chainTrusted()))
                                + " presents a certificate that does not lead to a trusted CA, so it cannot be verified";
                    };
        } else {
            boolean handshakeFails = noTls.stream().anyMatch(HostProbe::offersTls);
            tls = new PolicyRule.Tls(TlsMode.OPPORTUNISTIC, TlsVerify.NONE, min, max, handshakeFails, implicit);
            why = "OPPORTUNISTIC" + (handshakeFails ? " with fallbackToPlaintext" : "") + ": " + hostsWords(noTls)
                    + (handshakeFails ? " completes no TLS handshake" : " offers no STARTTLS")
                    + ", so TLS cannot be required; mail to " + (noTls.size() == 1 ? "it" : "them") + " goes in plain text";
        }
        boolean inForce = sameTls(tls, current.tls());
        return new Recommendation(why + (inForce ? ". This is already the policy in force." : "."),
                body(ownRule, defaults, tls), "PUT", path, inForce);
    }

    private static String names(List<HostProbe> hosts, List<HostProbe.Handshake> used,
                                java.util.function.Predicate<HostProbe.Handshake> failing) {
        List<String> n = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            if (failing.test(used.get(i))) {
                n.add(hosts.get(i).host());
            }
        }
        return String.join(", ", n);
    }

    private static String hostsWords(List<HostProbe> hosts) {
        return hosts.stream().map(HostProbe::host).distinct().collect(Collectors.joining(", "));
    }

    private static boolean sameTls(PolicyRule.Tls a, PolicyRule.Tls b) {
        return a.mode() == b.mode() && (a.mode() != TlsMode.REQUIRED || a.verify() == b.verify())
                && a.minVersion() == b.minVersion() && a.maxVersion() == b.maxVersion()
                && (a.mode() != TlsMode.OPPORTUNISTIC || Objects.equals(a.fallbackToPlaintext(), b.fallbackToPlaintext()));
    }

    /**
     * The domain's own rule (route, limits, retry, login method and user kept: a PUT replaces the whole
     * rule) with the recommended TLS group; a field equal to {@code default}'s is left out, so it
     * keeps following {@code default}. The password is never in it: a PUT without one keeps the stored one.
     */
    static JsonNode body(PolicyRule ownRule, PolicyRule defaults, PolicyRule.Tls tls) {
        PolicyRule.Tls d = defaults.tls();
        PolicyRule.Tls own = new PolicyRule.Tls(
                tls.mode() == d.mode() ? null : tls.mode(),
                tls.verify() == d.verify() ? null : tls.verify(),
                tls.minVersion() == d.minVersion() ? null : tls.minVersion(),
                tls.maxVersion() == d.maxVersion() ? null : tls.maxVersion(),
                Objects.equals(tls.fallbackToPlaintext(), d.fallbackToPlaintext()) ? null : tls.fallbackToPlaintext(),
                ownRule == null ? null : ownRule.tls().implicit(), ownRule == null ? null : ownRule.tls().dane(),
                // the rule's own MTA-STS choice and reason stay: the PUT replaces the whole rule
                ownRule == null ? null : ownRule.tls().mtaSts(), ownRule == null ? null : ownRule.tls().mtaStsIgnoreReason());
        PolicyRule base = ownRule == null ? new PolicyRule("x", 0, null, null, null, null, null, null, null) : ownRule;
        PolicyRule r = new PolicyRule(base.rule(), 0, own, new PolicyRule.Auth(base.auth().method(), base.auth().username(), null),
                base.route(), base.limits(), base.retry(), null, null);
        ObjectNode tree = ContractJson.MAPPER.valueToTree(r);
        for (String meta : List.of("rule", "version", "updatedAt", "updatedBy")) {
            tree.remove(meta);
        }
        ((ObjectNode) tree.get("auth")).remove("passwordEncrypted");
        ObjectNode out = ContractJson.MAPPER.createObjectNode();
        for (Iterator<String> groups = tree.fieldNames(); groups.hasNext(); ) {
            String name = groups.next();
            ObjectNode set = ContractJson.MAPPER.createObjectNode();
            tree.get(name).fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    set.set(f.getKey(), f.getValue());
                }
            });
            if (!set.isEmpty()) {
                out.set(name, set);
            }
        }
        return out;
    }
}
