package io.postway.contract.policy;

/** Whether STARTTLS is used: Postfix's none / may / encrypt (and verify/secure with {@link TlsVerify}). */
public enum TlsMode { DISABLED, OPPORTUNISTIC, REQUIRED }
