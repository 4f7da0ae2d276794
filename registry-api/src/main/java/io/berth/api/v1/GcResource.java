package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import io.berth.core.gc.GcEstimate;
import io.berth.core.gc.GcRunService;
import io.berth.core.gc.GcRunView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * On-demand garbage collection, as the Container Registry API has it: start a run for a namespace
 * (its administrators) or the whole registry (superusers), optionally deleting untagged manifests
 * first or only reporting what would go; the size estimate; run status and progress; orphan sweeps.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class GcResource {

    /** What collection would free, in bytes: blobs nothing references, blobs only untagged manifests reference, and both. */
    public record GcSize(long sizeNonReferenced, long sizeUntagged, long sizeSummary) {
        static GcSize of(GcEstimate.Size size) {
            return new GcSize(size.sizeNonReferenced(), size.sizeUntagged(), size.sizeSummary());
        }
    }

    public record GcRunList(List<GcRunView> runs) {
    }

    @Inject
    GcRunService gc;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @POST
    @Path("/organization/{namespace}/gc")
    @APIResponse(responseCode = "202", description = "Started; follow it at the Location",
            content = @Content(schema = @Schema(implementation = GcRunView.class)))
    public CompletionStage<Response> start(@PathParam("namespace") String namespace, @QueryParam("delete_untagged") String deleteUntagged,
            @QueryParam("delete-untagged") String deleteUntaggedHyphenated, @QueryParam("dry_run") String dryRun) {
        return caller.principal().compose(actor -> gc.start(actor, namespace, deleteUntagged(deleteUntagged, deleteUntaggedHyphenated),
                QueryParameters.bool("dry_run", dryRun, false))).map(run -> {
                    usage.namespace(caller, "start_gc", namespace, UsageRecorder.details("run", run.id(),
                            "delete_untagged", run.deleteUntagged(), "dry_run", run.dryRun()));
                    return accepted(run);
                }).toCompletionStage();
    }

    @GET
    @Path("/organization/{namespace}/gc")
    public CompletionStage<GcRunList> runs(@PathParam("namespace") String namespace) {
        return caller.principal().compose(actor -> gc.list(actor, namespace)).map(GcRunList::new).toCompletionStage();
    }

    @GET
    @Path("/organization/{namespace}/gc/size")
    public CompletionStage<GcSize> size(@PathParam("namespace") String namespace) {
        return caller.principal().compose(actor -> gc.size(actor, namespace)).map(GcSize::of).toCompletionStage();
    }

    @GET
    @Path("/gc/{id}")
    public CompletionStage<GcRunView> run(@PathParam("id") String id) {
        return caller.principal().compose(actor -> gc.get(actor, id)).toCompletionStage();
    }

    @POST
    @Path("/superuser/gc")
    @APIResponse(responseCode = "202", description = "Started; follow it at the Location",
            content = @Content(schema = @Schema(implementation = GcRunView.class)))
    public CompletionStage<Response> startForRegistry(@QueryParam("delete_untagged") String deleteUntagged,
            @QueryParam("delete-untagged") String deleteUntaggedHyphenated, @QueryParam("dry_run") String dryRun) {
        return caller.principal().compose(actor -> gc.start(actor, null, deleteUntagged(deleteUntagged, deleteUntaggedHyphenated),
                QueryParameters.bool("dry_run", dryRun, false))).map(GcResource::accepted).toCompletionStage();
    }

    @GET
    @Path("/superuser/gc")
    public CompletionStage<GcRunList> registryRuns() {
        return caller.principal().compose(actor -> gc.list(actor, null)).map(GcRunList::new).toCompletionStage();
    }

    @GET
    @Path("/superuser/gc/size")
    public CompletionStage<GcSize> registrySize() {
        return caller.principal().compose(actor -> gc.size(actor, null)).map(GcSize::of).toCompletionStage();
    }

    @POST
    @Path("/superuser/gc/orphans")
    @APIResponse(responseCode = "202", description = "Started; follow it at the Location",
            content = @Content(schema = @Schema(implementation = GcRunView.class)))
    public CompletionStage<Response> sweepOrphans(@QueryParam("dry_run") String dryRun) {
        return caller.principal().compose(actor -> gc.sweepOrphans(actor, QueryParameters.bool("dry_run", dryRun, false)))
                .map(GcResource::accepted).toCompletionStage();
    }

    /** {@code delete_untagged}, or the API document's spelling {@code delete-untagged}. */
    private static boolean deleteUntagged(String underscored, String hyphenated) {
        return underscored != null ? QueryParameters.bool("delete_untagged", underscored, false)
                : QueryParameters.bool("delete-untagged", hyphenated, false);
    }

    private static Response accepted(GcRunView run) {
        return Response.accepted(run).location(URI.create("/api/v1/gc/" + run.id())).build();
    }
}
