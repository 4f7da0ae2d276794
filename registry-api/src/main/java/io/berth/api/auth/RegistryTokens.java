package io.berth.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.berth.api.config.BerthConfig;
import io.berth.core.auth.Action;
import io.berth.core.auth.Principal;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies registry tokens: RS256 JWTs (SmallRye JWT) for the configured service,
 * listing in their {@code access} claim the actions granted per repository, as Docker's token
 * protocol does, plus the credential they were issued for. Verification accepts only RS256 with
 * one of our keys, our issuer and our service as audience, within the token's lifetime. Verified
 * tokens are cached by their text until they expire, so a pull verifies its signature once.
 */
@Singleton
public class RegistryTokens {
    static final String ISSUER = "berth";
    static final String ACCESS_CLAIM = "access";
    static final String CREDENTIAL_CLAIM = "berth_credential";
    private static final int KEY_LENGTH = 32;

    private final SigningKeys keys;
    private final BerthConfig config;
    /** Verified tokens with their text, keyed by the end of their signature (see {@link #verify}). */
    private record Verified(String text, RegistryToken token) {
    }

    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfter(Expiry.<String, Verified>creating((key, value) ->
                    java.time.Duration.between(Instant.now(), value.token().expiresAt())))
            .build();
    private volatile DefaultJWTParser parser;

    @Inject
    public RegistryTokens(SigningKeys keys, BerthConfig config) {
        this.keys = keys;
        this.config = config;
    }

    /** A signed token for {@code principal} granting {@code grants} (repository → actions), and its lifetime. */
    public String issue(Principal principal, Map<String, Set<Action>> grants, Instant issuedAt) {
        JsonArrayBuilder access = Json.createArrayBuilder();
        grants.forEach((repository, actions) -> {
            JsonArrayBuilder names = Json.createArrayBuilder();
            actions.stream().sorted().forEach(action -> names.add(action.scopeName()));
            access.add(Json.createObjectBuilder().add("type", Scope.REPOSITORY).add("name", repository).add("actions", names));
        });
        var claims = Jwt.issuer(ISSUER)
                .subject(principal.name())
                .audience(config.auth().service())
                .issuedAt(issuedAt)
                .expiresAt(issuedAt.plus(config.auth().tokenTtl()))
                .claim("nbf", issuedAt.getEpochSecond())
                .claim("jti", UUID.randomUUID().toString())
                .claim(ACCESS_CLAIM, access.build());
        if (principal.credentialId() != null) {
            claims.claim(CREDENTIAL_CLAIM, principal.credentialId());
        }
        SigningKeys.SigningKey key = keys.current();
        return claims.jws().keyId(key.keyId()).algorithm(SignatureAlgorithm.RS256).sign(key.privateKey());
    }

    /** The token if it is one of ours, unexpired and for our service; empty otherwise. */
    public Optional<RegistryToken> verify(String token) {
        // Keyed by the signature's last characters, which are random, so a lookup hashes a few bytes
        // instead of the whole token; a hit counts only if the whole text is the one verified.
        String key = token.length() > KEY_LENGTH ? token.substring(token.length() - KEY_LENGTH) : token;
        Verified cached = verified.getIfPresent(key);
        if (cached != null && cached.text().equals(token)) {
            return Optional.of(cached.token());
        }
        try {
            var jwt = parser().parse(token);
            RegistryToken parsed = new RegistryToken(text(jwt.getClaim(CREDENTIAL_CLAIM)),
                    grants(jwt.getClaim(ACCESS_CLAIM)), Instant.ofEpochSecond(jwt.getExpirationTime()));
            if (!parsed.expiresAt().isAfter(Instant.now())) {
                return Optional.empty();
            }
            verified.put(key, new Verified(token, parsed));
            return Optional.of(parsed);
        } catch (ParseException | RuntimeException invalid) {
            return Optional.empty();
        }
    }

    private DefaultJWTParser parser() {
        DefaultJWTParser current = parser;
        if (current == null) {
            JWTAuthContextInfo context = new JWTAuthContextInfo();
            context.setPublicKeyContent(keys.jwks());
            context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
            context.setIssuedBy(ISSUER);
            context.setExpectedAudience(Set.of(config.auth().service()));
            context.setRequireNamedPrincipal(false);
            context.setClockSkew(0);
            current = new DefaultJWTParser(context);
            parser = current;
        }
        return current;
    }

    /** A string claim, which the parser hands out as a String or a JSON string. */
    private static String text(Object claim) {
        return claim instanceof JsonString json ? json.getString() : claim instanceof String string ? string : null;
    }

    private static Map<String, Set<Action>> grants(Object claim) {
        Map<String, Set<Action>> grants = new HashMap<>();
        if (!(claim instanceof JsonArray entries)) {
            return grants;
        }
        for (JsonValue entry : entries) {
            if (entry instanceof JsonObject object && Scope.REPOSITORY.equals(object.getString("type", null))
                    && object.get("name") instanceof JsonString name && object.get("actions") instanceof JsonArray actions) {
                Set<Action> granted = EnumSet.noneOf(Action.class);
                for (JsonValue action : actions) {
                    if (action instanceof JsonString word) {
                        granted.addAll(Action.parseList(word.getString()));
                    }
                }
                grants.merge(name.getString(), granted, (a, b) -> {
                    a.addAll(b);
                    return a;
                });
            }
        }
        return Map.copyOf(grants);
    }
}
