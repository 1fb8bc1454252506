package io.postway.intake.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.postway.intake.IdempotentSubmissions;
import io.postway.intake.IntakeService;
import io.postway.intake.domain.Accepted;
import io.postway.intake.domain.MessageStatus;
import io.postway.intake.domain.StatusStoreUnavailable;
import io.postway.intake.domain.SubmittingClient;
import io.postway.intake.messaging.MailPublisher;
import io.postway.web.Problem;
import io.postway.web.ProblemType;
import io.postway.web.Roles;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /v1/messages}: submission and status, mapped to and from HTTP. What is accepted, and the
 * Idempotency-Key protocol, are {@link IntakeService}'s and {@link IdempotentSubmissions}'; their
 * refusals become problem+json in {@link SubmissionProblems}.
 */
@Path("/v1/messages")
@RolesAllowed(Roles.CLIENT)
public class MessagesResource {

    static final String RFC822 = "message/rfc822";

    /**
     * Up to this body size a submission without an Idempotency-Key runs on the event loop (about a
     * millisecond of parsing and MIME at most); larger ones and every Idempotency-Key request run on a worker.
     */
    static final int EVENT_LOOP_MAX_BODY = 64 * 1024;

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    IntakeService intake;

    @Inject
    IdempotentSubmissions idempotent;

    @Inject
    ObjectMapper json;

    @Inject
    MailPublisher publisher;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Submit a message", description = "JSON (application/json) or a complete RFC 5322 message (message/rfc822, envelope in from= and to= or taken from the headers). 202 only once the message is durably in Kafka.")
    @RequestBody(description = "The message")
    @APIResponse(responseCode = "202", description = "Accepted: durably in Kafka")
    @APIResponse(responseCode = "400", description = "Invalid message, or a malformed Idempotency-Key or parameter (the field is named)")
    @APIResponse(responseCode = "401", description = "Missing or unknown client key")
    @APIResponse(responseCode = "403", description = "Sender domain not allowed for this key")
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key is in progress")
    @APIResponse(responseCode = "413", description = "Larger than the size limit")
    @APIResponse(responseCode = "415", description = "Neither application/json nor message/rfc822")
    @APIResponse(responseCode = "503", description = "Kafka did not take the message, or the idempotency store cannot be reached; nothing was accepted")
    public CompletionStage<Response> submit(@HeaderParam("Content-Type") String contentType,
                                            @HeaderParam("Idempotency-Key") String idempotencyKey,
                                            @QueryParam("from") String from,
                                            @QueryParam("to") List<String> to,
                                            byte[] body) {
        ClientAuthenticator.Client client = authenticator.current();
        String kind = kind(contentType);
        if (kind == null) {
            return CompletableFuture.completedFuture(Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Send application/json (UTF-8) or message/rfc822, not " + (contentType == null ? "no Content-Type" : "'" + printable(contentType) + "'") + ".").response());
        }
        SubmittingClient submitter = submitter(client);
        byte[] content = body == null ? new byte[0] : body;
        List<String> envelopeTo = to == null ? List.of() : to;
        Callable<CompletableFuture<IdempotentSubmissions.Outcome>> submission = () -> idempotent.submit(submitter.name(), idempotencyKey,
                () -> kind.equals(RFC822) ? intake.submitRaw(submitter, content, from, envelopeTo)
                        : intake.submitJson(submitter, content, from, envelopeTo));
        CompletionStage<IdempotentSubmissions.Outcome> outcome;
        if (idempotencyKey == null && content.length <= EVENT_LOOP_MAX_BODY && publisher.sendsWithoutBlocking(content.length)) {
            // on the event loop: parsing and building a small message costs less than the hop to a
            // worker thread and back (and the send only appends to the producer's buffer: checked above)
            try {
                outcome = submission.call();
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        } else {
            // MIME building up to the size limit, and the Idempotency-Key's PostgreSQL, stay off the event loop
            outcome = Vertx.currentContext().executeBlocking(submission, false).toCompletionStage().thenCompose(running -> running);
        }
        // the thread returns here; the broker's acknowledgement completes the answer (202, or 503 via SubmissionProblems)
        return outcome.thenApply(done -> {
            Accepted accepted = done.accepted();
            Response.ResponseBuilder answer = Response.status(202).type(MediaType.APPLICATION_JSON)
                    .entity(new SubmitResponse(accepted.messageId(), accepted.recipients(), "ACCEPTED").json())
                    .header("Location", "/v1/messages/" + accepted.messageId());
            return (done.replayed() ? answer.header("Idempotent-Replayed", "true") : answer).build();
        });
    }

    /** The authenticated client as the intake's domain sees it. */
    private static SubmittingClient submitter(ClientAuthenticator.Client client) {
        return new SubmittingClient(client.name(), client.senderDomains());
    }

    @GET
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Latest status of each recipient of a message submitted by this client")
    @APIResponse(responseCode = "200", description = "The message's recipients and their latest delivery event")
    @APIResponse(responseCode = "404", description = "No such message for this client")
    @APIResponse(responseCode = "503", description = "The status store cannot be reached")
    public Response status(@PathParam("id") String id) throws StatusStoreUnavailable {
        ClientAuthenticator.Client client = authenticator.current();
        Optional<MessageStatus> status = intake.status(submitter(client), id);
        if (status.isEmpty()) {
            return Problem.of(ProblemType.NOT_FOUND, "No message " + printable(id) + " was submitted with this client key.").response();
        }
        List<StatusResponse.Recipient> recipients = new ArrayList<>();
        for (MessageStatus.Recipient r : status.get().recipients()) {
            try {
                recipients.add(new StatusResponse.Recipient(r.address(), r.status(), r.attempts(),
                        r.lastEventJson() == null ? null : json.readTree(r.lastEventJson())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return Response.ok(new StatusResponse(status.get().messageId(), recipients), MediaType.APPLICATION_JSON).build();
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
