package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.immutability.ImmutabilityService;
import io.berth.core.tag.TagQuery;
import io.berth.core.tag.TagService;
import io.berth.core.tag.TagView;
import io.vertx.core.Future;
import io.berth.core.tag.policy.NewestTagService;
import io.berth.core.tag.policy.TagPolicy;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A repository's tags at Quay's paths: list (with history), point at a manifest and set an expiry,
 * restore, delete one, and delete many at once answering 207 Multi-Status; and the newest tag by a
 * policy ({@code GET .../tag/newest}: no GET of a single tag exists, so a tag named {@code newest}
 * is still changed and deleted at {@code .../tag/newest} by PUT and DELETE).
 */
@Path("/api/v1/repository/{repository: " + RepositoryPath.REGEX + "}/tag")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TagResource {

    /**
     * A tag as Quay shows it; {@code start_ts} and {@code end_ts} in seconds since the epoch;
     * {@code immutable}: whether an immutability rule protects the tag's name now. Its pulls:
     * {@code pullCount}, and {@code lastPulled} (null when never); neither on a past period of a tag.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TagJson(String name, String manifest_digest, boolean is_manifest_list, long size, Instant last_modified,
            Instant expiration, Long start_ts, Long end_ts, boolean immutable, Long pullCount,
            @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastPulled) {
        static TagJson of(TagView tag, Set<String> immutableTags) {
            return new TagJson(tag.name(), tag.manifestDigest(), tag.isManifestList(), tag.size(), tag.lastModified(), tag.expiration(),
                    tag.start() == null ? null : tag.start().getEpochSecond(), tag.end() == null ? null : tag.end().getEpochSecond(),
                    immutableTags.contains(tag.name()), tag.pulls().count(), tag.pulls().lastPulled());
        }
    }

    public record TagList(List<TagJson> tags, int page, boolean has_additional) {
    }

    /** {@code expiration}: seconds since the epoch (Quay's form) or an ISO-8601 time. */
    public record TagBody(String manifest_digest, JsonNode expiration) {
    }

    public record BulkBody(List<String> tags) {
    }

    public record BulkResult(String tag, int status, String result, String detail) {
    }

    public record BulkResults(List<BulkResult> results) {
    }

    @Inject
    TagService tags;

    @Inject
    ImmutabilityService immutability;

    @Inject
    NewestTagService newestTags;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @GET
    @Path("/")
    public CompletionStage<TagList> list(@PathParam("repository") String repository, @QueryParam("page") String page,
            @QueryParam("limit") String limit, @QueryParam("onlyActiveTags") String onlyActive, @QueryParam("filter_tag_name") String filter,
            @QueryParam("specificTag") String specificTag, @QueryParam("sort_field") String sortField,
            @QueryParam("sort_type") String sortType) {
        int pageNumber = QueryParameters.integer("page", page, 1, 1, Integer.MAX_VALUE);
        RepositoryName name = name(repository);
        return caller.principal().compose(actor -> tags.list(actor, name, TagQuery.of(pageNumber,
                        QueryParameters.integer("limit", limit, 50, 1, TagQuery.MAX_LIMIT),
                        QueryParameters.bool("onlyActiveTags", onlyActive, false), filter, specificTag, sortField, sortType)))
                .compose(found -> immutability.protectedTags(name, found.tags().stream().map(TagView::name).distinct().toList())
                        .map(immutable -> new TagList(found.tags().stream().map(tag -> TagJson.of(tag, immutable)).toList(), pageNumber,
                                found.hasAdditional())))
                .toCompletionStage();
    }

    /**
     * The newest tag by a policy, or ({@code list=true}) the tags it admits, newest first, paged as the
     * tag listing is ({@code page} from 1, {@code limit} up to 100).
     */
    @GET
    @Path("/newest")
    @APIResponse(responseCode = "200", description = "The newest tag (or with list=true, {tags, page, has_additional})",
            content = @Content(schema = @Schema(implementation = NewestTags.RankedTagJson.class)))
    public CompletionStage<Object> newest(@PathParam("repository") String repository, @QueryParam("strategy") String strategy,
            @QueryParam("constraint") String constraint, @QueryParam("allow") String allow, @QueryParam("ignore") String ignore,
            @QueryParam("prerelease") String prerelease, @QueryParam("list") String list, @QueryParam("page") String page,
            @QueryParam("limit") String limit) {
        RepositoryName name = name(repository);
        TagPolicy policy = TagPolicy.of(strategy, constraint, allow, ignore, QueryParameters.bool("prerelease", prerelease, false));
        boolean listed = QueryParameters.bool("list", list, false);
        int pageNumber = QueryParameters.integer("page", page, 1, 1, Integer.MAX_VALUE);
        int pageSize = QueryParameters.integer("limit", limit, 50, 1, TagQuery.MAX_LIMIT);
        return caller.principal().compose(actor -> listed
                ? newestTags.ranked(actor, name, policy, (int) Math.min((long) (pageNumber - 1) * pageSize, Integer.MAX_VALUE), pageSize)
                        .<Object>map(found -> NewestTags.list(found, pageNumber))
                : newestTags.newest(actor, name, policy).<Object>map(NewestTags.RankedTagJson::of)).toCompletionStage();
    }

    @PUT
    @Path("/{tag}")
    public CompletionStage<TagJson> put(@PathParam("repository") String repository, @PathParam("tag") String tag, TagBody body) {
        TagBody request = Bodies.required(body);
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = name(repository);
            return tags.put(actor, name, tag, request.manifest_digest(), expiration(request.expiration()))
                    .compose(view -> shown(name, view))
                    .map(changed -> {
                        usage.repository(actor, ip, "change_tag", name, UsageRecorder.details("tag", tag, "manifest_digest",
                                changed.manifest_digest(), "expiration", changed.expiration() == null ? null : changed.expiration().toString()));
                        return changed;
                    });
        }).toCompletionStage();
    }

    @DELETE
    @Path("/{tag}")
    public CompletionStage<Map<String, String>> delete(@PathParam("repository") String repository, @PathParam("tag") String tag) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = name(repository);
            return tags.delete(actor, name, tag).map(deleted -> {
                usage.repository(actor, ip, "delete_tag", name, UsageRecorder.details("tag", tag));
                return Map.of("deleted_tag", tag);
            });
        }).toCompletionStage();
    }

    @POST
    @Path("/{tag}/restore")
    public CompletionStage<TagJson> restore(@PathParam("repository") String repository, @PathParam("tag") String tag, TagBody body) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = name(repository);
            return tags.restore(actor, name, tag, Bodies.required(body).manifest_digest())
                    .compose(view -> shown(name, view))
                    .map(restored -> {
                        usage.repository(actor, ip, "restore_tag", name, UsageRecorder.details("tag", tag, "manifest_digest",
                                restored.manifest_digest()));
                        return restored;
                    });
        }).toCompletionStage();
    }

    /** 207 Multi-Status: one result per tag, each deleted or not on its own. */
    @POST
    @Path("/bulk-delete")
    @APIResponse(responseCode = "207", description = "One result per tag, each with its own status",
            content = @Content(schema = @Schema(implementation = BulkResults.class)))
    public CompletionStage<Response> bulkDelete(@PathParam("repository") String repository, BulkBody body) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = name(repository);
            return tags.bulkDelete(actor, name, Bodies.required(body).tags()).map(outcomes -> {
                List<BulkResult> results = outcomes.stream()
                        .map(outcome -> new BulkResult(outcome.tag(), outcome.status(), outcome.result(), outcome.detail())).toList();
                List<String> deleted = results.stream().filter(result -> result.status() == 200).map(BulkResult::tag).toList();
                if (!deleted.isEmpty()) {
                    usage.repository(actor, ip, "delete_tags", name, UsageRecorder.details("tags", deleted));
                }
                return Response.status(207).entity(new BulkResults(results)).build();
            });
        }).toCompletionStage();
    }

    /** The tag as changed, showing whether it is immutable. */
    private Future<TagJson> shown(RepositoryName repository, TagView tag) {
        return immutability.protectedTags(repository, List.of(tag.name())).map(immutable -> TagJson.of(tag, immutable));
    }

    private static RepositoryName name(String repository) {
        return RepositoryResource.name(repository);
    }

    private static Instant expiration(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return value.isIntegralNumber() ? Instant.ofEpochSecond(value.asLong()) : Instant.parse(value.asText());
        } catch (RuntimeException e) {
            throw ManagementException.badRequest("expiration must be seconds since the epoch or an ISO-8601 time");
        }
    }
}
