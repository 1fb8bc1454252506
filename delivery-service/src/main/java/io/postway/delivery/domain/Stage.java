package io.postway.delivery.domain;

/** The step of the SMTP session an outcome belongs to (the contract's {@code smtp.stage}). */
public enum Stage { CONNECT, GREETING, EHLO, STARTTLS, TLS_HANDSHAKE, AUTH, MAIL, RCPT, DATA, DONE }
