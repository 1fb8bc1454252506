package io.postway.delivery.tls;

import io.postway.contract.tlsrpt.ResultType;
import io.postway.contract.policy.TlsMode;
import io.postway.contract.policy.TlsVerify;
import io.postway.delivery.domain.SessionFailure.Kind;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The trust manager a session's mail client handshakes with. It checks the peer's chain and name
 * against the MX (or smart host) name the policy delivers to — not the IP address connected to —
 * and tells the session's listener. Under REQUIRED with verify CA or HOSTNAME it refuses a failing certificate,
 * so the handshake ends before EHLO, AUTH or the envelope; otherwise it only reports, which is
 * what OPPORTUNISTIC promises. When the host has usable DANE TLSA records (RFC 7672), they replace
 * the WebPKI check whatever the mode: a chain that matches none of them is refused.
 */
public final class ObservingTrustManager extends X509ExtendedTrustManager {

    private final PeerCertificateCheck check;
    private final String host;
    private final TlsMode mode;
    private final TlsVerify verify;
    private final CertificateVerdict.Listener listener;
    private final PinnedAuthentication pinned;

    public ObservingTrustManager(PeerCertificateCheck check, String host, TlsMode mode, TlsVerify verify,
                                 CertificateVerdict.Listener listener) {
        this(check, host, mode, verify, listener, null);
    }

    /** @param pinned the host's DANE authentication (its usable TLSA records); null: WebPKI as the policy says */
    public ObservingTrustManager(PeerCertificateCheck check, String host, TlsMode mode, TlsVerify verify,
                                 CertificateVerdict.Listener listener, PinnedAuthentication pinned) {
        this.check = check;
        this.host = host;
        this.mode = mode;
        this.verify = verify;
        this.listener = listener;
        this.pinned = pinned;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        SSLSession handshake = engine == null ? null : engine.getHandshakeSession();
        judge(chain, handshake);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        judge(chain, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        judge(chain, null);
    }

    private void judge(X509Certificate[] chain, SSLSession handshake) throws CertificateException {
        if (pinned != null) {
            judgePinned(chain, handshake);
            return;
        }
        String chainProblem = check.chainProblem(chain);
        boolean nameOk = chain != null && chain.length > 0 && PeerCertificateCheck.namesHost(chain[0], host);
        boolean verified = verify == TlsVerify.CA ? chainProblem == null : chainProblem == null && nameOk;
        Kind refusedAs = null;
        String detail = null;
        if (mode == TlsMode.REQUIRED && verify != TlsVerify.NONE) {
            if (chainProblem != null) {
                refusedAs = PeerCertificateCheck.outOfValidity(chain) ? Kind.TLS_EXPIRED : Kind.TLS_UNTRUSTED;
                detail = chainProblem;
            } else if (verify == TlsVerify.HOSTNAME && !nameOk) {
                refusedAs = Kind.TLS_NAME_MISMATCH;
                detail = PeerCertificateCheck.describeNames(chain[0]);
            }
        }
        X509Certificate leaf = chain != null && chain.length > 0 ? chain[0] : null;
        String webPkiProblem = leaf == null ? null
                : chainProblem != null ? (leaf.getNotAfter().before(new java.util.Date()) ? ResultType.CERTIFICATE_EXPIRED : ResultType.CERTIFICATE_NOT_TRUSTED).wireName()
                : !nameOk ? ResultType.CERTIFICATE_HOST_MISMATCH.wireName() : null;
        listener.certificate(new CertificateVerdict(leaf, verified, refusedAs, detail, webPkiProblem, null),
                handshake == null ? null : handshake.getProtocol(), handshake == null ? null : handshake.getCipherSuite());
        if (refusedAs != null) {
            throw new CertificateException(detail);
        }
    }

    /** RFC 7672 2.2: DANE authentication replaces WebPKI; a mismatch ends the handshake before anything is sent. */
    private void judgePinned(X509Certificate[] chain, SSLSession handshake) throws CertificateException {
        PinnedAuthentication.Verdict r = pinned.judge(chain);
        X509Certificate leaf = chain != null && chain.length > 0 ? chain[0] : null;
        listener.certificate(new CertificateVerdict(leaf, r.matched(), r.matched() ? null : Kind.DANE_MISMATCH, r.detail(), null, r.matched()),
                handshake == null ? null : handshake.getProtocol(), handshake == null ? null : handshake.getCipherSuite());
        if (!r.matched()) {
            throw new CertificateException(r.detail());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a delivery client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a delivery client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a delivery client does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
