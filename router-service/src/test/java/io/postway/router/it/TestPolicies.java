package io.postway.router.it;

/** Policy rules as policy-service publishes them (deploy/docs/contract.md), as JSON. */
final class TestPolicies {

    private TestPolicies() {
    }

    static String defaultRule(long version, String tlsMode) {
        return """
                {"rule":"default","version":%d,
                 "tls":{"mode":"%s","verify":"NONE","minVersion":"TLSv1.2","maxVersion":"TLSv1.3","fallbackToPlaintext":false,"implicit":false},
                 "auth":{"method":"NONE","username":null,"passwordEncrypted":null},
                 "route":{"smartHost":null,"port":25},
                 "limits":{"maxConnections":20,"messagesPerConnection":100},
                 "retry":{"intervals":["PT15M","PT30M","PT1H","PT4H"],"expireAfter":"P2D"},
                 "updatedAt":"2026-11-28T10:00:00Z","updatedBy":"test"}""".formatted(version, tlsMode);
    }

    static String tlsRule(String rule, long version, String tlsMode) {
        return """
                {"rule":"%s","version":%d,
                 "tls":{"mode":"%s","verify":null,"minVersion":null,"maxVersion":null,"fallbackToPlaintext":null,"implicit":null},
                 "auth":null,"route":null,"limits":null,"retry":null,
                 "updatedAt":"2026-11-28T10:00:00Z","updatedBy":"test"}""".formatted(rule, version, tlsMode);
    }
}
