package io.berth.api.testing;

import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Test content and its digests. */
public final class Content {
    private Content() {
    }

    public static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String sha256(byte[] content) {
        return Digest.of(DigestAlgorithm.SHA256, content).toString();
    }

    public static String sha512(byte[] content) {
        return Digest.of(DigestAlgorithm.SHA512, content).toString();
    }

    /** A repository name no other test uses, so tests stay independent on one shared registry. */
    public static String uniqueRepository(String prefix) {
        return prefix + "/r" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
