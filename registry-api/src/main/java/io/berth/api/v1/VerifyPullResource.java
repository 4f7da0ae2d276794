package io.berth.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.api.audit.UsageRecorder;
import io.berth.core.pullcheck.ImageReference;
import io.berth.core.pullcheck.PlatformSpec;
import io.berth.core.pullcheck.PullCheck;
import io.berth.core.pullcheck.PullVerdict;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;

/**
 * {@code POST /api/v1/verify-pull}: can these credentials pull this image (000's {@code verify_image})?
 * The credentials to check are in the body, so the caller needs none of its own: a deployment
 * platform asks with the pull credentials a customer gave it. Wrong credentials are throttled as
 * sign-ins are. Every check goes to the repository's usage log as {@code verify_pull}, never as a pull.
 */
@Path("/api/v1/verify-pull")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VerifyPullResource {

    /** {@code username} and {@code password} both absent: an anonymous pull. */
    public record VerifyPullBody(String image, String username, String password, String platform) {
    }

    /** A platform an index offers, as in the answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlatformJson(String os, String architecture, String variant, String digest) {
    }

    /**
     * {@code reason}: a stable code; {@code message}: the same for people; {@code digest}: what the
     * reference resolved to; {@code platformDigest}: the platform's manifest picked from an index;
     * {@code platforms}: an index's platforms, once the caller may pull it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VerifyPullAnswer(boolean pullable, String reason, String message, String digest, String platformDigest,
            List<PlatformJson> platforms) {
        static VerifyPullAnswer of(PullVerdict verdict) {
            return new VerifyPullAnswer(verdict.pullable(), verdict.reason().code(), verdict.message(), verdict.digest(),
                    verdict.platformDigest(), verdict.platforms() == null ? null : verdict.platforms().stream()
                            .map(platform -> new PlatformJson(platform.os(), platform.architecture(), platform.variant(), platform.digest()))
                            .toList());
        }
    }

    @Inject
    PullCheck pullCheck;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @POST
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "Whether the pull would succeed, and why (or why not)",
            content = @Content(schema = @Schema(implementation = VerifyPullAnswer.class)))
    @APIResponse(responseCode = "429", description = "Too many failed credential checks for this username or from this address",
            content = @Content(schema = @Schema(ref = "#/components/schemas/ApiError")))
    public CompletionStage<VerifyPullAnswer> verify(VerifyPullBody body) {
        VerifyPullBody request = Bodies.required(body);
        ImageReference image = ImageReference.parse(request.image(), caller.host());
        PlatformSpec platform = PlatformSpec.parse(request.platform());
        String ip = caller.ip();
        return pullCheck.check(image, platform, request.username(), request.password(), ip).map(checked -> {
            PullVerdict verdict = checked.verdict();
            usage.repository(checked.principal(), ip, "verify_pull", image.repository(), UsageRecorder.details(
                    "reference", image.reference().toString(), "platform", platform == null ? null : platform.toString(),
                    "username", request.username(), "pullable", verdict.pullable(), "reason", verdict.reason().code()));
            return VerifyPullAnswer.of(verdict);
        }).toCompletionStage();
    }
}
