package io.berth.api.download;

import io.berth.api.config.BerthConfig;
import io.berth.core.concurrent.Blocking;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sends blob files to clients by whichever path is faster here ({@link DownloadPath}): set by
 * {@code berth.storage.fs.download-path}, or measured once at start-up ({@code auto}, the default)
 * by {@link DownloadPathProbe}, in the background; until it has answered, files go out with sendfile.
 * Small files always do (one system call, no hand-off to a worker), and so does a download when all
 * of {@link CopyBuffers} are taken, so memory stays bounded however many clients pull at once.
 */
@Singleton
public class FileDownloads {
    private static final Logger LOG = Logger.getLogger(FileDownloads.class);
    /** Below this, a copy's hand-off to a worker costs more than it saves. */
    static final long COPY_MIN_BYTES = 256 * 1024;
    /** Buffer sets for concurrent copying downloads: 32 MiB of direct memory in all. */
    private static final int COPYING_DOWNLOADS = 16;

    private final Blocking blocking;
    private final CopyBuffers buffers = new CopyBuffers(COPYING_DOWNLOADS);
    private final Optional<DownloadPath> configured;
    private final boolean filesystem;
    private final Path dataDir;
    private volatile DownloadPath path;

    @Inject
    FileDownloads(BerthConfig config, Blocking blocking, MeterRegistry metrics) {
        this.blocking = blocking;
        this.configured = DownloadPath.fromSetting(config.storage().fs().downloadPath());
        this.filesystem = config.storage().type().equals("fs");
        this.dataDir = Path.of(config.dataDir());
        this.path = configured.orElse(DownloadPath.SENDFILE);
        Gauge.builder("berth_download_copy", () -> path == DownloadPath.COPY ? 1 : 0)
                .description("1 when blob files are sent by copying through direct buffers, 0 with sendfile")
                .register(metrics);
        Gauge.builder("berth_download_copies_in_flight", buffers, CopyBuffers::inUse)
                .description("Downloads being sent by copying, each holding its direct buffers")
                .register(metrics);
    }

    void measure(@Observes StartupEvent event) {
        if (configured.isPresent() || !filesystem) {
            return;
        }
        blocking.run(() -> DownloadPathProbe.measure(dataDir.resolve("tmp"))).onComplete(measured -> {
            if (measured.failed()) {
                LOG.warnf("could not measure the download paths (%s); sending files with sendfile", measured.cause().toString());
                return;
            }
            DownloadPathProbe.Result result = measured.result();
            path = result.faster();
            LOG.infof("downloads: %s (measured over loopback: sendfile %.0f MB/s, copy %.0f MB/s)",
                    path.name().toLowerCase(Locale.ROOT), result.sendfileRate() / 1e6, result.copyRate() / 1e6);
        });
    }

    public DownloadPath path() {
        return path;
    }

    /** Downloads being sent by copying now. */
    public int copiesInFlight() {
        return buffers.inUse();
    }

    /**
     * Sends {@code length} bytes of {@code file} from {@code offset} as the response's body, and ends
     * it. Over TLS the kernel cannot send a file by itself (the bytes must be encrypted on their way),
     * and the server would read it in 8 KiB pieces: such downloads are copied whatever the path.
     */
    public Future<Void> send(HttpServerResponse response, Path file, long offset, long length, boolean encrypted) {
        if ((path == DownloadPath.COPY || encrypted) && length >= COPY_MIN_BYTES) {
            ByteBuffer[] set = buffers.take();
            if (set != null) {
                return new CopyingDownload(blocking, buffers, set, response, file, offset, length).start();
            }
        }
        return response.sendFile(file.toString(), offset, length);
    }
}
