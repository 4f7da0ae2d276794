package io.berth.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The spec's grammar for names, tags and digests, enforced when the value types are built. */
class GrammarTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "library/ubuntu", "a/b/c/d", "a.b_c__d-e---f", "0/1", "team/app-1.2_x"})
    void validRepositoryNames(String name) {
        assertTrue(RepositoryName.isValid(name));
        assertEquals(name, RepositoryName.parse(name).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "a/", "/a", "a//b", "a..b", "a___b", "-a", "a-", "a/.b", "a b", "a/../b", "é"})
    void invalidRepositoryNamesAreNameInvalid(String name) {
        RegistryException e = assertThrows(RegistryException.class, () -> RepositoryName.parse(name));
        assertEquals(OciErrorCode.NAME_INVALID, e.code());
    }

    @Test
    void repositoryNamesAreBoundedInLength() {
        assertTrue(RepositoryName.isValid("a".repeat(255)));
        assertFalse(RepositoryName.isValid("a".repeat(256)));
    }

    @Test
    void namespaceIsTheFirstComponent() {
        assertEquals("team", RepositoryName.parse("team/app/api").namespace());
        assertEquals("solo", RepositoryName.parse("solo").namespace());
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.2.3", "_x", "A-b.c_d", "0"})
    void validTags(String tag) {
        assertTrue(Tag.isValid(tag));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".x", "-x", "a/b", "a:b", "a b"})
    void invalidTags(String tag) {
        assertFalse(Tag.isValid(tag));
    }

    @Test
    void tagsAreAtMost128Characters() {
        assertTrue(Tag.isValid("t".repeat(128)));
        assertFalse(Tag.isValid("t".repeat(129)));
    }

    @Test
    void digestsParseSha256AndSha512() {
        Digest sha256 = Digest.parse("sha256:" + "0".repeat(64));
        assertEquals(DigestAlgorithm.SHA256, sha256.algorithm());
        Digest sha512 = Digest.parse("sha512:" + "f".repeat(128));
        assertEquals(DigestAlgorithm.SHA512, sha512.algorithm());
        assertEquals("sha512:" + "f".repeat(128), sha512.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "sha256:" + "G000000000000000000000000000000000000000000000000000000000000000",
            "sha256:" + "A000000000000000000000000000000000000000000000000000000000000000", "md5:d41d8cd98f00b204e9800998ecf8427e",
            "nocolon", ":", "sha512:" + "0000"})
    void malformedDigestsAreDigestInvalid(String value) {
        RegistryException e = assertThrows(RegistryException.class, () -> Digest.parse(value));
        assertEquals(OciErrorCode.DIGEST_INVALID, e.code());
    }

    @Test
    void referencesAreTagsOrDigests() {
        assertInstanceOf(Reference.ByTag.class, Reference.parse("latest"));
        assertInstanceOf(Reference.ByDigest.class, Reference.parse("sha256:" + "1".repeat(64)));
        assertEquals(OciErrorCode.TAG_INVALID, assertThrows(RegistryException.class, () -> Reference.parse(".bad")).code());
    }

    @Test
    void contentDigestsMatchKnownValues() {
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Digest.of(DigestAlgorithm.SHA256, new byte[0]).toString());
        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                Digest.of(DigestAlgorithm.SHA256, "{}".getBytes()).toString());
    }
}
