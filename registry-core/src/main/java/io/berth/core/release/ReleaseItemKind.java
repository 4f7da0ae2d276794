package io.berth.core.release;

import java.util.Locale;

/** What a release item copies: an image (any manifest or index), or a Helm chart pushed as an OCI artifact. */
public enum ReleaseItemKind {
    IMAGE, HELM_CHART;

    /** The word the API and the database use: {@code image}, {@code helm_chart}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReleaseItemKind of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
