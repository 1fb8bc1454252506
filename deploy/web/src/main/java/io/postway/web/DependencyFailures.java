package io.postway.web;

import java.util.Optional;

/**
 * Registers failures that mean "a dependency this request needs is down": a bean of this type
 * turns such a failure into a {@link ServiceUnavailable} (503 with Retry-After) where it would
 * otherwise be a 500. Every bean is asked; the first answer counts.
 */
public interface DependencyFailures {

    Optional<ServiceUnavailable> unavailable(Throwable failure);
}
