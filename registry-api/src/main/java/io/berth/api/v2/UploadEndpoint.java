package io.berth.api.v2;

import io.berth.api.auth.Caller;
import io.berth.api.auth.V2Authorizer;
import io.berth.api.http.ExternalUrl;
import io.berth.core.auth.Action;
import io.berth.core.auth.Principal;
import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.UploadSession;
import io.berth.core.protocol.blob.BlobService;
import io.berth.core.protocol.upload.UploadService;
import io.berth.core.quota.QuotaGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * {@code /v2/<name>/blobs/uploads/[<uuid>]}: starting (also monolithic and by mount), chunked PATCH,
 * status, final PUT and cancel. Request bodies stream straight into the blob store.
 */
@Singleton
class UploadEndpoint {
    private final UploadService uploads;
    private final BlobService blobs;
    private final V2Authorizer authorizer;
    private final ExternalUrl externalUrl;
    private final QuotaGate quotas;
    private final Counter mounts;

    @Inject
    UploadEndpoint(UploadService uploads, BlobService blobs, V2Authorizer authorizer, ExternalUrl externalUrl, QuotaGate quotas,
            MeterRegistry meters) {
        this.uploads = uploads;
        this.quotas = quotas;
        this.blobs = blobs;
        this.authorizer = authorizer;
        this.externalUrl = externalUrl;
        this.mounts = Counter.builder("berth.blob.mounts").description("Blobs linked by cross-repository mount").register(meters);
    }

    Future<Void> start(RoutingContext ctx, RepositoryName name) {
        HttpServerRequest request = ctx.request();
        Optional<DigestAlgorithm> announced = announcedAlgorithm(request);
        DigestAlgorithm algorithm = announced.orElse(DigestAlgorithm.SHA256);
        String mount = request.getParam("mount");
        String from = request.getParam("from");
        if (mount != null && (from == null || RepositoryName.isValid(from))) {
            Digest digest = Digest.parse(mount);
            RepositoryName source = from == null ? null : RepositoryName.parse(from);
            // Mounting reads the source: without that right the client simply uploads the blob.
            return mayReadSource(ctx, source)
                    .compose(allowed -> allowed ? blobs.mount(name, digest, source) : Future.succeededFuture(false))
                    .compose(mounted -> {
                        if (!mounted) {
                            return open(ctx, name, algorithm);
                        }
                        mounts.increment();
                        return created(ctx, name, digest);
                    });
        }
        String digestParam = request.getParam("digest");
        if (digestParam != null) {
            Digest digest = Digest.parse(digestParam);
            if (announced.isPresent() && digest.algorithm() != announced.get()) {
                throw new RegistryException(OciErrorCode.DIGEST_INVALID,
                        "digest " + digest.algorithm().prefix() + " does not match digest-algorithm " + algorithm.prefix());
            }
            long declared = RequestBodies.declaredLength(request);
            return quotas.admitUpload(name, digest).compose(admitted -> uploads.startToComplete(name, digest))
                    .compose(session -> uploads.appendAndComplete(session, request, declared, digest)
                            .recover(failure -> uploads.cancel(session).transform(ignored -> Future.failedFuture(failure))))
                    .compose(ignored -> created(ctx, name, digest));
        }
        return open(ctx, name, algorithm);
    }

    /**
     * The algorithm the client will name in its final digest ({@code digest-algorithm}, distribution
     * spec after v1.1.1), so the upload is hashed with it as it arrives (sha256 when not announced;
     * a monolithic POST is hashed with its digest's own).
     */
    private static Optional<DigestAlgorithm> announcedAlgorithm(HttpServerRequest request) {
        String requested = request.getParam("digest-algorithm");
        if (requested == null) {
            return Optional.empty();
        }
        return Optional.of(DigestAlgorithm.byPrefix(requested).orElseThrow(() -> new RegistryException(OciErrorCode.DIGEST_INVALID,
                "unsupported digest-algorithm " + (requested.length() > 32 ? requested.substring(0, 32) + "..." : requested)
                        + ": use sha256 or sha512")));
    }

    /**
     * Whether the caller may read the mount's source; with no source named (automatic mount, which
     * could link a blob of any repository), only an administrator may.
     */
    private Future<Boolean> mayReadSource(RoutingContext ctx, RepositoryName source) {
        Caller caller = Caller.of(ctx);
        if (source == null) {
            return Future.succeededFuture(caller.principal() instanceof Principal.User user && user.superuser());
        }
        return authorizer.may(caller, source, Action.PULL);
    }

