package io.berth.storage.s3;

import io.berth.core.domain.Digest;
import java.util.UUID;

/**
 * The one place that knows the object keys under the configured prefix:
 * <pre>
 * prefix/
 *   blobs/&lt;algorithm&gt;/&lt;first two hex chars&gt;/&lt;hex&gt;    committed, content-addressed blob data
 *   uploads/&lt;session uuid&gt;/&lt;start offset, 20 digits&gt;   one object per appended segment of an upload
 * </pre>
 * An upload is a chain of segment objects named by the offset they start at, so any node can list,
 * read and continue it; a retried chunk overwrites the segment at its offset.
 */
final class S3Layout {
    private final String prefix;

    S3Layout(String prefix) {
        String trimmed = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        this.prefix = trimmed.isEmpty() ? "" : trimmed + "/";
    }

    String blob(Digest digest) {
        return prefix + "blobs/" + digest.algorithm().prefix() + "/" + digest.hex().substring(0, 2) + "/" + digest.hex();
    }

    String blobsRoot() {
        return prefix + "blobs/";
    }

    /**
     * The digest a blob key names, or null for any other key. Keys sort like digests within an
     * algorithm ({@code <algorithm>/<xx>/<hex>}, where xx starts hex), so listing order is digest order.
     */
    Digest digestOf(String key) {
        String[] parts = key.substring(blobsRoot().length()).split("/");
        if (parts.length != 3) {
            return null;
        }
        try {
            return Digest.parse(parts[0] + ":" + parts[2]);
        } catch (RuntimeException notADigest) {
            return null;
        }
    }

    /** Upload ids are UUIDs: parsing one rejects anything that could reach outside the upload's keys. */
    String uploadPrefix(String uploadId) {
        return prefix + "uploads/" + UUID.fromString(uploadId) + "/";
    }

    String segment(String uploadId, long start) {
        return uploadPrefix(uploadId) + String.format("%020d", start);
    }

    /** The start offset a segment key encodes, or -1 when the key is not a segment. */
    static long segmentStart(String uploadPrefix, String key) {
        String name = key.substring(uploadPrefix.length());
        if (name.length() != 20 || !name.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(name);
    }
}
