package io.plantmesh.launcher;

import java.nio.file.Path;

/**
 * Runs the embedded footprint (store + twin server, no demo plant) in a child JVM for {@link DurabilityKillIT}:
 * {@code ChildPlantMeshMain <dataDir>} prints {@code READY <httpPort>} once it accepts requests, then runs until
 * killed.
 */
public final class ChildPlantMeshMain {

    public static final String READY = "READY ";

    private ChildPlantMeshMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LaunchOptions options = LaunchOptions.forTests(Path.of(args[0])).withDemo(false);
        RunningPlantMesh running = PlantMeshLauncher.start(options, LaunchListener.silent());
        System.out.println(READY + running.httpPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
