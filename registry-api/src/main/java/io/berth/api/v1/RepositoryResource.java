package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.gc.GcRunService;
import io.berth.core.gc.GcRunView;
import io.berth.core.immutability.ImmutabilityService;
import io.berth.core.paging.SortOrder;
import io.berth.core.repository.RepositoryCleanup;
import io.berth.core.repository.RepositoryQuery;
import io.berth.core.repository.RepositoryService;
import io.berth.core.repository.RepositoryView;
import io.berth.core.tag.TagQuery;
import io.berth.core.tag.TagService;
import io.berth.core.tag.TagView;
import io.vertx.core.Future;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Repositories at Quay's paths: create, list (with the Container Registry API's paging, search and
 * sorting), get (optionally with its tags), describe, change state, delete. {@code {repository}} is
 * the full path and may contain slashes.
 */
@Path("/api/v1/repository")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepositoryResource {
    /** How many tags {@code includeTags} returns at most; the tag endpoint pages through the rest. */
    private static final int INCLUDED_TAGS = 100;

    public record CreateBody(String namespace, String repository, String visibility, String description) {
    }

    public record DescriptionBody(String description) {
    }

    public record StateBody(String state) {
    }

    /** {@code disable_gc}: true to leave what the cleanup released to background collection. */
    public record CleanupBody(List<String> tags, List<String> digests, Boolean disable_gc) {
    }

    /** The cleanup's report, and the garbage collection run it started (when it started one). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CleanupResult(List<RepositoryCleanup.Deleted> deleted, List<RepositoryCleanup.Failed> failed, String gcRunId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Repository(String namespace, String name, String full_name, String description, Boolean is_public,
            String visibility, String state, String kind, Long size, Instant created, Instant last_modified,
            Map<String, TagResource.TagJson> tags) {
    }

    /**
     * The Container Registry API's envelope: {@code totalCount} the repositories in scope (visible, in
     * the namespace asked for), {@code filteredCount} those the search matches.
     */
    public record RepositoryList(List<Repository> repositories, long totalCount, long filteredCount) {
    }

    @Inject
    RepositoryService repositories;

    @Inject
    TagService tags;

    @Inject
    ImmutabilityService immutability;

    @Inject
    RepositoryCleanup cleanup;

    @Inject
    GcRunService gc;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @POST
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Repository.class)))
    public CompletionStage<Response> create(CreateBody body) {
        CreateBody request = Bodies.required(body);
        String ip = caller.ip();
        return caller.principal().compose(actor -> repositories.create(actor, request.namespace(), request.repository(),
                request.visibility(), request.description()).map(created -> {
                    usage.repository(actor, ip, "create_repo", RepositoryName.parse(created.name()), UsageRecorder.details("visibility",
                            created.visibility()));
                    return Response.status(201).entity(view(created, null)).build();
                })).toCompletionStage();
    }

    @GET
    public CompletionStage<RepositoryList> list(@QueryParam("namespace") String namespace, @QueryParam("public") String includePublic,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset, @QueryParam("search") String search,
            @QueryParam("sort_field") String sortField, @QueryParam("sort_type") String sortType,
            @QueryParam("short") String onlyNames) {
        boolean brief = QueryParameters.bool("short", onlyNames, false);
        return caller.principal().compose(actor -> repositories.list(actor, new RepositoryQuery(namespace,
                QueryParameters.bool("public", includePublic, true), search,
                RepositoryQuery.SortField.parse(sortField), SortOrder.descending(sortType),
                QueryParameters.integer("limit", limit, 100, 1, RepositoryQuery.MAX_LIMIT),
                QueryParameters.integer("offset", offset, 0, 0, Integer.MAX_VALUE))))
                .map(page -> new RepositoryList(page.repositories().stream()
                        .map(repository -> brief ? new Repository(repository.namespace(), repository.shortName(), repository.name(),
                                null, null, null, null, null, null, null, null, null) : view(repository, null))
                        .toList(), page.totalCount(), page.filteredCount()))
                .toCompletionStage();
    }

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}")
    public CompletionStage<Repository> get(@PathParam("repository") String repository, @QueryParam("includeTags") String includeTags) {
        RepositoryName name = name(repository);
        return caller.principal().compose(actor -> repositories.get(actor, name).compose(found -> {
            if (!QueryParameters.bool("includeTags", includeTags, false)) {
                return Future.succeededFuture(view(found, null));
            }
            return tags.list(actor, name, new TagQuery(1, INCLUDED_TAGS, true, null, null))
                    .compose(page -> immutability.protectedTags(name, page.tags().stream().map(TagView::name).toList()).map(immutable -> {
                        Map<String, TagResource.TagJson> included = new LinkedHashMap<>();
                        for (var tag : page.tags()) {
                            included.put(tag.name(), TagResource.TagJson.of(tag, immutable));
                        }
                        return view(found, included);
                    }));
        })).toCompletionStage();
    }

    @PUT
    @Path("/{repository: " + RepositoryPath.REGEX + "}")
    public CompletionStage<Repository> describe(@PathParam("repository") String repository, DescriptionBody body) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = name(repository);
            return repositories.describe(actor, name, Bodies.required(body).description()).map(described -> {
                usage.repository(actor, ip, "change_repo_description", name, Map.of());
                return view(described, null);
            });
        }).toCompletionStage();
    }

    @PUT
    @Path("/{repository: " + RepositoryPath.REGEX + "}/changestate")
    public CompletionStage<Repository> changeState(@PathParam("repository") String repository, StateBody body) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = name(repository);
            return repositories.changeState(actor, name, Bodies.required(body).state()).map(changed -> {
                usage.repository(actor, ip, "change_repo_state", name, UsageRecorder.details("state", changed.state()));
                return view(changed, null);
            });
        }).toCompletionStage();
    }

    /** Deletes the named images, each with all its tags; reports what went and what did not, and why. */
    @POST
    @Path("/{repository: " + RepositoryPath.REGEX + "}/cleanup")
    public CompletionStage<CleanupResult> cleanup(@PathParam("repository") String repository, CleanupBody body) {
        CleanupBody request = Bodies.required(body);
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = name(repository);
            return cleanup.cleanup(actor, name, request.tags(), request.digests()).compose(report -> {
                usage.repository(actor, ip, "cleanup", name, UsageRecorder.details("deleted", report.deleted().size(),
                        "failed", report.failed().size()));
                Future<Optional<GcRunView>> gcRun = Boolean.TRUE.equals(request.disable_gc()) || report.deleted().isEmpty()
                        ? Future.succeededFuture(Optional.empty()) : gc.startAfterCleanup(name, actor.name());
                return gcRun.map(run -> new CleanupResult(report.deleted(), report.failed(), run.map(GcRunView::id).orElse(null)));
            });
        }).toCompletionStage();
    }

    @DELETE
    @Path("/{repository: " + RepositoryPath.REGEX + "}")
    @APIResponse(responseCode = "204", description = "Deleted, with everything in it")
    public CompletionStage<Response> delete(@PathParam("repository") String repository) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = name(repository);
            return repositories.delete(actor, name).map(deleted -> {
                usage.repository(actor, ip, "delete_repo", name, Map.of());
                return Response.noContent().build();
            });
        }).toCompletionStage();
    }

    /** A repository path from the URL, validated (400 when it is not a repository name). */
    static RepositoryName name(String repository) {
        if (!RepositoryName.isValid(repository)) {
            throw ManagementException.badRequest("invalid repository name " + repository);
        }
        return RepositoryName.parse(repository);
    }

    private static Repository view(RepositoryView repository, Map<String, TagResource.TagJson> tags) {
        return new Repository(repository.namespace(), repository.shortName(), repository.name(), repository.description(),
                "public".equals(repository.visibility()), repository.visibility(), repository.state(), repository.kind(),
                repository.size(), repository.createdAt(), repository.lastModified(), tags);
    }
}
