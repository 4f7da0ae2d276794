package io.berth.api.v1;

import io.berth.core.account.Actors;
import io.berth.core.quota.QuotaOwner;
import io.berth.core.quota.QuotaService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The caller's own namespace's quota, read only, at Quay's {@code /api/v1/user/quota}. */
@Path("/api/v1/user/quota")
@Produces(MediaType.APPLICATION_JSON)
public class UserQuotaResource {
    @Inject
    QuotaService quotas;

    @Inject
    ApiCaller caller;

    @GET
    public CompletionStage<List<QuotaJson.Quota>> list() {
        return caller.principal().compose(actor -> quotas.list(actor, own(actor)))
                .map(found -> found.stream().map(QuotaJson.Quota::of).toList()).toCompletionStage();
    }

    @GET
    @Path("/{quota_id}")
    public CompletionStage<QuotaJson.Quota> get(@PathParam("quota_id") String quotaId) {
        return caller.principal().compose(actor -> quotas.get(actor, own(actor), quotaId)).map(QuotaJson.Quota::of).toCompletionStage();
    }

    @GET
    @Path("/{quota_id}/limit")
    public CompletionStage<List<QuotaJson.Limit>> limits(@PathParam("quota_id") String quotaId) {
        return caller.principal().compose(actor -> quotas.limits(actor, own(actor), quotaId))
                .map(found -> found.stream().map(QuotaJson.Limit::of).toList()).toCompletionStage();
    }

    @GET
    @Path("/{quota_id}/limit/{limit_id}")
    public CompletionStage<QuotaJson.Limit> limit(@PathParam("quota_id") String quotaId, @PathParam("limit_id") String limitId) {
        return caller.principal().compose(actor -> quotas.limit(actor, own(actor), quotaId, limitId)).map(QuotaJson.Limit::of)
                .toCompletionStage();
    }

    private static QuotaOwner own(io.berth.core.auth.Principal actor) {
        return QuotaOwner.user(Actors.requireUser(actor).username());
    }
}
