package io.plantmesh.identity.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.identity.secrets.AdminCredentials;
import io.plantmesh.identity.secrets.SecretFiles;

/**
 * The real Keycloak server as a child process of PlantMesh, on 127.0.0.1 only, with its data under the PlantMesh
 * data directory.
 *
 * <p>Layout: the distribution is shared read-only ({@link KeycloakDistribution}); this installation's Keycloak home
 * is {@code <data-dir>/keycloak/server}: its own {@code bin/} and {@code conf/}, links to the shared {@code lib/},
 * {@code themes/} and {@code providers/}, and its own {@code data/} (the H2 database). The bootstrap administrator
 * is generated on the first start and kept in {@code <data-dir>/secrets/keycloak-admin.properties} (mode 600). The
 * server's output goes to {@code <data-dir>/keycloak/keycloak.log}.
 *
 * <p>{@link #create} returns an unstarted server; its caller must {@link #close()} it, including after a failed
 * start. A JVM shutdown hook stops the process if the caller does not; a server left behind by a killed PlantMesh on
 * the same data directory (pid file) is stopped before a new one starts.
 */
public final class EmbeddedKeycloak implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKeycloak.class);

    /** Directory of the embedded Keycloak under the data directory. */
    public static final String DIRECTORY = "keycloak";
    static final String LOOPBACK = "127.0.0.1";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final List<String> SHARED = List.of("lib", "themes", "providers");

    private final EmbeddedKeycloakConfig config;
    private final Path directory;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private AdminCredentials admin;
    private int port;
    private Process process;
    private Thread shutdownHook;
    private boolean ready;
    private boolean stopped;
    private boolean closed;

    private EmbeddedKeycloak(EmbeddedKeycloakConfig config) {
        this.config = config;
        this.directory = config.dataDir().resolve(DIRECTORY).toAbsolutePath().normalize();
    }

    /** An unstarted server; its caller must close it, including after a failed start. */
    public static EmbeddedKeycloak create(EmbeddedKeycloakConfig config) {
        return new EmbeddedKeycloak(config);
    }

    /** {@link #launch} then {@link #awaitReady}. */
    public void start(KeycloakStartupListener listener) {
        launch(listener);
        awaitReady(listener);
    }

    /**
     * Prepares the distribution (first run: unpack and build, with progress) and starts the process without waiting
     * for it to answer, so that the caller can start other things meanwhile.
     *
     * @throws KeycloakStartException saying what was wrong and what to do
     */
    public synchronized void launch(KeycloakStartupListener listener) {
        if (process != null || closed) {
            throw new IllegalStateException("this embedded Keycloak was already started or closed");
        }
        KeycloakDistribution distribution = KeycloakDistribution.prepare(config.distribution(), config.cacheDir(),
                listener);
        Path home = directory.resolve("server");
        try {
            // the H2 database holds the realm's signing keys, client secrets and password hashes
            SecretFiles.createOwnerOnlyDirectory(directory);
            stopOrphan(home);
            layOutHome(distribution.home(), home);
        } catch (IOException e) {
            throw new KeycloakStartException("Cannot prepare Keycloak's home " + home + ": " + e.getMessage()
                    + ". Check the data directory (--data-dir or PLANTMESH_DATA_DIR).", e);
        }
        admin = AdminCredentials.generatedIn(config.dataDir());
        port = config.port() == 0 ? freePort() : requireFreePort(config.port());

        Path log = directory.resolve("keycloak.log");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--cache=local", "--http-enabled=true", "--http-host=" + LOOPBACK, "--http-port=" + port,
                "--hostname=" + baseUrlString(), "--log-console-color=false"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        KeycloakProcessEnvironment.prepare(builder.environment(), config.heap());
        // environment, not command line: the password stays out of 'ps'
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", admin.username());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", admin.password());
        try {
            rotate(log);
            builder.redirectOutput(log.toFile());
            process = builder.start();
            Files.writeString(pidFile(), Long.toString(process.pid()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeycloakStartException("Cannot start " + command.get(0) + ": " + e.getMessage()
                    + ". Check that the distribution in " + distribution.home() + " is complete (delete it to unpack"
                    + " it again).", e);
        }
        shutdownHook = new Thread(this::stopProcess, "plantmesh-keycloak-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.debug("Keycloak process {} started: {}", process.pid(), command);
    }

    /**
     * Waits (bounded by the configured start timeout) until the server answers, calling the listener about once a
     * second.
     *
     * @throws KeycloakStartException when the process ends or does not answer in time; the process is stopped
     */
    public void awaitReady(KeycloakStartupListener listener) {
        Process started;
        synchronized (this) {
            if (process == null) {
                throw new IllegalStateException("launch the embedded Keycloak first");
            }
            if (ready) {
                return;
            }
            started = process;
        }
        Path log = directory.resolve("keycloak.log");
        long begin = System.nanoTime();
        long deadline = begin + config.startTimeout().toNanos();
        long lastReport = 0;
        URI probe = URI.create(baseUrlString() + "/realms/master");
        while (true) {
            if (!started.isAlive()) {
                stopProcess();
                if (KeycloakLog.portTaken(log)) {
                    throw new KeycloakStartException("Keycloak cannot listen on " + LOOPBACK + ":" + port + ": the"
                            + " port is in use by another process. Choose another port with --keycloak-port or"
                            + " PLANTMESH_KEYCLOAK_PORT (0 picks a free one).", null);
                }
                throw new KeycloakStartException("Keycloak stopped during start-up (exit code " + started.exitValue()
                        + "): " + KeycloakLog.tail(log, 12) + " The whole log is in " + log + ".", null);
            }
            if (answers(probe)) {
                break;
            }
            long now = System.nanoTime();
            if (now - deadline > 0) {
                stopProcess();
                throw new KeycloakStartException("Keycloak did not answer on " + probe + " within "
                        + config.startTimeout().toSeconds() + " s (is the machine overloaded?); it was stopped. Last"
                        + " lines of " + log + ": " + KeycloakLog.tail(log, 8), null);
            }
            if (now - lastReport >= TimeUnit.SECONDS.toNanos(1)) {
                lastReport = now;
                listener.waiting(Duration.ofNanos(now - begin));
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopProcess();
                throw new KeycloakStartException("Interrupted while waiting for Keycloak; it was stopped", e);
            }
        }
        synchronized (this) {
            ready = true;
        }
        LOG.info("Keycloak {} up at {} (admin console {}/admin, data in {}, log {}) after {} s",
                KeycloakDistribution.version(), baseUrlString(), baseUrlString(), directory, log,
                Duration.ofNanos(System.nanoTime() - begin).toSeconds());
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public URI baseUrl() {
        return URI.create(baseUrlString());
    }

    /** The OpenID Connect issuer of a realm: {@code http://127.0.0.1:<port>/realms/<realm>}. */
    public URI issuer(String realm) {
        return URI.create(baseUrlString() + "/realms/" + realm);
    }

    /** The bound port (known after {@link #launch}). */
    public synchronized int port() {
        return port;
    }

    /** The bootstrap administrator of realm master (known after {@link #launch}). */
    public synchronized AdminCredentials adminCredentials() {
        if (admin == null) {
            throw new IllegalStateException("launch the embedded Keycloak first");
        }
        return admin;
    }

    /** {@code <data-dir>/keycloak}. */
    public Path directory() {
        return directory;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 30 s); idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopProcess();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) anyway
            }
        }
    }

    /** Stops the process once, whoever asks first (close, the shutdown hook, a failed start). */
    private void stopProcess() {
        Process running;
        synchronized (this) {
            running = process;
            if (running == null || stopped) {
                return;
            }
            stopped = true;
        }
        if (running.isAlive()) {
            stop(running.toHandle());
            LOG.info("Keycloak stopped");
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            LOG.debug("cannot delete {}", pidFile(), e);
        }
    }

    /**
     * SIGTERM to kc.sh, which forwards it to Keycloak's JVM (Quarkus shuts down cleanly); SIGKILL to both after the
     * stop timeout.
     */
    private static void stop(ProcessHandle handle) {
        List<ProcessHandle> all = new ArrayList<>(handle.descendants().toList());
        all.add(handle);
        handle.destroy();
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle p : all) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                LOG.warn("Keycloak process {} did not stop within {} s; killing it", p.pid(),
                        STOP_TIMEOUT.toSeconds());
                p.destroyForcibly();
            }
        }
    }

    /** A Keycloak left running by a killed PlantMesh on this data directory holds the database: stop it. */
    private void stopOrphan(Path home) throws IOException {
        Path pidFile = pidFile();
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
        Files.delete(pidFile);
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        boolean ours = orphan.flatMap(p -> p.info().commandLine()).map(c -> c.contains(home.toString()))
                .orElse(false);
        if (ours) {
            LOG.warn("Stopping Keycloak (pid {}) left running by an earlier PlantMesh on {}", pid, directory);
            stop(orphan.get());
        }
    }

    /** This installation's home: own bin/, conf/ and data/, links to the shared lib/, themes/, providers/. */
    private static void layOutHome(Path distribution, Path home) throws IOException {
        Files.createDirectories(home.resolve("data"));
        Path bin = home.resolve("bin");
        KeycloakDistribution.deleteRecursively(bin);
        Files.createDirectories(bin);
        try (Stream<Path> files = Files.list(distribution.resolve("bin"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, bin.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Path conf = home.resolve("conf");
        if (!Files.isDirectory(conf)) {
            Files.createDirectories(conf);
            try (Stream<Path> files = Files.list(distribution.resolve("conf"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, conf.resolve(file.getFileName()));
                }
            }
        }
        for (String shared : SHARED) {
            Path link = home.resolve(shared);
            Path target = distribution.resolve(shared).toAbsolutePath();
            if (Files.isSymbolicLink(link)) {
                Files.delete(link);
            } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                KeycloakDistribution.deleteRecursively(link);
            }
            if (Files.exists(target)) {
                Files.createSymbolicLink(link, target);
            }
        }
        Path version = distribution.resolve("version.txt");
        if (Files.isRegularFile(version)) {
            Files.copy(version, home.resolve("version.txt"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private boolean answers(URI probe) {
        HttpRequest request = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Path pidFile() {
        return directory.resolve("keycloak.pid");
    }

    private String baseUrlString() {
        return "http://" + LOOPBACK + ":" + port;
    }

    private static void rotate(Path log) throws IOException {
        Files.createDirectories(log.getParent());
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new KeycloakStartException("No free port on " + LOOPBACK + " for Keycloak: " + e.getMessage(), e);
        }
    }

    private static int requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return port;
        } catch (BindException e) {
            throw new KeycloakStartException("Port " + port + " on " + LOOPBACK + " is already in use by another"
                    + " process, so Keycloak cannot use it. Stop that process, or choose another port with"
                    + " --keycloak-port or PLANTMESH_KEYCLOAK_PORT (0 picks a free one).", e);
        } catch (IOException e) {
            throw new KeycloakStartException("Cannot check port " + port + " on " + LOOPBACK + ": " + e.getMessage(),
                    e);
        }
    }
}
