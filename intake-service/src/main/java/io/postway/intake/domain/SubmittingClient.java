package io.postway.intake.domain;

import io.postway.contract.policy.Domains;

import java.util.List;

/**
 * The authenticated client a submission comes from: its name and the envelope sender domains it
 * may use (empty = any). The domains are held in the contract's canonical form, as envelope
 * domains are, so {@code Bücher.example} in the configuration matches {@code xn--bcher-kva.example}.
 */
public record SubmittingClient(String name, List<String> senderDomains) {

    public SubmittingClient {
        // a configured value that is no mail domain is kept as written: it then matches no sender
        senderDomains = senderDomains.stream().map(d -> Domains.normalize(d).orElse(d)).toList();
    }

    /** Refuses an envelope sender whose domain this client may not use: never an open relay. */
    public void checkSender(String envelopeFrom) {
        String domain = Addresses.domainOf(envelopeFrom);
        if (!senderDomains.isEmpty() && !senderDomains.contains(domain)) {
            throw SubmissionRefused.senderDomainNotAllowed(senderDomains, domain);
        }
    }
}
