package io.berth.api.v1;

import io.berth.core.quota.UsageRecount;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/** Recounts every namespace's usage (administrators): the drift each counter had, each then fixed. */
@Path("/api/v1/superuser/quota/recount")
@Produces(MediaType.APPLICATION_JSON)
public class UsageRecountResource {
    @Inject
    UsageRecount recount;

    @Inject
    ApiCaller caller;

    @POST
    public CompletionStage<QuotaJson.RecountList> recountAll() {
        return caller.principal().compose(recount::recountAll)
                .map(reports -> new QuotaJson.RecountList(reports.stream().map(QuotaJson.Recount::of).toList())).toCompletionStage();
    }
}
