package io.postway.contract.probe;

/** A probe's state: waiting for delivery's answer, answered, or given up (no host list, no answer in time). */
public enum ProbeStatus { RUNNING, DONE, FAILED }
