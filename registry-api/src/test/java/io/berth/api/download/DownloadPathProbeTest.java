package io.berth.api.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadPathProbeTest {
    @TempDir
    Path scratch;

    @Test
    void measuresBothPathsAndLeavesNoScratchFileBehind() throws Exception {
        DownloadPathProbe.Result result = DownloadPathProbe.measure(scratch);
        assertTrue(result.sendfileRate() > 0 && result.copyRate() > 0, result.toString());
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void sendfileIsChosenOnlyWhenClearlyFaster() {
        assertEquals(DownloadPath.SENDFILE, new DownloadPathProbe.Result(3.0e9, 2.0e9).faster());
        assertEquals(DownloadPath.COPY, new DownloadPathProbe.Result(2.1e9, 2.0e9).faster(), "a close result goes to the copy");
        assertEquals(DownloadPath.COPY, new DownloadPathProbe.Result(1.1e9, 2.2e9).faster());
    }
}
