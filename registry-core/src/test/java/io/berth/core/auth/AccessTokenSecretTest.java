package io.berth.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccessTokenSecretTest {

    @Test
    void aSecretNamesItsTokenAndCarriesRandomBits() {
        UUID id = UUID.randomUUID();
        AccessTokenSecret first = AccessTokenSecret.generate(id);
        AccessTokenSecret second = AccessTokenSecret.generate(id);
        assertTrue(first.value().startsWith("berth_at_" + id.toString().replace("-", "") + "_"));
        assertEquals(9 + 32 + 1 + 43, first.value().length());
        assertNotEquals(first.value(), second.value());
        assertEquals(id, AccessTokenSecret.parse(first.value()).orElseThrow().id());
    }

    @Test
    void anythingElseIsNotAnAccessTokenSecret() {
        for (String text : new String[] {"", "password", "berth_at_", "berth_at_" + "g".repeat(32) + "_secret",
                "berth_at_" + "a".repeat(32) + "secret", "berth_at_" + "A".repeat(32) + "_x", "berth_at_" + "a".repeat(31)}) {
            assertFalse(AccessTokenSecret.parse(text).isPresent(), text);
        }
    }

    @Test
    void storedHashesMatchOnlyTheirSecret() {
        String secret = Secrets.generate();
        byte[] stored = Secrets.hash(secret);
        assertTrue(Secrets.matches(secret, stored));
        assertFalse(Secrets.matches(secret + "x", stored));
        assertNotEquals(Secrets.fingerprint(stored), Secrets.fingerprint(Secrets.hash(Secrets.generate())));
    }

    @Test
    void rolesAndActionListsParseAsTokenScopesWriteThem() {
        assertEquals(EnumSet.of(Action.PULL, Action.PUSH), Action.parseList("pull,push"));
        assertEquals(Action.SCOPED, Action.parseList("*"));
        assertEquals(EnumSet.noneOf(Action.class), Action.parseList("admin,,catalog"));
        assertEquals(EnumSet.of(Action.PULL), Role.READ.actions());
        assertEquals(EnumSet.of(Action.PULL, Action.PUSH), Role.WRITE.actions());
        assertEquals(EnumSet.allOf(Action.class), Role.ADMIN.actions());
        assertEquals(Role.WRITE, Role.parse("write"));
    }
}
