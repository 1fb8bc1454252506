package io.postway.delivery.domain;

/** The policy's {@code tls.mode}: Postfix's none / may / encrypt. */
public enum TlsMode { DISABLED, OPPORTUNISTIC, REQUIRED }
