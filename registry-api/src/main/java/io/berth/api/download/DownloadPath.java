package io.berth.api.download;

import java.util.Optional;

/** How a blob file's bytes reach the client's socket. */
public enum DownloadPath {
    /** The kernel copies from the page cache to the socket ({@code sendfile}): no user-space copy. */
    SENDFILE,
    /** Large reads into pooled direct buffers, written to the socket from there. */
    COPY;

    /** The setting's value: {@code sendfile}, {@code copy}, or {@code auto} (empty: measured). */
    static Optional<DownloadPath> fromSetting(String value) {
        return switch (value) {
            case "auto" -> Optional.empty();
            case "sendfile" -> Optional.of(SENDFILE);
            case "copy" -> Optional.of(COPY);
            default -> throw new IllegalArgumentException(
                    "berth.storage.fs.download-path=" + value + " is not a download path; use auto, sendfile or copy");
        };
    }
}
