package io.berth.api.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One registry process per data directory. The lock is held for the life of the JVM and released by
 * the operating system when it dies, so a crashed registry never blocks the next start, while a
 * second registry started by mistake stops before touching the first one's database.
 */
final class DataDirectoryLock {
    private static FileLock held;

    private DataDirectoryLock() {
    }

    static synchronized void acquire(Path dataDir) {
        if (held != null) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("data directory " + dataDir + " is in use by another Berth process");
            }
            held = lock;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock data directory " + dataDir, e);
        }
    }
}
