package io.postway.contract.policy;

/** SMTP AUTH towards the remote server; NONE is the seed's "Anonymous access", PLAIN/LOGIN its "Basic". */
public enum AuthMethod { NONE, PLAIN, LOGIN }
