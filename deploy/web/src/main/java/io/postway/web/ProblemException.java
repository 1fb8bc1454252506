package io.postway.web;

import jakarta.ws.rs.core.Response;

/** A refusal that leaves as its problem: throw it anywhere below a resource, {@link ProblemMappers} answers it. */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        // no stack trace: a refusal is an answer, not a failure to diagnose
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public Response response() {
        return problem.response();
    }
}
