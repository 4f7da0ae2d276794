package io.berth.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The name, tag, digest and reference grammar against generated strings: every input either parses
 * into a value whose text is the input, or is refused with the one error code of its kind; nothing
 * else escapes (no unchecked exception, no other code), and the spec's own regular expressions agree.
 */
class GrammarPropertiesTest {
    /** The distribution spec's patterns, written out independently of the production grammar. */
    private static final Pattern SPEC_NAME = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern SPEC_TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    @Property(tries = 3000)
    void repositoryNamesParseExactlyWhenTheSpecGrammarMatches(@ForAll("nameLike") String candidate) {
        boolean expected = candidate.length() <= RepositoryName.MAX_LENGTH && SPEC_NAME.matcher(candidate).matches();
        assertEquals(expected, RepositoryName.isValid(candidate));
        assertOutcome(() -> RepositoryName.parse(candidate).value(), candidate, expected, OciErrorCode.NAME_INVALID);
    }

    @Property(tries = 3000)
    void tagsParseExactlyWhenTheSpecGrammarMatches(@ForAll("tagLike") String candidate) {
        boolean expected = SPEC_TAG.matcher(candidate).matches();
        assertEquals(expected, Tag.isValid(candidate));
        assertOutcome(() -> new Tag(candidate).value(), candidate, expected, OciErrorCode.TAG_INVALID);
    }

    @Property(tries = 3000)
    void digestsParseOnlyWithAKnownAlgorithmAndItsExactHexLength(@ForAll("digestLike") String candidate) {
        boolean expected = candidate.matches("sha256:[a-f0-9]{64}") || candidate.matches("sha512:[a-f0-9]{128}");
        assertOutcome(() -> Digest.parse(candidate).toString(), candidate, expected, OciErrorCode.DIGEST_INVALID);
    }

    @Property(tries = 3000)
    void referencesAreATagOrADigestAndNothingElse(@ForAll("referenceLike") String candidate) {
        try {
            Reference reference = Reference.parse(candidate);
            assertEquals(candidate, reference.toString());
            assertEquals(Digest.looksLikeDigest(candidate), reference instanceof Reference.ByDigest);
        } catch (RegistryException e) {
            assertTrue(e.code() == OciErrorCode.TAG_INVALID || e.code() == OciErrorCode.DIGEST_INVALID,
                    () -> "unexpected code " + e.code() + " for " + candidate);
            assertTrue(e.status() >= 400 && e.status() < 500);
            assertFalse(e.detail().length() > 200, "details stay short whatever the input");
        }
    }

    private static void assertOutcome(java.util.function.Supplier<String> parse, String candidate, boolean valid,
            OciErrorCode refusal) {
        try {
            String parsed = parse.get();
            assertTrue(valid, () -> "accepted an input the grammar refuses: " + candidate);
            assertEquals(candidate, parsed);
        } catch (RegistryException e) {
            assertFalse(valid, () -> "refused an input the grammar accepts: " + candidate);
            assertEquals(refusal, e.code());
            assertTrue(e.status() >= 400 && e.status() < 500);
            assertFalse(e.detail().length() > 200, "details stay short whatever the input");
        }
    }

    @Provide
    Arbitrary<String> nameLike() {
        Arbitrary<String> component = Arbitraries.strings().withChars("abz09._-").ofMinLength(0).ofMaxLength(12);
        Arbitrary<String> joined = component.list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join("/", parts));
        Arbitrary<String> hostile = Arbitraries.strings().withChars("aZ0/._-%:@ \u00e9\u0000").ofMaxLength(20);
        Arbitrary<String> long_ = Arbitraries.strings().withChars("a/").ofMinLength(250).ofMaxLength(300);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, joined),
                net.jqwik.api.Tuple.of(3, hostile),
                net.jqwik.api.Tuple.of(1, long_));
    }

    @Provide
    Arbitrary<String> tagLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09._-").ofMinLength(0).ofMaxLength(130),
                Arbitraries.strings().withChars("a:/@ %\u00e9+").ofMaxLength(10),
                Arbitraries.strings().ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> digestLike() {
        Arbitrary<String> algorithm = Arbitraries.of("sha256", "sha512", "SHA256", "sha384", "", "sha256+b64", "md5");
        Arbitrary<String> hex = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(128),
                Arbitraries.strings().withChars("0123456789abcdefABCDEF/.g").ofMinLength(0).ofMaxLength(130));
        Arbitrary<String> separator = Arbitraries.of(":", ":", ":", "", "::", "/");
        return Combinators.combine(algorithm, separator, hex).as((a, s, h) -> a + s + h);
    }

    @Provide
    Arbitrary<String> referenceLike() {
        return Arbitraries.oneOf(tagLike(), digestLike());
    }
}
