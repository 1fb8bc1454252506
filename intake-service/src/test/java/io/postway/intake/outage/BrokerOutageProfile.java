package io.postway.intake.outage;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The intake against a broker the test may stop: only {@link OutageBrokerResource}, not the shared broker. */
public class BrokerOutageProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OutageBrokerResource.class, Map.of("database", "postway_intake_test")));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
