package io.postway.contract.probe;

import io.postway.contract.policy.EffectivePolicy;

import java.time.Instant;

/**
 * {@code mail.probe-requests} (policy → delivery), key = probeId: probe this domain's mail servers
 * the way a delivery under {@code policy} would reach them (its smart host, else the MX hosts on
 * {@code route.port}). Only the domain and the policy in force say where to connect, so a probe
 * can never be pointed at a host delivery would not send to. The policy's password is never
 * carried ({@code auth.passwordEncrypted} is {@code null}): a probe does not log in.
 */
public record ProbeRequest(String probeId, String domain, Instant requestedAt, EffectivePolicy policy) {
}
