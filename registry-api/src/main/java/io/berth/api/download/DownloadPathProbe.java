package io.berth.api.download;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures which download path moves a file faster on this machine: {@code sendfile} wins on some
 * CPUs and loses by half on others (measured: 2.4-3.1 GB/s against a copy's 2.0 on one Intel VM,
 * 1.1 GB/s against 2.2-2.5 on an AMD EPYC VM, both from tmpfs to loopback). Both paths send the same
 * page-cached file over a loopback connection to a receiver that reads every byte, alternating, and
 * the median of each is compared. The probe moves 1.25 GiB, about a second of one core, once per start.
 */
final class DownloadPathProbe {
    /**
     * Sendfile must win by this much to be chosen. Where it loses, it loses by half; where it wins,
     * a copy still moves 2 GB/s. So a close result goes to the copy, whose worst case is milder.
     */
    static final double SENDFILE_MARGIN = 1.1;
    /**
     * Larger than a CPU's last-level cache: a file that fits there is sent faster by sendfile than
     * blobs are (measured: 2.7 GB/s with 16 MiB against 1.1-1.4 GB/s with 1 GiB on one VM).
     */
    private static final int FILE_BYTES = 128 * 1024 * 1024;
    /** Alternating trials of each path; the median of each is compared, so one disturbed trial does not decide. */
    private static final int TRIALS = 5;

    /** Bytes per second of each path. */
    record Result(double sendfileRate, double copyRate) {
        DownloadPath faster() {
            return sendfileRate > copyRate * SENDFILE_MARGIN ? DownloadPath.SENDFILE : DownloadPath.COPY;
        }
    }

    private DownloadPathProbe() {
    }

    /** Runs the probe with a scratch file in {@code directory}, which it removes. Blocks. */
    static Result measure(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path file = Files.createTempFile(directory, "download-probe-", ".tmp");
        try {
            writeScratch(file);
            return measureWith(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void writeScratch(Path file) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(1024 * 1024);
        SplittableRandom random = new SplittableRandom(FILE_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int written = 0; written < FILE_BYTES; written += block.capacity()) {
                block.clear();
                while (block.hasRemaining()) {
                    block.putLong(random.nextLong());
                }
                block.flip();
                while (block.hasRemaining()) {
                    channel.write(block);
                }
            }
        }
    }

    private static Result measureWith(Path file) throws IOException, InterruptedException {
        try (ServerSocketChannel server = ServerSocketChannel.open();
                FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel sender = SocketChannel.open(server.getLocalAddress());
                    SocketChannel receiving = server.accept()) {
                Receiver receiver = new Receiver(receiving);
                Thread thread = Thread.ofPlatform().daemon().name("download-probe-receiver").start(receiver);
                try {
                    ByteBuffer chunk = ByteBuffer.allocateDirect(CopyBuffers.CHUNK_BYTES);
                    // A first pass of each warms the page cache and the socket buffers.
                    trial(sender, receiver, () -> sendfile(source, sender));
                    trial(sender, receiver, () -> copy(source, sender, chunk));
                    double[] sendfile = new double[TRIALS];
                    double[] copy = new double[TRIALS];
                    for (int i = 0; i < TRIALS; i++) {
                        sendfile[i] = trial(sender, receiver, () -> sendfile(source, sender));
                        copy[i] = trial(sender, receiver, () -> copy(source, sender, chunk));
                    }
                    return new Result(median(sendfile), median(copy));
                } finally {
                    sender.shutdownOutput();
                    thread.join(5_000);
                }
            }
        }
    }

    private static double median(double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private interface Send {
        void once() throws IOException;
    }

    /** Bytes per second of one send of the file, counted until the receiver has all of it. */
    private static double trial(SocketChannel sender, Receiver receiver, Send send) throws IOException, InterruptedException {
        long target = receiver.received() + FILE_BYTES;
        long started = System.nanoTime();
        send.once();
        receiver.awaitAtLeast(target);
        return FILE_BYTES * 1e9 / (System.nanoTime() - started);
    }

    private static void sendfile(FileChannel source, SocketChannel target) throws IOException {
        for (long at = 0; at < FILE_BYTES; ) {
            at += source.transferTo(at, FILE_BYTES - at, target);
        }
    }

    private static void copy(FileChannel source, SocketChannel target, ByteBuffer chunk) throws IOException {
        for (long at = 0; at < FILE_BYTES; ) {
            chunk.clear();
            int read = source.read(chunk, at);
            if (read < 0) {
                throw new IOException("probe file shorter than written");
            }
            at += read;
            chunk.flip();
            while (chunk.hasRemaining()) {
                target.write(chunk);
            }
        }
    }

    /** Reads and discards everything, as a client receiving a blob does, counting the bytes. */
    private static final class Receiver implements Runnable {
        private final SocketChannel channel;
        private final AtomicLong received = new AtomicLong();
        private volatile boolean stopped;

        Receiver(SocketChannel channel) {
            this.channel = channel;
        }

        long received() {
            return received.get();
        }

        void awaitAtLeast(long bytes) throws IOException, InterruptedException {
            synchronized (this) {
                while (received.get() < bytes) {
                    if (stopped) {
                        throw new IOException("the probe's connection closed early");
                    }
                    wait(1_000);
                }
            }
        }

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(CopyBuffers.CHUNK_BYTES);
            try {
                while (true) {
                    buffer.clear();
                    int read = channel.read(buffer);
                    if (read < 0) {
                        return;
                    }
                    received.addAndGet(read);
                    synchronized (this) {
                        notifyAll();
                    }
                }
            } catch (IOException closed) {
                // the probe is over
            } finally {
                stopped = true;
                synchronized (this) {
                    notifyAll();
                }
            }
        }
    }
}
