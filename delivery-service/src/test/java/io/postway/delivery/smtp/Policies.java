package io.postway.delivery.smtp;

import io.postway.contract.policy.AuthMethod;
import io.postway.contract.policy.DaneMode;
import io.postway.contract.policy.EffectivePolicy;
import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.contract.policy.TlsVersion;

import java.time.Duration;
import java.util.List;

/** Builds effective policies for tests, starting from the contract's defaults. */
public final class Policies {

    public TlsMode mode = TlsMode.REQUIRED;
    public TlsVerify verify = TlsVerify.NONE;
    public String min = "TLSv1.2";
    public String max = "TLSv1.3";
    public boolean fallback;
    public boolean implicit;
    public AuthMethod auth = AuthMethod.NONE;
    public String username;
    public String passwordEncrypted;
    public String smartHost;
    public int port = 25;
    public int maxConnections = 20;
    public int perConnection = 100;
    public String rule = "default";
    public DaneMode dane = DaneMode.OPPORTUNISTIC;

    public static Policies policy() {
        return new Policies();
    }

    public Policies mode(TlsMode m) {
        mode = m;
        return this;
    }

    public Policies verify(TlsVerify v) {
        verify = v;
        return this;
    }

    public Policies versions(String minV, String maxV) {
        min = minV;
        max = maxV;
        return this;
    }

    public Policies fallback() {
        fallback = true;
        return this;
    }

    public Policies implicitTls() {
        implicit = true;
        return this;
    }

    public Policies auth(AuthMethod m, String user, String sealed) {
        auth = m;
        username = user;
        passwordEncrypted = sealed;
        return this;
    }

    public Policies smartHost(String hostPort) {
        smartHost = hostPort;
        return this;
    }

    public Policies port(int p) {
        port = p;
        return this;
    }

    public Policies limits(int max, int per) {
        maxConnections = max;
        perConnection = per;
        return this;
    }

    public Policies dane(DaneMode d) {
        dane = d;
        return this;
    }

    public Policies rule(String r) {
        rule = r;
        return this;
    }

    public EffectivePolicy build() {
        return new EffectivePolicy(rule, 1,
                new PolicyRule.Tls(mode, verify, TlsVersion.fromWireName(min).orElseThrow(), TlsVersion.fromWireName(max).orElseThrow(),
                        fallback, implicit, dane),
                new PolicyRule.Auth(auth, username, passwordEncrypted),
                new PolicyRule.Route(smartHost, port),
                new PolicyRule.Limits(maxConnections, perConnection),
                new PolicyRule.Retry(List.of(Duration.ofMinutes(15), Duration.ofMinutes(30)), Duration.ofDays(2)));
    }
}
