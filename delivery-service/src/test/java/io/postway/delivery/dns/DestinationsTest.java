package io.postway.delivery.dns;

import io.postway.delivery.domain.Diagnosis;
import io.postway.delivery.domain.SessionFailure.Kind;
import io.postway.delivery.domain.Via;
import io.postway.delivery.smtp.Peers;
import io.postway.delivery.smtp.Policies;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An MX host's addresses, or the one failure that says why there are none: no address is not a DNS failure. */
class DestinationsTest {

    static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() throws Exception {
        VERTX.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Destinations.Addresses addresses(String dnsServer, String host) throws Exception {
        Destinations d = new Destinations(new DnsResolver(VERTX, dnsServer, Duration.ofMillis(500)));
        return d.addresses(new Destinations.Destination(host, 25, Via.MX, null))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anMxHostWithAnAddressHasItAndOneWithoutIsDiagnosedAsSuch() throws Exception {
        Destinations.Addresses found = addresses(Peers.dns(), "mx.peer.test");
        assertEquals(List.of("127.0.0.1"), found.ips());
        assertNull(found.none());

        Destinations.Addresses none = addresses(Peers.dns(), "no-such-host.peer.test");
        assertEquals(List.of(), none.ips());
        assertEquals(Kind.MX_HOST_NO_ADDRESS, none.none().kind());
        var p = Policies.policy().build();
        String diagnosis = Diagnosis.of(none.none(), p.tls(), p.auth());
        assertTrue(diagnosis.contains("no-such-host.peer.test has no A/AAAA record"), diagnosis);
    }

    @Test
    void aLookUpThatTimesOutIsADnsFailureNotAMissingAddress() throws Exception {
        // a UDP socket that reads nothing: the resolver's query is never answered
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            Destinations.Addresses none = addresses("127.0.0.1:" + silent.getLocalPort(), "mx.peer.test");
            assertEquals(List.of(), none.ips());
            assertEquals(Kind.DNS_FAILURE, none.none().kind());
            var p = Policies.policy().build();
            String diagnosis = Diagnosis.of(none.none(), p.tls(), p.auth());
            assertTrue(diagnosis.startsWith("The DNS lookup for mx.peer.test failed ("), diagnosis);
            assertTrue(!diagnosis.contains("no A/AAAA"), diagnosis);
        }
    }
}
