package io.postway.delivery.mailclient;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import javax.net.ssl.SSLSession;

/**
 * What {@link TappedVertx} reports of the one connection a mail client holds: the client itself says
 * neither which step failed, nor what each reply was, nor which TLS session it got. Called on the
 * connection's event loop.
 */
public interface WireListener {

    void connected(NetSocket socket);

    void connectFailed();

    void read(NetSocket socket, Buffer data);

    void wrote(NetSocket socket, String data);

    /** A message body went out as bytes ({@link BodySwap}), after the header block: {@code octets} long, dot-stuffed. */
    void wroteBody(NetSocket socket, int octets);

    void closed(NetSocket socket);

    void startingTls();

    void tlsEstablished(SSLSession session);
}
