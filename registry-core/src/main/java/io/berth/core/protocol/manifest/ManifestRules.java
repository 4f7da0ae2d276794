package io.berth.core.protocol.manifest;

/**
 * What a manifest push must satisfy beyond its own structure.
 *
 * @param allowSparse accept manifests whose referenced blobs or child manifests are not in the
 *     repository (what a mirror of one platform of an index produces); they are stored and served
 *     byte for byte, and what they reference stays unknown until it is pushed
 */
public record ManifestRules(boolean allowSparse) {
}
