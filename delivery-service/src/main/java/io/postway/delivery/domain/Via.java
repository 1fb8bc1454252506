package io.postway.delivery.domain;

/** How the remote host was chosen: an MX record, the domain's own address (implicit MX), or the policy's smart host. */
public enum Via { MX, A, SMART_HOST }
