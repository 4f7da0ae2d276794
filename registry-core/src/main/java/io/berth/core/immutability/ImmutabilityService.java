package io.berth.core.immutability;

import io.berth.core.domain.RepositoryName;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tags immutability rules protect. Anything that moves or removes tags asks here first: pushes,
 * tag changes and deletes, cleanups, expiry and pruning. Answers come from {@link ImmutabilityRuleCache},
 * so asking costs no query once a repository's rules are loaded.
 *
 * <p>A rule applies to changes that begin after it was created (its creation reaches every node's
 * cache within moments through the invalidation channel); a push already past its check when the
 * rule commits completes.
 */
@Singleton
public class ImmutabilityService {
    private final Database database;
    private final ImmutabilityRuleRecords records;
    private final ImmutabilityRuleCache cache;

    @Inject
    public ImmutabilityService(Database database, ImmutabilityRuleRecords records, ImmutabilityRuleCache cache) {
        this.database = database;
        this.records = records;
        this.cache = cache;
    }

    /** Which of {@code tagNames} an immutability rule of the repository or of its namespace protects. */
    public Future<Set<String>> protectedTags(long repositoryId, Collection<String> tagNames) {
        return protectingRules(repositoryId, tagNames).map(protecting -> new TreeSet<>(protecting.keySet()));
    }

    /** The same for a repository named rather than known by id (none when there is no such repository). */
    public Future<Set<String>> protectedTags(RepositoryName repository, Collection<String> tagNames) {
        if (tagNames.isEmpty()) {
            return Future.succeededFuture(Set.of());
        }
        return database.read(c -> c.preparedQuery("SELECT id FROM repositories WHERE name = $1").execute(Tuple.of(repository.value())))
                .compose(rows -> {
                    var found = rows.iterator();
                    return found.hasNext() ? protectedTags(found.next().getLong(0), tagNames) : Future.succeededFuture(Set.<String>of());
                });
    }

    /** For each of {@code tagNames} a rule protects, the first such rule (in the order of {@code tagNames}). */
    public Future<Map<String, ImmutabilityRule>> protectingRules(long repositoryId, Collection<String> tagNames) {
        return rules(null, repositoryId).map(rules -> protecting(rules, tagNames));
    }

    /** The rules that apply to the repository, loaded through {@code c} (a transaction's connection) when not cached; null: the pool. */
    public Future<RepositoryRules> rules(SqlClient c, long repositoryId) {
        return cache.get(repositoryId, () -> c == null ? database.read(pooled -> records.ofRepository(pooled, repositoryId))
                : records.ofRepository(c, repositoryId));
    }

    /**
     * Fails with {@link ImmutableTagException} when a rule protects one of {@code tagNames}: for a
     * change that would remove them with their manifest.
     */
    public Future<Void> requireRemovable(SqlClient c, long repositoryId, Collection<String> tagNames) {
        return requireNoneProtected(c, repositoryId, tagNames, ": it cannot be deleted");
    }

    /**
     * Fails with {@link ImmutableTagException} when the repository holds a tag a rule protects: a
     * repository is not deleted with immutable tags in it (as in Harbor). Its tags are read only when
     * rules apply to it.
     */
    public Future<Void> requireNoImmutableTags(SqlClient c, long repositoryId) {
        return rules(c, repositoryId).compose(rules -> rules.rules().isEmpty() ? Future.succeededFuture()
                : c.preparedQuery("SELECT name FROM tags WHERE repository_id = $1 ORDER BY name").execute(Tuple.of(repositoryId))
                        .compose(rows -> {
                            List<String> names = new ArrayList<>();
                            rows.forEach(row -> names.add(row.getString(0)));
                            return requireNoneProtected(c, repositoryId, names,
                                    ": the repository cannot be deleted while a rule protects any of its tags");
                        }));
    }

    private Future<Void> requireNoneProtected(SqlClient c, long repositoryId, Collection<String> tagNames, String consequence) {
        if (tagNames.isEmpty()) {
            return Future.succeededFuture();
        }
        return rules(c, repositoryId).map(rules -> {
            Map<String, ImmutabilityRule> protecting = protecting(rules, tagNames);
            if (!protecting.isEmpty()) {
                var first = protecting.entrySet().iterator().next();
                throw new ProtectedTag(rules.repository(), first.getKey(), first.getValue()).refusal(consequence);
            }
            return null;
        });
    }

    /** The tag, when a rule protects it. */
    public Future<Optional<ProtectedTag>> protectingRule(SqlClient c, long repositoryId, String tag) {
        return rules(c, repositoryId).map(rules -> rules.protecting(tag).map(rule -> new ProtectedTag(rules.repository(), tag, rule)));
    }

    private static Map<String, ImmutabilityRule> protecting(RepositoryRules rules, Collection<String> tagNames) {
        Map<String, ImmutabilityRule> protecting = new LinkedHashMap<>();
        if (rules.rules().isEmpty()) {
            return protecting;
        }
        for (String tag : tagNames) {
            rules.protecting(tag).ifPresent(rule -> protecting.putIfAbsent(tag, rule));
        }
        return protecting;
    }
}
