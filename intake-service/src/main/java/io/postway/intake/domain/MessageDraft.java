package io.postway.intake.domain;

import java.util.List;
import java.util.Map;

/** A JSON submission after its types were checked, before its content is validated and built. */
public record MessageDraft(String from, List<String> to, List<String> cc, List<String> bcc, List<String> replyTo,
                           String subject, String text, String html, Map<String, String> headers,
                           List<AttachmentDraft> attachments) {

    public record AttachmentDraft(String filename, String contentType, String contentBase64) {
    }
}
