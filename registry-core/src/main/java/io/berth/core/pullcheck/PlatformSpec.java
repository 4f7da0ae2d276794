package io.berth.core.pullcheck;

import io.berth.core.error.ManagementException;
import io.berth.core.image.ImageView;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A platform as clients name it ({@code linux/amd64}, {@code linux/arm64/v8}), matched against an
 * index's entries the way containerd normalizes them: {@code x86_64} is {@code amd64},
 * {@code aarch64} is {@code arm64}, and an arm64 entry without a variant is {@code v8}. A platform
 * without a variant takes any variant of its architecture; one with a variant only that variant.
 */
public record PlatformSpec(String os, String architecture, String variant) {
    private static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    /** Parses {@code os/architecture[/variant]}; null or empty is no platform (null). */
    public static PlatformSpec parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String[] parts = text.toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2 || parts.length > 3 || !PART.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches()
                || parts.length == 3 && !PART.matcher(parts[2]).matches()) {
            throw ManagementException.badRequest("platform must be <os>/<architecture>[/<variant>], such as linux/amd64 or linux/arm64/v8");
        }
        String architecture = architecture(parts[1]);
        return new PlatformSpec(parts[0], architecture, parts.length == 3 ? variant(architecture, parts[2]) : null);
    }

    /** Whether an index entry (or an image's config) is this platform. */
    public boolean matches(String entryOs, String entryArchitecture, String entryVariant) {
        if (entryOs == null || entryArchitecture == null || !os.equals(entryOs.toLowerCase(Locale.ROOT))) {
            return false;
        }
        String architecture = architecture(entryArchitecture.toLowerCase(Locale.ROOT));
        if (!this.architecture.equals(architecture)) {
            return false;
        }
        return variant == null || variant.equals(variant(architecture, entryVariant == null ? "" : entryVariant.toLowerCase(Locale.ROOT)));
    }

    public boolean matches(ImageView.Platform entry) {
        return matches(entry.os(), entry.architecture(), entry.variant());
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }

    private static String architecture(String name) {
        return switch (name) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "i386", "i686" -> "386";
            default -> name;
        };
    }

    private static String variant(String architecture, String variant) {
        if (architecture.equals("arm64") && (variant.isEmpty() || variant.equals("8"))) {
            return "v8";
        }
        return variant.matches("[0-9]+") && architecture.startsWith("arm") ? "v" + variant : variant;
    }
}
