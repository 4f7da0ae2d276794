package io.berth.core.protocol.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.concurrent.Blocking;
import io.berth.core.storage.CollectingWriteStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The digest of a body hashed partly on workers and partly on the event loop is the digest of the
 * whole, and the unhashed bytes hold the producer back. One worker thread makes "the worker is busy"
 * something a test can arrange: a task holding it blocks every hash batch behind it.
 */
class DigestingWriteStreamTest {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
    private final Blocking blocking = new Blocking(vertx);
    private final UploadMemory memory = new UploadMemory(1L << 30);

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLargeBodyInUnevenBuffersGetsTheDigestOfTheWhole() throws Exception {
        byte[] body = random(5 * 1024 * 1024 + 12_345);
        CollectingWriteStream stored = new CollectingWriteStream();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        DigestingWriteStream stream = new DigestingWriteStream(blocking, memory, stored, digest);

        onContext(() -> {
            Random sizes = new Random(7);
            Future<Void> last = Future.succeededFuture();
            for (int at = 0; at < body.length; ) {
                int length = Math.min(body.length - at, 1 + sizes.nextInt(100_000));
                last = stream.write(Buffer.buffer().appendBytes(body, at, length));
                at += length;
            }
            return last.compose(ignored -> stream.end());
        });

        assertArrayEquals(sha256(body), digest.digest());
        assertEquals(body.length, stream.count());
        assertArrayEquals(body, stored.bytes().getBytes());
        assertTrue(stored.ended());
        assertEquals(0, memory.held(), "every byte hashed and written is given back");
    }

    @Test
    void uploadsShareOneMemoryLimitAndResumeWhenItComesBack() throws Exception {
        UploadMemory shared = new UploadMemory(1024 * 1024);
        byte[] body = random(1024 * 1024);
        MessageDigest firstDigest = MessageDigest.getInstance("SHA-256");
        DigestingWriteStream first = new DigestingWriteStream(blocking, shared, new CollectingWriteStream(), firstDigest);
        DigestingWriteStream second = new DigestingWriteStream(blocking, shared,
                new CollectingWriteStream(), MessageDigest.getInstance("SHA-256"));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> secondDrained = new CompletableFuture<>();
        holdTheWorker(release);

        boolean secondFull = onContext(() -> {
            // Below its own bound, but the whole shared limit: the other upload must wait.
            for (int at = 0; at < body.length; at += 64 * 1024) {
                first.write(Buffer.buffer().appendBytes(body, at, 64 * 1024));
            }
            second.drainHandler(ignored -> secondDrained.complete(null));
            return Future.succeededFuture(second.writeQueueFull());
        });
        assertTrue(secondFull, "an upload waits while the others hold all the memory");
        assertEquals(body.length, shared.held());
        assertFalse(secondDrained.isDone());

        release.countDown();
        secondDrained.get(10, TimeUnit.SECONDS);
        onContext(first::end);
        onContext(second::end);
        assertArrayEquals(sha256(body), firstDigest.digest());
        assertEquals(0, shared.held());
    }

    @Test
    void aFailedWriterGivesItsMemoryBack() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        DigestingWriteStream stream = new DigestingWriteStream(blocking, memory, CollectingWriteStream.failingWith(new IOException("disk full")), digest);
        byte[] body = random(3 * DigestingWriteStream.HASH_BATCH_BYTES);

        onContext(() -> {
            Future<Void> last = Future.succeededFuture();
            for (int at = 0; at < body.length; at += 64 * 1024) {
                last = stream.write(Buffer.buffer().appendBytes(body, at, 64 * 1024));
            }
            return last.recover(ignored -> stream.end().recover(alsoFailed -> Future.succeededFuture()));
        });
        assertEquals(0, memory.held());
    }

    @Test
    void unhashedBytesFillTheQueueUntilTheWorkerCatchesUp() throws Exception {
        byte[] body = random(DigestingWriteStream.MAX_UNHASHED_BYTES + 64 * 1024);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        DigestingWriteStream stream = new DigestingWriteStream(blocking, memory, new CollectingWriteStream(), digest);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> drained = new CompletableFuture<>();
        holdTheWorker(release);

        boolean full = onContext(() -> {
            for (int at = 0; at < body.length; at += 64 * 1024) {
                stream.write(Buffer.buffer().appendBytes(body, at, Math.min(64 * 1024, body.length - at)));
            }
            stream.drainHandler(ignored -> drained.complete(null));
            return Future.succeededFuture(stream.writeQueueFull());
        });
        assertTrue(full, "the queue is full while no batch could be hashed");
        assertFalse(drained.isDone());

        release.countDown();
        drained.get(10, TimeUnit.SECONDS);
        assertFalse(onContext(() -> Future.succeededFuture(stream.writeQueueFull())));
        onContext(stream::end);
        assertArrayEquals(sha256(body), digest.digest());
    }

    @Test
    void aSmallBodyIsHashedAtItsEndWithoutAWorker() throws Exception {
        byte[] body = random(DigestingWriteStream.HASH_BATCH_BYTES - 1);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        DigestingWriteStream stream = new DigestingWriteStream(blocking, memory, new CollectingWriteStream(), digest);
        CountDownLatch release = new CountDownLatch(1);
        holdTheWorker(release);
        try {
            // Would time out if any of it waited for the (held) worker.
            onContext(() -> stream.write(Buffer.buffer(body)).compose(ignored -> stream.end()));
            assertArrayEquals(sha256(body), digest.digest());
        } finally {
            release.countDown();
        }
    }

    /** Occupies the only worker thread until {@code release} opens. */
    private void holdTheWorker(CountDownLatch release) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        blocking.run(() -> {
            running.countDown();
            return release.await(30, TimeUnit.SECONDS);
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
    }

    /** Runs {@code work} on an event-loop context, as the upload path does, and waits for its result. */
    private <T> T onContext(Supplier<Future<T>> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> work.get().onComplete(done -> {
            if (done.succeeded()) {
                result.complete(done.result());
            } else {
                result.completeExceptionally(done.cause());
            }
        }));
        return result.get(10, TimeUnit.SECONDS);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
