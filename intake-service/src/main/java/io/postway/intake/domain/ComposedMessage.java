package io.postway.intake.domain;

import java.util.List;

/**
 * A message ready to publish: envelope sender, whole envelope (to + cc + bcc), and the RFC 5322
 * content with CRLF line endings only and no Bcc header.
 */
public record ComposedMessage(String from, List<String> recipients, byte[] content) {
}
