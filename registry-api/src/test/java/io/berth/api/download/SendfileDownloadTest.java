package io.berth.api.download;

import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The download contract with {@code berth.storage.fs.download-path=sendfile}, whatever this machine would pick. */
@QuarkusTest
@TestProfile(SendfileDownloadTest.SendfilePath.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class SendfileDownloadTest extends DownloadContract {
    public static class SendfilePath implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.storage.fs.download-path", "sendfile");
        }
    }

    @Override
    DownloadPath expectedPath() {
        return DownloadPath.SENDFILE;
    }
}
