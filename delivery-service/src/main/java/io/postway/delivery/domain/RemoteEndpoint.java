package io.postway.delivery.domain;

import io.postway.delivery.domain.Via;

/** Where a session goes: the host as chosen (MX name or smart host), its address when resolved here, the port. */
public record RemoteEndpoint(String host, String ip, int port, Via via) {

    public RemoteEndpoint withIp(String resolved) {
        return new RemoteEndpoint(host, resolved, port, via);
    }
}
