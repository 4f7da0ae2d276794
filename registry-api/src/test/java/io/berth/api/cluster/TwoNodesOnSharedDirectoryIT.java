package io.berth.api.cluster;

import java.util.List;

/** Two nodes whose filesystem storage is one shared directory (NFS and the like in production). */
class TwoNodesOnSharedDirectoryIT extends TwoNodesContract {

    @Override
    protected List<String> sharedStorage() {
        return List.of("-Dberth.storage.fs.root=" + work.resolve("shared-blobs"));
    }
}
