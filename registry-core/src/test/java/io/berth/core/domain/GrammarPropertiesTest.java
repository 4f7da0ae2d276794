package io.berth.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The name, tag, digest and reference grammar against generated strings: every input either parses
 * into a value whose text is the input, or is refused with the one error code of its kind; nothing
 * else escapes (no unchecked exception, no other code), and the spec's own regular expressions agree.
 */
class GrammarPropertiesTest {
    private static final int INPUTS = 5000;

    /** The distribution spec's patterns, written out independently of the production grammar. */
    private static final Pattern SPEC_NAME = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern SPEC_TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private static final Gen<String> NAME_LIKE = Gen.weighted(
            6, Gen.string("abz09._-", 0, 12).list(1, 5).map(parts -> String.join("/", parts)),
            3, Gen.string("aZ0/._-%:@ \u00e9\u0000", 0, 20),
            1, Gen.string("a/", 250, 300),
            1, Gen.anyString(40));
    private static final Gen<String> TAG_LIKE = Gen.oneOf(
            Gen.string("aZ09._-", 0, 130),
            Gen.string("a:/@ %\u00e9+", 0, 10),
            Gen.anyString(20));
    private static final Gen<String> DIGEST_LIKE = random -> Gen.of("sha256", "sha512", "SHA256", "sha384", "", "sha256+b64", "md5")
            .next(random)
            + Gen.of(":", ":", ":", "", "::", "/").next(random)
            + Gen.oneOf(Gen.string("0123456789abcdef", 64, 64), Gen.string("0123456789abcdef", 128, 128),
                    Gen.string("0123456789abcdefABCDEF/.g", 0, 130), Gen.anyString(20)).next(random);

    @Test
    void repositoryNamesParseExactlyWhenTheSpecGrammarMatches() {
        GeneratedInputs.check(INPUTS, NAME_LIKE, candidate -> {
            boolean expected = candidate.length() <= RepositoryName.MAX_LENGTH && SPEC_NAME.matcher(candidate).matches();
            assertEquals(expected, RepositoryName.isValid(candidate));
            assertOutcome(() -> RepositoryName.parse(candidate).value(), candidate, expected, OciErrorCode.NAME_INVALID);
        });
    }

    @Test
    void tagsParseExactlyWhenTheSpecGrammarMatches() {
        GeneratedInputs.check(INPUTS, TAG_LIKE, candidate -> {
            boolean expected = SPEC_TAG.matcher(candidate).matches();
            assertEquals(expected, Tag.isValid(candidate));
            assertOutcome(() -> new Tag(candidate).value(), candidate, expected, OciErrorCode.TAG_INVALID);
        });
    }

    @Test
    void digestsParseOnlyWithAKnownAlgorithmAndItsExactHexLength() {
        GeneratedInputs.check(INPUTS, DIGEST_LIKE, candidate -> {
            boolean expected = candidate.matches("sha256:[a-f0-9]{64}") || candidate.matches("sha512:[a-f0-9]{128}");
            assertOutcome(() -> Digest.parse(candidate).toString(), candidate, expected, OciErrorCode.DIGEST_INVALID);
        });
    }

    @Test
    void referencesAreATagOrADigestAndNothingElse() {
        GeneratedInputs.check(INPUTS, Gen.oneOf(TAG_LIKE, DIGEST_LIKE), candidate -> {
            try {
                Reference reference = Reference.parse(candidate);
                assertEquals(candidate, reference.toString());
                assertEquals(Digest.looksLikeDigest(candidate), reference instanceof Reference.ByDigest);
            } catch (RegistryException e) {
                assertTrue(e.code() == OciErrorCode.TAG_INVALID || e.code() == OciErrorCode.DIGEST_INVALID,
                        () -> "unexpected code " + e.code());
                assertRefusal(e);
            }
        });
    }

    private static void assertOutcome(Supplier<String> parse, String candidate, boolean valid, OciErrorCode refusal) {
        try {
            String parsed = parse.get();
            assertTrue(valid, "accepted an input the grammar refuses");
            assertEquals(candidate, parsed);
        } catch (RegistryException e) {
            assertFalse(valid, "refused an input the grammar accepts");
            assertEquals(refusal, e.code());
            assertRefusal(e);
        }
    }

    private static void assertRefusal(RegistryException e) {
        assertTrue(e.status() >= 400 && e.status() < 500, "a refusal is a 4xx");
        assertFalse(e.detail().length() > 200, "details stay short whatever the input");
    }
}
