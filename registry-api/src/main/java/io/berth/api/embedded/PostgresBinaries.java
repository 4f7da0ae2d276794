package io.berth.api.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries that ship inside a Maven dependency (a {@code .txz} on the class
 * path), unpacked once into a cache directory shared by every data directory on the machine.
 */
final class PostgresBinaries {
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String COMPLETE_MARKER = ".complete";

    private PostgresBinaries() {
    }

    /** The installation directory (containing {@code bin/}), unpacking it first when needed. */
    static Path installation() {
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "berth-postgres", archiveIdentity());
        if (Files.exists(cache.resolve(COMPLETE_MARKER))) {
            return cache;
        }
        try {
            Files.createDirectories(cache.getParent());
            Path staging = Files.createTempDirectory(cache.getParent(), "unpacking-");
            unpack(staging);
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            try {
                Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException raced) {
                deleteTree(staging); // another process unpacked the same archive first
            }
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedded PostgreSQL", e);
        }
    }

    private static String archiveIdentity() {
        var url = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (url == null) {
            throw new IllegalStateException(ARCHIVE + " is not on the class path: the embedded PostgreSQL binaries are missing");
        }
        return Integer.toHexString(url.toString().hashCode()) + "-" + System.getProperty("user.name", "user");
    }

    private static void unpack(Path target) throws IOException {
        try (InputStream raw = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE);
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(raw, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry escapes its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
