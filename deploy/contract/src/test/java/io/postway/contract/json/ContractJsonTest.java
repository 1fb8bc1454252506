package io.postway.contract.json;

import io.postway.contract.policy.PolicyRule;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVersion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContractJsonTest {

    @Test
    void durationsAndTlsVersionsAreWrittenAsTheContractSpellsThem() {
        String json = ContractJson.write(new PolicyRule.Retry(List.of(Duration.ofMinutes(15), Duration.ofHours(1)), Duration.ofDays(2)));
        assertEquals("{\"intervals\":[\"PT15M\",\"PT1H\"],\"expireAfter\":\"P2D\"}", json);
        assertEquals("\"TLSv1\"", ContractJson.write(TlsVersion.TLS_1_0));
        assertEquals(TlsVersion.TLS_1_1, ContractJson.read("\"TLSv1.1\"", TlsVersion.class));
    }

    @Test
    void aRuleWithGroupsLeftOutReadsAsGroupsOfNullsAndUnknownFieldsAreIgnored() {
        PolicyRule r = ContractJson.read("{\"rule\":\"fabrikam.com\",\"version\":3,\"tls\":{\"mode\":\"DISABLED\"},\"future\":1}", PolicyRule.class);
        assertEquals(TlsMode.DISABLED, r.tls().mode());
        assertEquals(PolicyRule.Auth.EMPTY, r.auth());
        assertEquals(PolicyRule.Retry.EMPTY, r.retry());
    }

    @Test
    void aBadRecordIsRefusedNamingTheType() {
        var e = assertThrows(IllegalArgumentException.class, () -> ContractJson.read("{\"rule\":", PolicyRule.class));
        assertTrue(e.getMessage().startsWith("not a valid PolicyRule"), e.getMessage());
        assertEquals(Duration.ofDays(2), Durations.parse("P2D").orElseThrow());
        assertTrue(Durations.parse("two days").isEmpty());
    }
}
