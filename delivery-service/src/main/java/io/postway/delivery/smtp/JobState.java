package io.postway.delivery.smtp;

import io.postway.delivery.dane.DaneCheck;
import io.postway.delivery.domain.DeliveryJob;
import io.postway.delivery.domain.Transcript;
import io.postway.delivery.mailclient.OutgoingMessage;

import java.util.List;

/**
 * What a job's sessions to one address share: the job, its message as the client sends it, the
 * session settings (switched to plaintext on a fallback), whether TLS was given up, the transcript
 * of the session(s) before (a failed handshake), and how often a stale pooled connection was retried.
 */
record JobState(DeliveryJob job, OutgoingMessage message, SessionSettings session, boolean fellBack, Transcript before,
                int staleRetries) {

    static JobState start(DeliveryJob job, OutgoingMessage message, SessionSettings session) {
        return new JobState(job, message, session, false, null, 0);
    }

    /** The job's settings for one host under its DANE verdict (SessionSettings.forHost). */
    JobState forHost(DaneCheck check) {
        return new JobState(job, message, session.forHost(check), fellBack, before, staleRetries);
    }

    JobState reconnect() {
        return new JobState(job, message, session, fellBack, before, staleRetries + 1);
    }

    /** The same address without TLS; the failed handshake's transcript comes first in the next one. */
    JobState plaintext(Transcript sofar) {
        return new JobState(job, message, session.plaintextFallback(), true, sofar, staleRetries);
    }

    Transcript newTranscript() {
        Transcript tr = new Transcript();
        if (before != null) {
            tr.appendAll(before);
        }
        return tr;
    }

    List<String> transcriptBefore() {
        return before == null ? List.of() : before.lines();
    }
}
