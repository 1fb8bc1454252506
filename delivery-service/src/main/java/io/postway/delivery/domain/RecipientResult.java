package io.postway.delivery.domain;

import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;

import java.util.List;

import io.postway.contract.tlsrpt.ResultType;

/**
 * The outcome for one recipient of a job, with everything its event reports; {@code failureType}
 * is the RFC 8460 result type of a TLS or TLS-policy failure ({@link FailureTypes}), else null.
 */
public record RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                              ResultType failureType,
                              RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext,
                              List<String> transcript) {
}
