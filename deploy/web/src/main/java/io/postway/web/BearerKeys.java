package io.postway.web;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a service knows of bearer keys: each service provides one bean of this type (from its
 * configuration). The web layer compares the presented key with every one in constant time and
 * builds the SecurityIdentity from the holder: principal name, roles ({@link Roles}), attributes.
 */
public interface BearerKeys {

    /** A key and whom it stands for; {@code attributes} become SecurityIdentity attributes. */
    record BearerKey(String key, String principal, Set<String> roles, Map<String, Object> attributes) {

        public BearerKey {
            roles = Set.copyOf(roles);
            attributes = Map.copyOf(attributes);
        }

        public BearerKey(String key, String principal, String role) {
            this(key, principal, Set.of(role), Map.of());
        }

        /** Never the key: this record may end up in a log line. */
        @Override
        public String toString() {
            return "BearerKey[" + principal + " " + roles + "]";
        }
    }

    /** Every key the service accepts; blank keys are ignored. */
    List<BearerKey> keys();
}
