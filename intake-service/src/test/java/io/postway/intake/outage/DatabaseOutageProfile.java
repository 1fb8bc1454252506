package io.postway.intake.outage;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** The intake against a PostgreSQL the test may stop: only {@link OutageDatabaseResource}. */
public class DatabaseOutageProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OutageDatabaseResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
