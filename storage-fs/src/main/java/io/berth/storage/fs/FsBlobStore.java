package io.berth.storage.fs;

import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.storage.BlobMissingException;
import io.berth.core.storage.BlobSource;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.StoredBlob;
import io.berth.core.storage.UploadWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.Callable;

/**
 * Blobs as files: uploads are appended to a per-session file, committed by an atomic rename into the
 * content-addressed tree (after an fsync when configured), and served as file regions so the HTTP
 * layer can use sendfile.
 */
public final class FsBlobStore implements BlobStore {
    /**
     * With fsync on, how much an upload writes between two flushes while it is received. Smaller than
     * the 16 MiB chunks clients commonly send, so chunked uploads flush too: each flush covers the
     * whole file, earlier chunks included. Measured on disk against 32 MiB and none (docs/benchmarks.md).
     */
    static final long FLUSH_BYTES = 8L * 1024 * 1024;

    private final Vertx vertx;
    private final FsLayout layout;
    private final boolean fsync;
    private final long flushEvery;

    public FsBlobStore(Vertx vertx, Path root, boolean fsync) {
        this(vertx, root, fsync, fsync ? FLUSH_BYTES : 0);
    }

    FsBlobStore(Vertx vertx, Path root, boolean fsync, long flushEvery) {
        this.vertx = vertx;
        this.layout = new FsLayout(root.toAbsolutePath().normalize());
        this.fsync = fsync;
        this.flushEvery = flushEvery;
        try {
            Files.createDirectories(layout.uploadsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create storage root " + layout.root(), e);
        }
    }

    @Override
    public Future<UploadWriter> appendToUpload(String uploadId, long offset) {
        Path file = layout.upload(uploadId);
        return blocking(() -> {
            if (offset == 0) {
                ensureDirectory(file.getParent());
            } else {
                long existing = Files.exists(file) ? Files.size(file) : -1;
                if (existing < offset) {
                    throw new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload data is gone");
                }
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                // An interrupted chunk may have left bytes past the acknowledged offset.
                channel.truncate(offset);
                channel.position(offset);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new FileUploadWriter(vertx, channel, flushEvery);
        });
    }

    @Override
    public Future<Void> copyUpload(String uploadId, long length, WriteStream<Buffer> destination) {
        Path file = layout.upload(uploadId);
        return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                .compose(asyncFile -> asyncFile.setReadLength(length).setReadBufferSize(256 * 1024)
                        .pipeTo(destination)
                        .eventually(ignored -> asyncFile.close()));
    }

    @Override
    public Future<Void> commitUpload(String uploadId, long size, Digest digest) {
        Path source = layout.upload(uploadId);
        Path target = layout.blob(digest);
        return blocking(() -> {
            if (Files.exists(target)) {
                Files.deleteIfExists(source);
                return null;
            }
            settle(source, size);
            moveIntoPlace(source, target);
            return null;
        });
    }

    /**
     * Leaves exactly the first {@code size} bytes in the upload's file, synced when configured. An
     * interrupted chunk may have left bytes past them; an upload that never received a byte has no
     * file yet, and is the empty blob.
     */
    private void settle(Path upload, long size) throws IOException {
        Set<StandardOpenOption> options = size == 0 ? EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                : EnumSet.of(StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(upload, options)) {
            if (channel.size() < size) {
                throw new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload data is incomplete");
            }
            channel.truncate(size);
            if (fsync) {
                channel.force(true);
            }
        } catch (NoSuchFileException e) {
            throw new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload data is gone");
        }
    }

    /** Renames finished data to its content address; the directory is synced so the name survives a crash. */
    private void moveIntoPlace(Path source, Path target) throws IOException {
        ensureDirectory(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
            // A concurrent commit of the same content won; the bytes are identical.
            Files.deleteIfExists(source);
        }
        if (fsync) {
            syncDirectory(target.getParent());
        }
    }

    @Override
    public Future<Void> put(Digest digest, Buffer content) {
        Path target = layout.blob(digest);
        return blocking(() -> {
            if (Files.exists(target)) {
                return null;
            }
            Path staging = layout.upload(java.util.UUID.randomUUID().toString());
            try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer bytes = content.getByteBuf().nioBuffer();
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                if (fsync) {
                    channel.force(true);
                }
            }
            moveIntoPlace(staging, target);
            return null;
        });
    }

    @Override
    public Future<Void> abortUpload(String uploadId) {
        Path file = layout.upload(uploadId);
        return blocking(() -> {
            Files.deleteIfExists(file);
            return null;
        });
    }

    @Override
    public Future<Optional<Long>> size(Digest digest) {
        Path file = layout.blob(digest);
        return blocking(() -> {
            try {
                return Optional.of(Files.size(file));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Future<Buffer> read(Digest digest, int maxBytes) {
        Path file = layout.blob(digest);
        return blocking(() -> {
            try {
                if (Files.size(file) > maxBytes) {
                    throw new IllegalArgumentException("blob " + digest + " is larger than " + maxBytes + " bytes");
                }
                return Buffer.buffer(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                throw new BlobMissingException(digest);
            }
        });
    }

    @Override
    public Future<BlobSource> open(Digest digest, long offset, long length) {
        Path file = layout.blob(digest);
        return blocking(() -> {
            if (!Files.isRegularFile(file)) {
                throw new BlobMissingException(digest);
            }
            return new BlobSource.FileRegion(file, offset, length);
        });
    }

    @Override
    public Future<Void> delete(Digest digest) {
        Path file = layout.blob(digest);
        return blocking(() -> {
            Files.deleteIfExists(file);
            return null;
        });
    }

    @Override
    public Future<List<StoredBlob>> list(Digest after, int limit) {
        return blocking(() -> {
            List<StoredBlob> page = new ArrayList<>();
            String from = after == null ? "" : after.toString();
            for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
                Path algorithmDir = layout.blobsOf(algorithm);
                for (Path fanOut : sortedChildren(algorithmDir)) {
                    for (Path file : sortedChildren(fanOut)) {
                        String digest = algorithm.prefix() + ":" + file.getFileName();
                        if (digest.compareTo(from) <= 0) {
                            continue;
                        }
                        BasicFileAttributes attributes;
                        try {
                            attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        } catch (NoSuchFileException deleted) {
                            continue;
                        }
                        page.add(new StoredBlob(Digest.parse(digest), attributes.size(), attributes.lastModifiedTime().toInstant()));
                        if (page.size() == limit) {
                            return page;
                        }
                    }
                }
            }
            return page;
        });
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted().toList();
        }
    }

    @Override
    public Future<Void> checkReachable() {
        return blocking(() -> {
            if (!Files.isDirectory(layout.uploadsDir()) || !Files.isWritable(layout.uploadsDir())) {
                throw new IOException("storage root not writable: " + layout.root());
            }
            return null;
        });
    }

    /**
     * Creates {@code dir} when it is missing. Looked up first because, for a directory that exists
     * (almost always), Files.createDirectories fails to create it and builds an exception before
     * finding it there: measured at 7% of the registry's CPU when pushing small blobs.
     */
    private static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
