package io.berth.storage.fs;

import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The one place that knows where things live under the storage root:
 * <pre>
 * root/
 *   blobs/&lt;algorithm&gt;/&lt;first two hex chars&gt;/&lt;hex&gt;   committed, content-addressed blob data
 *   uploads/&lt;session uuid&gt;                          data of an upload in progress
 * </pre>
 * The two-character fan-out keeps directories small with millions of blobs. Both trees sit on the same
 * filesystem so a finished upload becomes a blob with one atomic rename.
 */
final class FsLayout {
    private final Path root;
    private final Path blobs;
    private final Path uploads;

    FsLayout(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
    }

    Path root() {
        return root;
    }

    Path uploadsDir() {
        return uploads;
    }

    Path blobsOf(DigestAlgorithm algorithm) {
        return blobs.resolve(algorithm.prefix());
    }

    Path blob(Digest digest) {
        String hex = digest.hex();
        return blobs.resolve(digest.algorithm().prefix()).resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** Upload ids are UUIDs: parsing one rejects anything that could escape the uploads directory. */
    Path upload(String uploadId) {
        return uploads.resolve(UUID.fromString(uploadId).toString());
    }
}
