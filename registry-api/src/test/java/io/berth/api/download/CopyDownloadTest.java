package io.berth.api.download;

import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The download contract with {@code berth.storage.fs.download-path=copy}, whatever this machine would pick. */
@QuarkusTest
@TestProfile(CopyDownloadTest.CopyPath.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class CopyDownloadTest extends DownloadContract {
    public static class CopyPath implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.storage.fs.download-path", "copy");
        }
    }

    @Override
    DownloadPath expectedPath() {
        return DownloadPath.COPY;
    }
}
