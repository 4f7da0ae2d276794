package io.berth.api.cluster;

import io.berth.api.testing.S3ServerProcess;
import java.util.List;

/** Two nodes on one S3-compatible object store. */
class TwoNodesOnS3IT extends TwoNodesContract {
    private S3ServerProcess s3;

    @Override
    protected List<String> sharedStorage() throws Exception {
        s3 = new S3ServerProcess(work, "two-nodes");
        return s3.registryOptions();
    }

    @Override
    protected void stopSharedStorage() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }
}
