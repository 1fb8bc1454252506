package io.postway.delivery.domain;

import io.postway.delivery.domain.Outcome;
import io.postway.delivery.domain.SmtpReply;
import io.postway.delivery.domain.Stage;

import java.util.List;

/** The outcome for one recipient of a job, with everything its event reports. */
public record RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                              RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext,
                              List<String> transcript) {
}
