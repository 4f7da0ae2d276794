package io.berth.api.v1;

import io.berth.api.v1.ImmutabilityPolicyResource.Policy;
import io.berth.api.v1.ImmutabilityPolicyResource.PolicyBody;
import io.berth.api.v1.ImmutabilityPolicyResource.PolicyList;
import io.berth.api.audit.UsageRecorder;
import io.berth.core.auth.Principal;
import io.berth.core.immutability.ImmutabilityPolicyService;
import io.berth.core.immutability.ImmutabilityRule;
import io.berth.core.immutability.RuleScope;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What the immutability policy endpoints of organizations and of repositories do alike, given the rules' scope. */
@Singleton
class ImmutabilityPolicyCalls {

    @Inject
    ImmutabilityPolicyService policies;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    CompletionStage<PolicyList> list(RuleScope scope) {
        return caller.principal().compose(actor -> policies.list(actor, scope))
                .map(rules -> new PolicyList(rules.stream().map(Policy::of).toList())).toCompletionStage();
    }

    CompletionStage<Policy> get(RuleScope scope, String uuid) {
        return caller.principal().compose(actor -> policies.get(actor, scope, uuid)).map(Policy::of).toCompletionStage();
    }

    CompletionStage<Response> create(RuleScope scope, PolicyBody body) {
        PolicyBody request = Bodies.required(body);
        String ip = caller.ip();
        return caller.principal().compose(actor -> policies.create(actor, scope, request.tagPattern(), request.tagPatternMatches())
                .map(rule -> {
                    record(actor, ip, "create_immutability_policy", scope, rule);
                    return Response.status(201).entity(Policy.of(rule)).build();
                })).toCompletionStage();
    }

    CompletionStage<Policy> update(RuleScope scope, String uuid, PolicyBody body) {
        PolicyBody request = Bodies.required(body);
        String ip = caller.ip();
        return caller.principal().compose(actor -> policies.update(actor, scope, uuid, request.tagPattern(), request.tagPatternMatches())
                .map(rule -> {
                    record(actor, ip, "update_immutability_policy", scope, rule);
                    return Policy.of(rule);
                })).toCompletionStage();
    }

    CompletionStage<Response> delete(RuleScope scope, String uuid) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> policies.delete(actor, scope, uuid).map(deleted -> {
            log(actor, ip, "delete_immutability_policy", scope, UsageRecorder.details("uuid", uuid));
            return Response.noContent().build();
        })).toCompletionStage();
    }

    private void record(Principal actor, String ip, String kind, RuleScope scope, ImmutabilityRule rule) {
        log(actor, ip, kind, scope, UsageRecorder.details("uuid", rule.id().toString(), "tag_pattern", rule.pattern().source(),
                "tag_pattern_matches", rule.matching()));
    }

    private void log(Principal actor, String ip, String kind, RuleScope scope, Map<String, Object> details) {
        switch (scope) {
            case RuleScope.Organization organization -> usage.namespace(actor, ip, kind, organization.name(), details);
            case RuleScope.Repository repository -> usage.repository(actor, ip, kind, repository.name(), details);
        }
    }
}
