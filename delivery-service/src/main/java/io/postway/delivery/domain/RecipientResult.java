package io.postway.delivery.domain;

import io.postway.contract.event.DeliveryEvent;

import java.util.List;

/**
 * The outcome for one recipient of a job, with everything its event reports; {@code mtaSts} is
 * set once per job by the sts package ({@code StsDemands.report}), NOT_CHECKED until then.
 */
public record RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                              RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext,
                              List<String> transcript, DeliveryEvent.MtaSts mtaSts) {

    public RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                           RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext, List<String> transcript) {
        this(recipient, outcome, stage, reply, diagnosis, remote, tls, fellBackToPlaintext, transcript, DeliveryEvent.MtaSts.NOT_CHECKED);
    }

    public RecipientResult withMtaSts(DeliveryEvent.MtaSts report, String newDiagnosis) {
        return new RecipientResult(recipient, outcome, stage, reply, newDiagnosis, remote, tls, fellBackToPlaintext, transcript, report);
    }
}
