package io.berth.core.metadata;

/** One manifest whose subject is a given digest, as listed by the referrers API. */
public record ReferrerRecord(String mediaType, String digest, long size, String artifactType, String annotationsJson) {
}
