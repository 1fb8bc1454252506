package io.postway.policy.domain;

/** How much of the peer's certificate is checked: encrypt only, a trusted chain, or chain and host name. */
public enum TlsVerify { NONE, CA, HOSTNAME }
