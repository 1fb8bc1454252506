package io.postway.policy.domain;

/** Whether STARTTLS is used: Postfix's none / may / encrypt (and verify/secure with {@link TlsVerify}). */
public enum TlsMode { DISABLED, OPPORTUNISTIC, REQUIRED }
