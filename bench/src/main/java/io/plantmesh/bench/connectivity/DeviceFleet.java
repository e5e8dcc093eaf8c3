package io.plantmesh.bench.connectivity;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The simulated machines ({@code plant1:machine-<line>-<nn>}, 10 per line) and the twin event watcher that matches
 * their messages to twin events.
 */
public final class DeviceFleet implements AutoCloseable {

    private final Vertx vertx;
    private final List<SimulatedDevice> devices;
    private final Map<String, String> passwords;
    private final Map<String, SimulatedDevice> byId = new LinkedHashMap<>();
    private TwinEventWatcher watcher;

    private DeviceFleet(Vertx vertx, List<SimulatedDevice> devices, Map<String, String> passwords) {
        this.vertx = vertx;
        this.devices = devices;
        this.passwords = passwords;
        devices.forEach(d -> byId.put(d.deviceId(), d));
    }

    /** Registers each machine with a random password and creates its twin. */
    public static DeviceFleet provision(Vertx vertx, ConnectivityPlant plant, int count) {
        List<SimulatedDevice> devices = new ArrayList<>();
        Map<String, String> passwords = new LinkedHashMap<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < count; i++) {
            int line = i / 10 + 1;
            int machine = i % 10 + 1;
            byte[] secret = new byte[12];
            random.nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            plant.provisionMachine(line, machine, password);
            SimulatedDevice device = new SimulatedDevice(vertx,
                    String.format("%s:machine-%d-%02d", ConnectivityPlant.TENANT, line, machine));
            devices.add(device);
            passwords.put(device.deviceId(), password);
        }
        return new DeviceFleet(vertx, devices, passwords);
    }

    /** Subscribes to twin events, then connects every device to the ingress's MQTT adapter. */
    public void connectAndWatch(ConnectivityPlant plant) throws Exception {
        watcher = new TwinEventWatcher(byId);
        watcher.start(vertx, plant.twinPort());
        List<Future<Void>> connected = new ArrayList<>();
        for (SimulatedDevice d : devices) {
            connected.add(d.connect(plant.ingressEndpoints().mqttHost(), plant.ingressEndpoints().mqttPort(),
                    ConnectivityPlant.TENANT, passwords.get(d.deviceId())));
        }
        Future.all(connected).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    public List<SimulatedDevice> devices() {
        return devices;
    }

    public long events() {
        return watcher == null ? 0 : watcher.events();
    }

    /** Waits until every published message is covered by an event; seconds it took, or -1 after the timeout. */
    public double awaitCovered(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeout.toNanos()) {
            if (devices.stream().allMatch(d -> d.coveredSeq() >= d.lastSeq())) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(5);
        }
        return -1;
    }

    /** Reads each twin's seq over HTTP and compares it with the device's last published seq. */
    public FinalCheck finalCheck(ConnectivityPlant plant) {
        List<String> mismatches = new ArrayList<>();
        long published = 0;
        for (SimulatedDevice d : devices) {
            long twin = plant.twinSeq(d.deviceId());
            published += d.lastSeq();
            if (twin != d.lastSeq()) {
                mismatches.add(d.deviceId() + ": twin seq " + twin + ", last published " + d.lastSeq());
            }
        }
        return new FinalCheck(devices.size(), devices.size() - mismatches.size(), published, mismatches);
    }

    /** Twins checked, twins whose final seq equals the last published one, all messages published, mismatches. */
    public record FinalCheck(int twins, int matching, long published, List<String> mismatches) {
    }

    @Override
    public void close() {
        List<Future<Void>> closed = new ArrayList<>();
        devices.forEach(d -> closed.add(d.disconnect()));
        try {
            Future.all(closed).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("[bench] some devices did not disconnect cleanly: " + e);
        }
        if (watcher != null) {
            watcher.close();
        }
    }
}
