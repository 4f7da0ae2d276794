package io.berth.api.v2;

import io.berth.api.download.FileDownloads;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.protocol.blob.BlobService;
import io.berth.core.storage.BlobSource;
import io.berth.core.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** {@code /v2/<name>/blobs/<digest>}: GET (with ranges), HEAD, DELETE. */
@Singleton
class BlobEndpoint {
    private final BlobService blobs;
    private final BlobStore store;
    private final FileDownloads files;

    @Inject
    BlobEndpoint(BlobService blobs, BlobStore store, FileDownloads files) {
        this.blobs = blobs;
        this.store = store;
        this.files = files;
    }

    Future<Void> get(RoutingContext ctx, RepositoryName name, String digestText, boolean head) {
        Digest digest = Digest.parse(digestText);
        Long cached = blobs.cachedSize(name, digest);
        Future<Long> linked = cached != null ? Future.succeededFuture(cached) : blobs.linkedSize(name, digest);
        return linked.compose(size -> {
            HttpServerResponse response = ctx.response()
                    // Blob bytes are whatever anyone pushed: a browser must save them, never sniff them
                    // into a page or run them in this origin (the presigned redirect asks the same of S3).
                    .putHeader("Content-Type", "application/octet-stream")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", "sandbox")
                    .putHeader("Content-Disposition", "attachment")
                    .putHeader("Docker-Content-Digest", digest.toString())
                    .putHeader("ETag", "\"" + digest + "\"")
                    .putHeader("Accept-Ranges", "bytes");
            if (V2Headers.notModified(ctx, digest)) {
                return response.setStatusCode(304).end();
            }
            if (head) {
                return response.putHeader("Content-Length", String.valueOf(size)).end();
            }
            ByteRange range = ByteRange.parse(ctx.request().getHeader("Range"), size);
            if (range == ByteRange.UNSATISFIABLE) {
                response.putHeader("Content-Range", "bytes */" + size);
                return Future.failedFuture(new RegistryException(OciErrorCode.RANGE_INVALID,
                        "range not satisfiable for a blob of " + size + " bytes"));
            }
            long offset = range == null ? 0 : range.offset();
            long length = range == null ? size : range.length();
            if (range != null) {
                response.setStatusCode(206).putHeader("Content-Range", range.contentRange(size));
            }
            if (length == 0) {
                return response.putHeader("Content-Length", "0").end();
            }
            boolean encrypted = ctx.request().isSSL();
            return store.open(digest, offset, length).compose(source -> send(response, source, encrypted));
        });
    }

    Future<Void> delete(RoutingContext ctx, RepositoryName name, String digestText) {
        Digest digest = Digest.parse(digestText);
        return blobs.unlink(name, digest).compose(ignored -> ctx.response().setStatusCode(202)
                .putHeader("Docker-Content-Digest", digest.toString())
                .putHeader("Content-Length", "0").end());
    }

    /**
     * Files go out by the faster of sendfile and a direct-buffer copy ({@link FileDownloads}); object
     * stores stream with back-pressure or, when configured, send the client to a presigned URL (307)
     * so the bytes bypass the registry.
     */
    private Future<Void> send(HttpServerResponse response, BlobSource source, boolean encrypted) {
        return switch (source) {
            case BlobSource.FileRegion file -> files.send(response, file.file(), file.offset(), file.length(), encrypted);
            case BlobSource.Stream stream -> {
                response.putHeader("Content-Length", String.valueOf(stream.length()));
                yield stream.stream().pipeTo(response);
            }
            case BlobSource.Redirect redirect -> response.setStatusCode(307)
                    .putHeader("Location", redirect.url())
                    .putHeader("Content-Length", "0")
                    .end();
        };
    }
}
