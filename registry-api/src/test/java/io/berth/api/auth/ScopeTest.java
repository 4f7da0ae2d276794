package io.berth.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.auth.Action;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void repositoryScopesNameARepositoryAndActions() {
        assertEquals(new Scope("repository", "library/alpine", EnumSet.of(Action.PULL, Action.PUSH)),
                Scope.parse("repository:library/alpine:pull,push").orElseThrow());
        assertEquals(new Scope("repository", "a/b", EnumSet.of(Action.PULL)), Scope.parse("repository(plugin):a/b:pull").orElseThrow());
        assertEquals(Action.SCOPED, Scope.parse("repository:a:*").orElseThrow().actions());
        assertTrue(Scope.parse("registry:catalog:*").orElseThrow().isCatalog());
        assertEquals(Set.of(), Scope.parse("registry:catalog:*").orElseThrow().actions());
    }

    @Test
    void malformedScopesAreIgnored() {
        for (String scope : new String[] {"", "repository", "repository:a", "repository:UPPER:pull", "repository:a/../b:pull",
                "registry:other:*", "user:x:pull", ":a:pull"}) {
            assertFalse(Scope.parse(scope).isPresent(), scope);
        }
    }
}
