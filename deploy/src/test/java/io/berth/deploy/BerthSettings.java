package io.berth.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables Berth reads, as docs/configuration.md names them: every documented
 * property ({@code berth.storage.s3.bucket}) in its environment form ({@code BERTH_STORAGE_S3_BUCKET}),
 * and every variable its examples set. A manifest setting a name outside this set configures nothing.
 */
final class BerthSettings {
    private static final Pattern PROPERTY = Pattern.compile("`((?:berth|quarkus)(?:\\.[a-z0-9-]+)+)`");
    private static final Pattern EXAMPLE_VARIABLE = Pattern.compile("\\b((?:BERTH|QUARKUS)_[A-Z0-9_]+)=");
    /** A row that documents two siblings at once: `berth.storage.s3.access-key-id`, `.secret-access-key`. */
    private static final Pattern SIBLING = Pattern.compile("`((?:berth|quarkus)(?:\\.[a-z0-9-]+)*)\\.[a-z0-9-]+`, `\\.([a-z0-9-]+)`");

    /** Read by the image's entrypoint, which passes it to the JVM after the default options. */
    private static final Set<String> JVM = Set.of("JAVA_OPTS");

    private static Set<String> known;

    private BerthSettings() {
    }

    static synchronized Set<String> environmentNames() {
        if (known == null) {
            String doc;
            try {
                doc = Files.readString(DeployFiles.configurationDoc());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Set<String> names = new HashSet<>(JVM);
            Matcher property = PROPERTY.matcher(doc);
            while (property.find()) {
                names.add(environmentName(property.group(1)));
            }
            Matcher sibling = SIBLING.matcher(doc);
            while (sibling.find()) {
                names.add(environmentName(sibling.group(1) + "." + sibling.group(2)));
            }
            Matcher example = EXAMPLE_VARIABLE.matcher(doc);
            while (example.find()) {
                names.add(example.group(1));
            }
            known = Set.copyOf(names);
        }
        return known;
    }

    /** The environment form of a property, as SmallRye Config maps it: upper case, {@code .} and {@code -} as {@code _}. */
    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
