package io.berth.api.v2;

import io.berth.api.auth.ChallengedException;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.MetadataUnavailableException;
import io.berth.core.metadata.RejectedValueException;
import io.berth.core.storage.BlobMissingException;
import io.berth.core.storage.StorageUnavailableException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/** Turns any failure of a /v2 request into the OCI error body, the one place that does so. */
final class OciErrorResponder {
    private static final Logger LOG = Logger.getLogger(OciErrorResponder.class);

    private OciErrorResponder() {
    }

    static void respond(RoutingContext ctx, Throwable failure) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            // Failed half-way through a body: the only honest signal left is to cut the connection.
            LOG.debugf(failure, "response to %s %s failed after headers were sent", ctx.request().method(), ctx.request().path());
            ctx.request().connection().close();
            return;
        }
        RegistryException error = classify(ctx, failure);
        JsonObject body = new JsonObject().put("errors", new JsonArray().add(new JsonObject()
                .put("code", error.code().name())
                .put("message", error.message())
                .put("detail", error.detail())));
        response.setStatusCode(error.status());
        if (error instanceof ChallengedException challenged) {
            response.putHeader("WWW-Authenticate", challenged.challenge());
        }
        response.putHeader("Content-Type", "application/json");
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(body.toBuffer());
        }
    }

    private static RegistryException classify(RoutingContext ctx, Throwable failure) {
        if (failure instanceof RegistryException registryException) {
            return registryException;
        }
        if (failure instanceof RejectedValueException rejected) {
            // A value from the request that PostgreSQL cannot hold: the client's mistake, not an outage.
            return new RegistryException(OciErrorCode.UNSUPPORTED, 400, rejected.reason());
        }
        if (failure instanceof MetadataUnavailableException unavailable) {
            // One line, no stack trace: during an outage every request that needs the database ends here.
            LOG.warnf("metadata database unavailable for %s %s: %s", ctx.request().method(), ctx.request().path(), unavailable.rootCause());
            return new RegistryException(OciErrorCode.UNAVAILABLE, "metadata database unavailable, retry later");
        }
        if (failure instanceof StorageUnavailableException) {
            LOG.errorf(failure, "blob storage unavailable for %s %s", ctx.request().method(), ctx.request().path());
            return new RegistryException(OciErrorCode.UNAVAILABLE, "blob storage unavailable, retry later");
        }
        if (failure instanceof BlobMissingException) {
            LOG.errorf("%s", failure.getMessage());
            return new RegistryException(OciErrorCode.BLOB_UNKNOWN, "blob data is missing from storage");
        }
        LOG.errorf(failure, "unexpected failure for %s %s", ctx.request().method(), ctx.request().path());
        return new RegistryException(OciErrorCode.UNAVAILABLE, 500, "internal error");
    }
}
