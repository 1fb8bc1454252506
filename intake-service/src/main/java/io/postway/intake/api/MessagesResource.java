package io.postway.intake.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.intake.IdempotentSubmissions;
import io.postway.intake.IntakeService;
import io.postway.intake.config.IntakeConfig;
import io.postway.intake.domain.Accepted;
import io.postway.intake.domain.IdempotencyStoreUnavailable;
import io.postway.intake.domain.NotAcknowledged;
import io.postway.intake.domain.SubmissionRefused;
import io.postway.intake.domain.SubmittingClient;
import io.postway.intake.infra.StatusRepository;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /v1/messages}: submission and status, mapped to and from HTTP. What is accepted, and the
 * Idempotency-Key protocol, are {@link IntakeService}'s and {@link IdempotentSubmissions}'; their
 * refusals become problem+json here.
 */
@Path("/v1/messages")
public class MessagesResource {

    private static final Logger LOG = Logger.getLogger(MessagesResource.class);
    static final String RFC822 = "message/rfc822";

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    IntakeService intake;

    @Inject
    IntakeConfig config;

    @Inject
    IdempotentSubmissions idempotent;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Submit a message", description = "JSON (application/json) or a complete RFC 5322 message (message/rfc822, envelope in from= and to= or taken from the headers). 202 only once the message is durably in Kafka.")
    @RequestBody(description = "The message")
    @APIResponse(responseCode = "202", description = "Accepted: durably in Kafka")
    @APIResponse(responseCode = "400", description = "Invalid message (the field is named)")
    @APIResponse(responseCode = "401", description = "Missing or unknown client key")
    @APIResponse(responseCode = "403", description = "Sender domain not allowed for this key")
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key is in progress")
    @APIResponse(responseCode = "413", description = "Larger than the size limit")
    @APIResponse(responseCode = "415", description = "Neither application/json nor message/rfc822")
    @APIResponse(responseCode = "503", description = "Kafka did not take the message; nothing was accepted")
    public Response submit(@HeaderParam("Authorization") String authorization,
                           @HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Idempotency-Key") String idempotencyKey,
                           @QueryParam("from") String from,
                           @QueryParam("to") List<String> to,
                           byte[] body) {
        Optional<ClientAuthenticator.Client> client = authenticator.authenticate(authorization);
        if (client.isEmpty()) {
            return Problem.response(401, "Unauthorized", "A valid client key is required: Authorization: Bearer <client key>.");
        }
        String kind = kind(contentType);
        if (kind == null) {
            return Problem.response(415, "Unsupported media type",
                    "Send application/json (UTF-8) or message/rfc822, not " + (contentType == null ? "no Content-Type" : "'" + printable(contentType) + "'") + ".");
        }
        SubmittingClient submitter = submitter(client.get());
        byte[] content = body == null ? new byte[0] : body;
        try {
            IdempotentSubmissions.Outcome outcome = idempotent.submit(submitter.name(), idempotencyKey,
                    () -> process(submitter, kind, content, from, to));
            Accepted accepted = outcome.accepted();
            Response.ResponseBuilder answer = Response.status(202).type(MediaType.APPLICATION_JSON)
                    .entity(new SubmitResponse(accepted.messageId(), accepted.recipients(), "ACCEPTED"))
                    .header("Location", "/v1/messages/" + accepted.messageId());
            return (outcome.replayed() ? answer.header("Idempotent-Replayed", "true") : answer).build();
        } catch (SubmissionRefused e) {
            return Problem.response(e.status(), e.title(), e.getMessage(), e.errors());
        } catch (NotAcknowledged e) {
            LOG.warnf("answering 503: %s", e.getMessage());
            return Response.fromResponse(Problem.response(503, "Service unavailable",
                    "Kafka did not acknowledge the message in time; nothing was accepted. Retry later (with the same Idempotency-Key).")).header("Retry-After", "5").build();
        } catch (IdempotencyStoreUnavailable e) {
            return Problem.response(503, "Service unavailable", "The idempotency store cannot be reached; nothing was accepted. Retry later.");
        }
    }

    /** The authenticated client as the intake's domain sees it. */
    private static SubmittingClient submitter(ClientAuthenticator.Client client) {
        return new SubmittingClient(client.name(), client.senderDomains());
    }

    private Accepted process(SubmittingClient client, String kind, byte[] body, String from, List<String> to)
            throws NotAcknowledged {
        if (kind.equals(RFC822)) {
            return intake.submitRaw(client, body, from, to == null ? List.of() : to);
        }
        if ((from != null || (to != null && !to.isEmpty()))) {
            throw SubmissionRefused.invalid("from", "the from= and to= parameters belong to message/rfc822 submissions; JSON carries them in the body");
        }
        long limit = config.maxMessageSize().asLongValue();
        if (body.length > limit * 3 / 2 + 1024 * 1024) {
            // base64 in JSON is 4/3 of the attachment and the built message at least as large: refuse before parsing
            throw SubmissionRefused.tooLarge(body.length, limit);
        }
        return intake.submitJson(client, SubmissionJson.read(body));
    }

    @GET
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Latest status of each recipient of a message submitted by this client")
    @APIResponse(responseCode = "200", description = "The message's recipients and their latest delivery event")
    @APIResponse(responseCode = "404", description = "No such message for this client")
    public Response status(@HeaderParam("Authorization") String authorization, @PathParam("id") String id) throws SQLException {
        Optional<ClientAuthenticator.Client> client = authenticator.authenticate(authorization);
        if (client.isEmpty()) {
            return Problem.response(401, "Unauthorized", "A valid client key is required: Authorization: Bearer <client key>.");
        }
        Optional<List<StatusRepository.Row>> rows = intake.status(submitter(client.get()), id);
        if (rows.isEmpty()) {
            return Problem.response(404, "Not found", "No message " + printable(id) + " was submitted with this client key.");
        }
        List<StatusResponse.Recipient> recipients = new ArrayList<>();
        for (StatusRepository.Row r : rows.get()) {
            try {
                recipients.add(new StatusResponse.Recipient(r.recipient(), r.status(), r.attempts(),
                        r.lastEventJson() == null ? null : json.readTree(r.lastEventJson())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return Response.ok(new StatusResponse(id, recipients), MediaType.APPLICATION_JSON).build();
    }

    /** application/json (UTF-8 only) or message/rfc822; null for anything else. */
    static String kind(String contentType) {
        if (contentType == null) {
            return null;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (RuntimeException e) {
            return null;
        }
        String base = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        if (base.equals(MediaType.APPLICATION_JSON)) {
            String charset = type.getParameters().get("charset");
            return charset == null || charset.equalsIgnoreCase("utf-8") ? MediaType.APPLICATION_JSON : null;
        }
        return base.equals(RFC822) ? RFC822 : null;
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }
}
