package io.postway.delivery.sts;

import io.postway.contract.event.DeliveryEvent.MtaStsStatus;

/**
 * What MTA-STS discovery found for a domain: a status, the policy (when one applies) with its id,
 * the RFC 8460 failure type of a policy that could not be had, and one sentence on what happened.
 */
public record StsLookup(MtaStsStatus status, String policyId, StsPolicy policy, String failure, String reason) {

    static StsLookup of(CachedPolicy cached, String reason) {
        MtaStsStatus status = switch (cached.policy().mode()) {
            case ENFORCE -> MtaStsStatus.ENFORCE;
            case TESTING -> MtaStsStatus.TESTING;
            case NONE -> MtaStsStatus.NONE;
        };
        return new StsLookup(status, cached.id(), cached.policy(), null, reason);
    }

    static StsLookup without(MtaStsStatus status, String failure, String reason) {
        return new StsLookup(status, null, null, failure, reason);
    }

    public static StsLookup notChecked(String reason) {
        return without(MtaStsStatus.NOT_CHECKED, null, reason);
    }
}
