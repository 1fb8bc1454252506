package io.postway.delivery.mailclient;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

/**
 * The {@link Vertx} a session's mail client is created with. It is the real one, except that the
 * client's {@link NetClient} connects to the address delivery chose (the client itself only knows
 * a host name and would resolve it again), sends the MX name as TLS server name, also on STARTTLS,
 * hands every byte in and out to the session's {@link WireListener}, writes each message's body as
 * bytes in place of the stand-in line the client writes ({@link BodySwap}), coalesces the other
 * lines of message data the client writes line by line (the header block, QUIT) into large writes
 * ({@link CoalescedWrites}), and keeps the
 * RSET before a reused connection's transaction unsent when the previous one ended cleanly
 * ({@link SkippedResets}). Public Vert.x interfaces
 * only: the mail client's own classes stay untouched.
 */
final class TappedVertx {

    private TappedVertx() {
    }

    static Vertx of(Vertx real, SocketAddress target, String serverName, WireListener tap, BodySwap swap) {
        return proxy(Vertx.class, real, (self, method, args) -> {
            if (method.getName().equals("createNetClient") && args != null && args.length == 1
                    && args[0] instanceof NetClientOptions options) {
                return netClient(real, real.createNetClient(options), target, serverName, tap, swap);
            }
            return null;
        });
    }

    private static NetClient netClient(Vertx vertx, NetClient real, SocketAddress target, String serverName, WireListener tap,
                                       BodySwap swap) {
        return proxy(NetClient.class, real, (self, method, args) -> {
            if (method.getName().equals("connect") && method.getReturnType() == Future.class) {
                String sni = serverName != null && !serverName.equals(target.host()) ? serverName : null;
                Future<NetSocket> connecting = sni == null ? real.connect(target) : real.connect(target, sni);
                return connecting.map(socket -> socket(vertx, socket, serverName, tap, swap))
                        .onFailure(t -> tap.connectFailed());
            }
            if (method.getName().equals("connect")) {
                throw new UnsupportedOperationException("the mail client connects through the Future API");
            }
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    private static NetSocket socket(Vertx vertx, NetSocket real, String serverName, WireListener tap, BodySwap swap) {
        tap.connected(real);
        CoalescedWrites writes = new CoalescedWrites(vertx, real);
        SkippedResets resets = new SkippedResets();
        Handler<Buffer>[] reader = new Handler[1]; // the client's own data handler, for a skipped RSET's reply
        return proxy(NetSocket.class, real, (self, method, args) -> {
            String name = method.getName();
            if (name.equals("writeQueueFull")) {
                return real.writeQueueFull(); // asked before every line the client writes: no reflective call
            }
            if (name.equals("handler") && args.length == 1) {
                Handler<Buffer> h = (Handler<Buffer>) args[0];
                reader[0] = h;
                real.handler(h == null ? null : buffer -> {
                    resets.read(buffer);
                    tap.read(real, buffer);
                    h.handle(buffer);
                });
                return self;
            }
            if (name.equals("closeHandler") && args.length == 1) {
                Handler<Void> h = (Handler<Void>) args[0];
                real.closeHandler(v -> {
                    writes.discard();
                    resets.closed();
                    tap.closed(real);
                    if (h != null) {
                        h.handle(v);
                    }
                });
                return self;
            }
            if (name.equals("write") && args.length >= 1) {
                if (args[0] instanceof String s) {
                    if (args.length == 2 && args[1] instanceof Handler<?> h && reader[0] != null && resets.skips(s)) {
                        // not sent, and answered as the server would have (SkippedResets): one round trip less
                        ((Handler<AsyncResult<Void>>) h).handle(Future.succeededFuture());
                        Handler<Buffer> client = reader[0];
                        vertx.runOnContext(v -> client.handle(Buffer.buffer(SkippedResets.REPLY)));
                        return HANDLED;
                    }
                    if (args.length == 1) {
                        return messageData(real, s, writes, swap, tap);
                    }
                    s = swap.declaringRealSize(s); // the client's commands come with a handler (pinned)
                    tap.wrote(real, s);
                    resets.wrote(s);
                    if (args.length == 2 && args[1] instanceof Handler<?> h) {
                        writes.command(s, (Handler<AsyncResult<Void>>) h);
                        return HANDLED;
                    }
                } else if (args[0] instanceof Buffer b) {
                    tap.wrote(real, b.toString(StandardCharsets.ISO_8859_1));
                    resets.wrote(b.toString(StandardCharsets.ISO_8859_1));
                }
                writes.flush();
                return null;
            }
            if (name.equals("upgradeToSsl") && args.length == 1 && args[0] instanceof Handler<?> h) {
                writes.flush();
                tap.startingTls();
                real.upgradeToSsl(serverName, ar -> {
                    if (ar.succeeded()) {
                        tap.tlsEstablished(real.sslSession());
                    }
                    ((Handler<AsyncResult<Void>>) h).handle(ar);
                });
                return self;
            }
            if (name.equals("end") || name.equals("close") || name.equals("sendFile") || name.equals("upgradeToSsl")) {
                writes.flush();
            }
            return null;
        });
    }

    /** A line of message data: the body a stand-in names ({@link BodySwap}), or a line coalesced with others ({@link CoalescedWrites}). */
    private static Future<Void> messageData(NetSocket real, String line, CoalescedWrites writes, BodySwap swap, WireListener tap) {
        Buffer body;
        try {
            body = swap.bodyFor(line);
        } catch (IllegalStateException e) {
            return Future.failedFuture(e);
        }
        if (body == null) {
            tap.wrote(real, line);
            return writes.line(line);
        }
        tap.wroteBody(real, body.length());
        return writes.body(body);
    }

    /** Returned by an interception that handled a void call itself: the real object is not called. */
    private static final Object HANDLED = new Object();

    /** What a proxy does for a call: a value to return instead, or null to pass the call to the real object. */
    private interface Interception {
        Object intercept(Object self, Method method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T real, Interception interception) {
        InvocationHandler handler = new InvocationHandler() {
            @Override
            public Object invoke(Object self, Method method, Object[] args) throws Throwable {
                if (method.getDeclaringClass() == Object.class) {
                    return switch (method.getName()) {
                        case "equals" -> self == args[0];
                        case "hashCode" -> System.identityHashCode(self);
                        default -> type.getSimpleName() + "(tapped " + real + ")";
                    };
                }
                Object replaced = interception.intercept(self, method, args == null ? new Object[0] : args);
                if (replaced == HANDLED) {
                    return null;
                }
                if (replaced != null) {
                    return replaced;
                }
                try {
                    Object result = method.invoke(real, args);
                    // fluent calls return the real object: keep the caller on the proxy
                    return result == real ? self : result;
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler);
    }
}
