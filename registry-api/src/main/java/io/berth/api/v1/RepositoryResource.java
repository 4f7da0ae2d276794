package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.gc.GcRunService;
import io.berth.core.gc.GcRunView;
import io.berth.core.paging.SortOrder;
import io.berth.core.repository.RepositoryCatalog;
import io.berth.core.repository.RepositoryCleanup;
import io.berth.core.repository.RepositoryQuery;
import io.berth.core.repository.RepositoryService;
import io.berth.core.repository.RepositoryView;
import io.berth.core.tag.TagQuery;
import io.berth.core.tag.TagService;
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
    RepositoryCleanup cleanup;

    @Inject
    GcRunService gc;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @POST
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Repository.class)))
    public Response create(CreateBody body) {
        CreateBody request = Bodies.required(body);
        RepositoryView created = repositories.create(caller.principal(), request.namespace(), request.repository(),
                request.visibility(), request.description());
        usage.repository(caller, "create_repo", RepositoryName.parse(created.name()), UsageRecorder.details("visibility",
                created.visibility()));
        return Response.status(201).entity(view(created, null)).build();
    }

    @GET
    public RepositoryList list(@QueryParam("namespace") String namespace, @QueryParam("public") String includePublic,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset, @QueryParam("search") String search,
            @QueryParam("sort_field") String sortField, @QueryParam("sort_type") String sortType,
            @QueryParam("short") String onlyNames) {
        boolean brief = QueryParameters.bool("short", onlyNames, false);
        RepositoryCatalog.Page page = repositories.list(caller.principal(), new RepositoryQuery(namespace,
                QueryParameters.bool("public", includePublic, true), search,
                RepositoryQuery.SortField.parse(sortField), SortOrder.descending(sortType),
                QueryParameters.integer("limit", limit, 100, 1, RepositoryQuery.MAX_LIMIT),
                QueryParameters.integer("offset", offset, 0, 0, Integer.MAX_VALUE)));
        return new RepositoryList(page.repositories().stream()
                .map(repository -> brief ? new Repository(repository.namespace(), repository.shortName(), repository.name(),
                        null, null, null, null, null, null, null, null, null) : view(repository, null))
                .toList(), page.totalCount(), page.filteredCount());
    }

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}")
    public Repository get(@PathParam("repository") String repository, @QueryParam("includeTags") String includeTags) {
        RepositoryName name = name(repository);
        RepositoryView found = repositories.get(caller.principal(), name);
        Map<String, TagResource.TagJson> included = null;
        if (QueryParameters.bool("includeTags", includeTags, false)) {
            included = new LinkedHashMap<>();
            for (var tag : tags.list(caller.principal(), name, new TagQuery(1, INCLUDED_TAGS, true, null, null)).tags()) {
                included.put(tag.name(), TagResource.TagJson.of(tag));
            }
        }
        return view(found, included);
    }

    @PUT
    @Path("/{repository: " + RepositoryPath.REGEX + "}")
    public Repository describe(@PathParam("repository") String repository, DescriptionBody body) {
        RepositoryView described = repositories.describe(caller.principal(), name(repository), Bodies.required(body).description());
        usage.repository(caller, "change_repo_description", name(repository), Map.of());
        return view(described, null);
    }

    @PUT
    @Path("/{repository: " + RepositoryPath.REGEX + "}/changestate")
    public Repository changeState(@PathParam("repository") String repository, StateBody body) {
        RepositoryView changed = repositories.changeState(caller.principal(), name(repository), Bodies.required(body).state());
        usage.repository(caller, "change_repo_state", name(repository), UsageRecorder.details("state", changed.state()));
        return view(changed, null);
    }

    /** Deletes the named images, each with all its tags; reports what went and what did not, and why. */
    @POST
    @Path("/{repository: " + RepositoryPath.REGEX + "}/cleanup")
    public CleanupResult cleanup(@PathParam("repository") String repository, CleanupBody body) {
        CleanupBody request = Bodies.required(body);
        RepositoryCleanup.Report report = cleanup.cleanup(caller.principal(), name(repository), request.tags(), request.digests());
        usage.repository(caller, "cleanup", name(repository), UsageRecorder.details("deleted", report.deleted().size(),
                "failed", report.failed().size()));
        String gcRun = Boolean.TRUE.equals(request.disable_gc()) || report.deleted().isEmpty() ? null
                : gc.startAfterCleanup(name(repository), caller.principal().name()).map(GcRunView::id).orElse(null);
        return new CleanupResult(report.deleted(), report.failed(), gcRun);
    }

    @DELETE
    @Path("/{repository: " + RepositoryPath.REGEX + "}")
    @APIResponse(responseCode = "204", description = "Deleted, with everything in it")
    public Response delete(@PathParam("repository") String repository) {
        repositories.delete(caller.principal(), name(repository));
        usage.repository(caller, "delete_repo", name(repository), Map.of());
        return Response.noContent().build();
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
