package io.postway.delivery.domain;

import io.postway.contract.event.DeliveryEvent;
import io.postway.contract.tlsrpt.ResultType;

import java.util.List;

/**
 * The outcome for one recipient of a job, with everything its event reports; {@code failureType}
 * is the RFC 8460 result type of a TLS or TLS-policy failure ({@link FailureTypes}), else null;
 * {@code dane} is the host's DANE result; {@code mtaSts} is set once per job by the sts package
 * ({@code StsDemands.report}), NOT_CHECKED until then.
 */
public record RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                              ResultType failureType,
                              RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext,
                              List<String> transcript, DeliveryEvent.Dane dane, DeliveryEvent.MtaSts mtaSts) {

    /** A result no DANE look-up was made for, before the MTA-STS report. */
    public RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                           ResultType failureType, RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext,
                           List<String> transcript) {
        this(recipient, outcome, stage, reply, diagnosis, failureType, remote, tls, fellBackToPlaintext, transcript,
                DeliveryEvent.Dane.NOT_CHECKED, DeliveryEvent.MtaSts.NOT_CHECKED);
    }

    /** A result before the MTA-STS report. */
    public RecipientResult(String recipient, Outcome outcome, Stage stage, SmtpReply reply, String diagnosis,
                           ResultType failureType, RemoteEndpoint remote, TlsReport tls, boolean fellBackToPlaintext,
                           List<String> transcript, DeliveryEvent.Dane dane) {
        this(recipient, outcome, stage, reply, diagnosis, failureType, remote, tls, fellBackToPlaintext, transcript,
                dane, DeliveryEvent.MtaSts.NOT_CHECKED);
    }

    /**
     * This result with the job's MTA-STS report: a failure an enforced policy caused becomes the
     * failure type (the receiver's published policy wins, as {@link FailureTypes} says); a testing
     * policy's would-be failure stays in the report only.
     */
    public RecipientResult withMtaSts(DeliveryEvent.MtaSts report, String newDiagnosis) {
        ResultType type = outcome != Outcome.DELIVERED && DeliveryEvent.MtaStsStatus.ENFORCE.name().equals(report.status())
                ? ResultType.fromWireName(report.failure()).orElse(failureType) : failureType;
        return new RecipientResult(recipient, outcome, stage, reply, newDiagnosis, type, remote, tls, fellBackToPlaintext,
                transcript, dane, report);
    }
}