    Future<Void> status(RoutingContext ctx, RepositoryName name, String uploadId) {
        return uploads.find(name, uploadId).compose(session -> progress(ctx, name, session, 204));
    }

    Future<Void> patch(RoutingContext ctx, RepositoryName name, String uploadId) {
        HttpServerRequest request = ctx.request();
        long declared = RequestBodies.declaredLength(request);
        return uploads.claim(name, uploadId)
                .compose(claimed -> uploads.releasingOnFailure(claimed, session -> requireInOrder(ctx, name, session, declared)
                        .compose(inOrder -> uploads.append(inOrder, request, declared))))
                .compose(written -> progress(ctx, name, written, 202));
    }

    Future<Void> finish(RoutingContext ctx, RepositoryName name, String uploadId) {
        HttpServerRequest request = ctx.request();
        String digestParam = request.getParam("digest");
        if (digestParam == null) {
            return Future.failedFuture(new RegistryException(OciErrorCode.DIGEST_INVALID, "digest parameter is required"));
        }
        Digest digest = Digest.parse(digestParam);
        boolean hasBody = RequestBodies.hasBody(request);
        long declared = RequestBodies.declaredLength(request);
        return uploads.claimToComplete(name, uploadId, digest)
                .compose(claimed -> uploads.releasingOnFailure(claimed, session -> requireInOrder(ctx, name, session, declared)
                        .compose(inOrder -> hasBody
                                ? uploads.appendAndComplete(inOrder, request, declared, digest)
                                : uploads.complete(inOrder, digest))))
                .compose(ignored -> created(ctx, name, digest));
    }

    Future<Void> cancel(RoutingContext ctx, RepositoryName name, String uploadId) {
        return uploads.cancel(name, uploadId).compose(ignored -> ctx.response().setStatusCode(204).end());
    }

    /**
     * A chunk announced with Content-Range must start where the data ends and be as long as the body;
     * otherwise it is refused with 416 and the session stays as it was, so the client can resume.
     */
    private Future<UploadSession> requireInOrder(RoutingContext ctx, RepositoryName name, UploadSession session,
            long declared) {
        String contentRange = ctx.request().getHeader("Content-Range");
        if (contentRange == null) {
            return Future.succeededFuture(session);
        }
        ContentRange range = ContentRange.parse(contentRange);
        boolean inOrder = range != null && range.start() == session.received() && (declared < 0 || range.length() == declared);
        if (inOrder) {
            return Future.succeededFuture(session);
        }
        ctx.response().putHeader("Range", rangeHeader(session.received()))
                .putHeader("Location", location(name, session))
                .putHeader("Docker-Upload-UUID", session.id().toString());
        return Future.failedFuture(new RegistryException(OciErrorCode.RANGE_INVALID,
                "chunk must start at byte " + session.received()));
    }

    private Future<Void> open(RoutingContext ctx, RepositoryName name, DigestAlgorithm algorithm) {
        return quotas.admitUpload(name, null).compose(admitted -> uploads.start(name, algorithm)).compose(session -> progress(ctx, name, session, 202));
    }

    private Future<Void> created(RoutingContext ctx, RepositoryName name, Digest digest) {
        return ctx.response().setStatusCode(201)
                .putHeader("Location", externalUrl.location("/v2/" + name + "/blobs/" + digest))
                .putHeader("Docker-Content-Digest", digest.toString())
                .putHeader("Content-Length", "0")
                .end();
    }

    private Future<Void> progress(RoutingContext ctx, RepositoryName name, UploadSession session, int status) {
        return ctx.response().setStatusCode(status)
                .putHeader("Location", location(name, session))
                .putHeader("Range", rangeHeader(session.received()))
                .putHeader("Docker-Upload-UUID", session.id().toString())
                .putHeader("Content-Length", "0")
                .end();
    }

    private String location(RepositoryName name, UploadSession session) {
        return externalUrl.location("/v2/" + name + "/blobs/uploads/" + session.id());
    }

    /** The spec's upload Range header: inclusive end offset, without the "bytes=" unit. */
    private static String rangeHeader(long received) {
        return "0-" + Math.max(received - 1, 0);
    }
}
