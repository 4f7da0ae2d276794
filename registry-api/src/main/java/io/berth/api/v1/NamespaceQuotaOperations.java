package io.berth.api.v1;

import io.berth.core.quota.QuotaOwner;
import io.berth.core.quota.QuotaService;
import io.berth.core.quota.UsageRecount;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Quay's quota operations on one namespace ({@code namespacequota}): the quota, its Warning and
 * Reject limits, and a recount of the usage they are measured against. The subclasses place them at
 * Quay's paths for organizations and, for administrators, for users' namespaces. Reading takes
 * membership of the namespace; every change is for administrators.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public abstract class NamespaceQuotaOperations {
    @Inject
    QuotaService quotas;

    @Inject
    UsageRecount recount;

    @Inject
    ApiCaller caller;

    /** Whose namespace {@code namespace} names at this path. */
    protected abstract QuotaOwner owner(String namespace);

    @GET
    public CompletionStage<List<QuotaJson.Quota>> list(@PathParam("namespace") String namespace) {
        return caller.principal().compose(actor -> quotas.list(actor, owner(namespace)))
                .map(found -> found.stream().map(QuotaJson.Quota::of).toList()).toCompletionStage();
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = QuotaJson.Quota.class)))
    public CompletionStage<Response> create(@PathParam("namespace") String namespace, QuotaJson.QuotaBody body) {
        QuotaJson.QuotaBody request = Bodies.required(body);
        return caller.principal().compose(actor -> quotas.create(actor, owner(namespace), request.limitBytes()))
                .map(created -> Response.status(201).entity(QuotaJson.Quota.of(created)).build()).toCompletionStage();
    }

    @GET
    @Path("/{quota_id}")
    public CompletionStage<QuotaJson.Quota> get(@PathParam("namespace") String namespace, @PathParam("quota_id") String quotaId) {
        return caller.principal().compose(actor -> quotas.get(actor, owner(namespace), quotaId)).map(QuotaJson.Quota::of)
                .toCompletionStage();
    }

    @PUT
    @Path("/{quota_id}")
    public CompletionStage<QuotaJson.Quota> update(@PathParam("namespace") String namespace, @PathParam("quota_id") String quotaId,
            QuotaJson.QuotaBody body) {
        QuotaJson.QuotaBody request = Bodies.required(body);
        return caller.principal().compose(actor -> quotas.update(actor, owner(namespace), quotaId, request.limitBytes()))
                .map(QuotaJson.Quota::of).toCompletionStage();
    }

    @DELETE
    @Path("/{quota_id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> delete(@PathParam("namespace") String namespace, @PathParam("quota_id") String quotaId) {
        return caller.principal().compose(actor -> quotas.delete(actor, owner(namespace), quotaId))
                .map(deleted -> Response.noContent().build()).toCompletionStage();
    }

    @GET
    @Path("/{quota_id}/limit")
    public CompletionStage<List<QuotaJson.Limit>> limits(@PathParam("namespace") String namespace, @PathParam("quota_id") String quotaId) {
        return caller.principal().compose(actor -> quotas.limits(actor, owner(namespace), quotaId))
                .map(found -> found.stream().map(QuotaJson.Limit::of).toList()).toCompletionStage();
    }

    @POST
    @Path("/{quota_id}/limit")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = QuotaJson.Limit.class)))
    public CompletionStage<Response> createLimit(@PathParam("namespace") String namespace, @PathParam("quota_id") String quotaId,
            QuotaJson.LimitBody body) {
        QuotaJson.LimitBody request = Bodies.required(body);
        return caller.principal()
                .compose(actor -> quotas.createLimit(actor, owner(namespace), quotaId, request.type(), request.thresholdPercent()))
                .map(created -> Response.status(201).entity(QuotaJson.Limit.of(created)).build()).toCompletionStage();
    }

    @GET
    @Path("/{quota_id}/limit/{limit_id}")
    public CompletionStage<QuotaJson.Limit> limit(@PathParam("namespace") String namespace, @PathParam("quota_id") String quotaId,
            @PathParam("limit_id") String limitId) {
        return caller.principal().compose(actor -> quotas.limit(actor, owner(namespace), quotaId, limitId)).map(QuotaJson.Limit::of)
                .toCompletionStage();
    }

    /** Answers the quota with its limits, as Quay does. */
    @PUT
    @Path("/{quota_id}/limit/{limit_id}")
    public CompletionStage<QuotaJson.Quota> updateLimit(@PathParam("namespace") String namespace, @PathParam("quota_id") String quotaId,
            @PathParam("limit_id") String limitId, QuotaJson.LimitBody body) {
        QuotaJson.LimitBody request = Bodies.required(body);
        return caller.principal()
                .compose(actor -> quotas.updateLimit(actor, owner(namespace), quotaId, limitId, request.type(), request.thresholdPercent()))
                .map(QuotaJson.Quota::of).toCompletionStage();
    }

    @DELETE
    @Path("/{quota_id}/limit/{limit_id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> deleteLimit(@PathParam("namespace") String namespace, @PathParam("quota_id") String quotaId,
            @PathParam("limit_id") String limitId) {
        return caller.principal().compose(actor -> quotas.deleteLimit(actor, owner(namespace), quotaId, limitId))
                .map(deleted -> Response.noContent().build()).toCompletionStage();
    }

    /** Recomputes the namespace's usage from its repositories, reports the drift of the counter, and fixes it. */
    @POST
    @Path("/recount")
    public CompletionStage<QuotaJson.Recount> recount(@PathParam("namespace") String namespace) {
        QuotaOwner owner = owner(namespace);
        return caller.principal().compose(actor -> quotas.list(actor, owner).compose(readable -> recount.recount(actor, owner.namespace())))
                .map(QuotaJson.Recount::of).toCompletionStage();
    }
}
