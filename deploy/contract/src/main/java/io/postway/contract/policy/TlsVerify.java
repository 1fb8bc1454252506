package io.postway.contract.policy;

/** How much of the peer certificate must check out: enforced under REQUIRED, reported under OPPORTUNISTIC. */
public enum TlsVerify { NONE, CA, HOSTNAME }
