package io.postway.intake.domain;

import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.util.MimeUtil;

import java.io.IOException;
import java.io.OutputStream;

/**
 * mime4j's message writer with one change: text bodies in quoted-printable go through
 * {@link TextQuotedPrintableOutputStream}, which writes the same bytes faster.
 * Everything else (headers, multipart, base64, binary bodies in quoted-printable) stays mime4j's.
 */
final class QuotedPrintableFastMessageWriter extends DefaultMessageWriter {

    @Override
    protected OutputStream encodeStream(OutputStream out, String encoding, boolean binaryBody) throws IOException {
        if (!binaryBody && MimeUtil.isQuotedPrintableEncoded(encoding)) {
            return new TextQuotedPrintableOutputStream(out);
        }
        return super.encodeStream(out, encoding, binaryBody);
    }
}
