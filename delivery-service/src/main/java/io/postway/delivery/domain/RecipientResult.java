package io.postway.delivery.domain;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.tlsrpt.ResultType;
import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;

import java.util.List;

/**
 * The outcome for one recipient of a job, with everything its event reports; {@code failureType}
 * is the RFC 8460 result type of a TLS or TLS-policy failure ({@link FailureTypes}), else null;
 * {@code dane} is the host's DANE result.
 */
public record RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                              ResultType failureType,
                              RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext,
                              List<String> transcript, DeliveryEvent.Dane dane) {

    /** A result no DANE look-up was made for. */
    public RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                           ResultType failureType, RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext,
                           List<String> transcript) {
        this(recipient, outcome, stage, reply, diagnosis, failureType, remote, tls, fellBackToPlaintext, transcript,
                DeliveryEvent.Dane.NOT_CHECKED);
    }
}
