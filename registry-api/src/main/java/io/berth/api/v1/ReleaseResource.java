package io.berth.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.audit.UsageRecorder;
import io.berth.core.domain.RepositoryName;
import io.berth.core.release.ReleaseItemView;
import io.berth.core.release.ReleaseRequest;
import io.berth.core.release.ReleaseService;
import io.berth.core.release.ReleaseTags;
import io.berth.core.release.ReleaseView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Release snapshots with the delivery platform's names: create (recorded and answered at once, the
 * copy then runs in the background), list with {@code pageNum}/{@code pageSize}, get with every
 * item's details, retry a failed one, delete one with the tags it set.
 */
@Path("/api/v1/release")
@Produces(MediaType.APPLICATION_JSON)
public class ReleaseResource {

    /** How far a release got; {@code upload_status} is {@code waiting}, {@code uploading}, {@code success} or {@code failed}. */
    public record Progress(int success_count, int total_count, String upload_status, String error) {
    }

    /**
     * An item: an image, or a Helm chart with the {@code images} it names. {@code upload_status} is
     * {@code waiting}, {@code success} or {@code failed}; {@code tagged} says whether {@code target}
     * names {@code digest}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int id, String type, String source, String target, String digest, String upload_status, boolean tagged,
            String error, long created_time, Long updated_time, List<Item> images) {
    }

    /** A release; {@code progress} and {@code items} only in its details, as the delivery platform has it. */
    public record Release(String id, String version_name, String status, List<String> labels, String description, Progress progress,
            String error, String created_by, long created_time, Long finished_time,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Item> items) {
    }

    public record ReleaseList(List<Release> list, long total) {
    }

    public record Deleted(String message, List<String> deleted_tags, List<String> kept_tags) {
    }

    @Inject
    ReleaseService releases;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "Recorded; the copy runs in the background: follow it at the Location",
            content = @Content(schema = @Schema(implementation = Release.class)))
    public CompletionStage<Response> create(JsonNode body) {
        return caller.principal().compose(actor -> releases.create(actor, ReleaseRequest.parse(Bodies.required(body))))
                .map(release -> Response.accepted(details(release)).location(URI.create("/api/v1/release/" + release.id())).build())
                .toCompletionStage();
    }

    @GET
    public CompletionStage<ReleaseList> list(@QueryParam("pageNum") String pageNum, @QueryParam("pageSize") String pageSize) {
        int page = QueryParameters.integer("pageNum", pageNum, 1, 1, 1_000_000);
        int size = QueryParameters.integer("pageSize", pageSize, 20, 1, ReleaseService.MAX_PAGE_SIZE);
        return caller.principal().compose(actor -> releases.list(actor, page, size))
                .map(found -> new ReleaseList(found.releases().stream().map(ReleaseResource::summary).toList(), found.total()))
                .toCompletionStage();
    }

    @GET
    @Path("/{id}")
    public CompletionStage<Release> get(@PathParam("id") String id) {
        return caller.principal().compose(actor -> releases.get(actor, id)).map(ReleaseResource::details).toCompletionStage();
    }

    @POST
    @Path("/{id}/retry")
    @APIResponse(responseCode = "202", description = "Retrying: what failed is copied again in the background",
            content = @Content(schema = @Schema(implementation = Release.class)))
    public CompletionStage<Response> retry(@PathParam("id") String id) {
        return caller.principal().compose(actor -> releases.retry(actor, id))
                .map(release -> Response.accepted(details(release)).location(URI.create("/api/v1/release/" + release.id())).build())
                .toCompletionStage();
    }

    @DELETE
    @Path("/{id}")
    public CompletionStage<Deleted> delete(@PathParam("id") String id) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> releases.delete(actor, id).map(deleted -> {
            for (ReleaseTags.TargetTag tag : deleted.deletedTags()) {
                usage.repository(actor, ip, "delete_tag", RepositoryName.parse(tag.repository()),
                        UsageRecorder.details("tag", tag.tag(), "release", id));
            }
            return new Deleted("success", names(deleted.deletedTags()), names(deleted.keptTags()));
        })).toCompletionStage();
    }

    private static List<String> names(List<ReleaseTags.TargetTag> tags) {
        return tags.stream().map(tag -> tag.repository() + ":" + tag.tag()).toList();
    }

    private static Release summary(ReleaseView release) {
        return release(release, null, null);
    }

    private static Release details(ReleaseView release) {
        return release(release, new Progress(release.successCount(), release.totalCount(), release.uploadStatus(),
                release.error() == null ? "" : release.error()), items(release.items()));
    }

    private static Release release(ReleaseView release, Progress progress, List<Item> items) {
        return new Release(release.id(), release.versionName(), release.status(), release.labels(), release.description(), progress,
                release.error(), release.createdBy(), release.createdAt().getEpochSecond(), seconds(release.finishedAt()), items);
    }

    /** The items as the request gave them: each chart with its images nested under it. */
    private static List<Item> items(List<ReleaseItemView> views) {
        Map<Integer, List<Item>> imagesOfCharts = new LinkedHashMap<>();
        for (ReleaseItemView view : views) {
            if (view.chartPosition() != null) {
                imagesOfCharts.computeIfAbsent(view.chartPosition(), chart -> new ArrayList<>()).add(item(view, null));
            }
        }
        return views.stream().filter(view -> view.chartPosition() == null)
                .map(view -> item(view, "helm_chart".equals(view.kind()) ? imagesOfCharts.getOrDefault(view.position(), List.of()) : null))
                .toList();
    }

    private static Item item(ReleaseItemView view, List<Item> images) {
        return new Item(view.position(), view.kind(), view.source(), view.target(), view.digest(), view.status(), view.tagged(),
                view.error(), view.createdAt().getEpochSecond(), seconds(view.updatedAt()), images);
    }

    private static Long seconds(Instant time) {
        return time == null ? null : time.getEpochSecond();
    }
}
