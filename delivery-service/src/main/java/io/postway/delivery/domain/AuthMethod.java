package io.postway.delivery.domain;

public enum AuthMethod { NONE, PLAIN, LOGIN }
