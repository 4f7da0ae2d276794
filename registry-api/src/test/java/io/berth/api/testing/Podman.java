package io.berth.api.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** podman with an image store of the test's own under a directory, so that nothing comes from a local cache. */
public final class Podman {
    private Podman() {
    }

    /** Runs podman on the store under {@code store}, failing the test when it fails; answers its output. */
    public static String run(Path store, String... arguments) {
        return Cli.run(command(store, arguments));
    }

    /** The podman command line for the store under {@code store}, with settings that work without a system service. */
    public static List<String> command(Path store, String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman", "--root", store.resolve("root").toString(),
                "--runroot", store.resolve("run").toString(), "--storage-driver", "vfs", "--events-backend", "file",
                "--cgroup-manager", "cgroupfs"));
        command.addAll(List.of(arguments));
        return command;
    }
}
