package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import io.berth.core.domain.RepositoryName;
import io.berth.core.image.ImageCatalog;
import io.berth.core.image.ImageService;
import io.berth.core.image.ImageView;
import io.berth.core.label.LabelService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.Response;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A repository's images: the Container Registry API's listing, and Quay's manifest paths to look
 * one up, list its layers (by digest or tag), delete it with its tags, and its labels. Declared under the same
 * class path as {@link RepositoryResource}, so that these longer templates win over its
 * {@code {repository}} (which may contain slashes).
 */
@Path("/api/v1/repository")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {
    private static final int MAX_LIMIT = 1000;

    /** The Container Registry API's envelope: {@code totalCount} the repository's images, {@code filteredCount} those the search matches. */
    public record ImageList(List<ImageView> images, long totalCount, long filteredCount) {
    }

    public record LayerList(List<ImageView.Layer> layers) {
    }

    public record Deleted(String digest, List<String> tags) {
    }

    public record LabelBody(String key, String value, String media_type) {
    }

    public record LabelJson(String id, String key, String value, String media_type, String source_type) {
        static LabelJson of(LabelService.Label label) {
            return new LabelJson(label.id(), label.key(), label.value(), label.mediaType(), label.sourceType());
        }
    }

    public record LabelList(List<LabelJson> labels) {
    }

    @Inject
    ImageService images;

    @Inject
    LabelService labels;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    /**
     * Newest first unless {@code sort_field} (createdAt, lastPulled, pullCount, size) and {@code sort_type}
     * (desc by default) say otherwise; {@code search} matches digests and tag names.
     */
    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/image")
    public CompletionStage<ImageList> list(@PathParam("repository") String repository, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset, @QueryParam("search") String search, @QueryParam("sort_field") String sortField,
            @QueryParam("sort_type") String sortType) {
        ImageCatalog.Order order = ImageCatalog.Order.parse(sortField, sortType);
        return caller.principal().compose(actor -> images.list(actor, RepositoryResource.name(repository), search, order,
                        QueryParameters.integer("limit", limit, 10, 1, MAX_LIMIT), QueryParameters.integer("offset", offset, 0, 0, Integer.MAX_VALUE)))
                .map(page -> new ImageList(page.images(), page.totalCount(), page.filteredCount()))
                .toCompletionStage();
    }

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/manifest/{digest}")
    public CompletionStage<ImageView> get(@PathParam("repository") String repository, @PathParam("digest") String digest) {
        return caller.principal().compose(actor -> images.get(actor, RepositoryResource.name(repository), digest)).toCompletionStage();
    }

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/manifest/{reference}/layers")
    public CompletionStage<LayerList> layers(@PathParam("repository") String repository, @PathParam("reference") String reference) {
        return caller.principal().compose(actor -> images.layers(actor, RepositoryResource.name(repository), reference))
                .map(LayerList::new).toCompletionStage();
    }

    @DELETE
    @Path("/{repository: " + RepositoryPath.REGEX + "}/manifest/{digest}")
    public CompletionStage<Deleted> delete(@PathParam("repository") String repository, @PathParam("digest") String digest) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = RepositoryResource.name(repository);
            return images.delete(actor, name, digest).map(tags -> {
                Deleted deleted = new Deleted(digest, tags);
                usage.repository(actor, ip, "delete_manifest", name, UsageRecorder.details("manifest_digest", digest, "tags", deleted.tags()));
                return deleted;
            });
        }).toCompletionStage();
    }

    /** Labels of a manifest, those whose key starts with {@code filter} when given. */
    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/manifest/{digest}/labels")
    public CompletionStage<LabelList> labels(@PathParam("repository") String repository, @PathParam("digest") String digest,
            @QueryParam("filter") String filter) {
        return caller.principal().compose(actor -> labels.list(actor, RepositoryResource.name(repository), digest, filter))
                .map(found -> new LabelList(found.stream().map(LabelJson::of).toList()))
                .toCompletionStage();
    }

    @POST
    @Path("/{repository: " + RepositoryPath.REGEX + "}/manifest/{digest}/labels")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = LabelJson.class)))
    public CompletionStage<Response> addLabel(@PathParam("repository") String repository, @PathParam("digest") String digest, LabelBody body) {
        LabelBody request = Bodies.required(body);
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = RepositoryResource.name(repository);
            return labels.add(actor, name, digest, request.key(), request.value(), request.media_type()).map(label -> {
                LabelJson added = LabelJson.of(label);
                usage.repository(actor, ip, "manifest_label_add", name, UsageRecorder.details("manifest_digest", digest, "key", added.key()));
                return Response.status(201).entity(added).build();
            });
        }).toCompletionStage();
    }

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/manifest/{digest}/labels/{labelid}")
    public CompletionStage<LabelJson> label(@PathParam("repository") String repository, @PathParam("digest") String digest,
            @PathParam("labelid") String labelId) {
        return caller.principal().compose(actor -> labels.get(actor, RepositoryResource.name(repository), digest, labelId))
                .map(LabelJson::of).toCompletionStage();
    }

    @DELETE
    @Path("/{repository: " + RepositoryPath.REGEX + "}/manifest/{digest}/labels/{labelid}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> deleteLabel(@PathParam("repository") String repository, @PathParam("digest") String digest,
            @PathParam("labelid") String labelId) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = RepositoryResource.name(repository);
            return labels.delete(actor, name, digest, labelId).map(deleted -> {
                usage.repository(actor, ip, "manifest_label_delete", name, UsageRecorder.details("manifest_digest", digest, "label", labelId));
                return Response.noContent().build();
            });
        }).toCompletionStage();
    }
}
