package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.core.protocol.upload.UploadPurge;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class UploadPurgeTest {

    @Inject
    UploadPurge purge;

    @Test
    void abandonedSessionsArePurgedWithTheirDataAndFreshOnesKept() throws Exception {
        String repo = Content.uniqueRepository("purge");
        String abandoned = BlobUploadTest.start(repo);
        given().contentType(ContentType.BINARY).body(Content.random(5000)).when().patch(abandoned).then().statusCode(202);
        java.nio.file.Path data = java.nio.file.Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("berth.data-dir", String.class), "blobs", "uploads", abandoned.substring(abandoned.lastIndexOf('/') + 1));
        assertTrue(java.nio.file.Files.exists(data));
        Thread.sleep(1500);
        String fresh = BlobUploadTest.start(repo);

        int purged = purge.purgeOlderThan(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertTrue(purged >= 1);
        ociError(given().when().get(abandoned).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        assertTrue(java.nio.file.Files.notExists(data), "the abandoned upload's data is removed");
        given().when().get(fresh).then().statusCode(204);
    }
}
