package io.plantmesh.identity.server;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Keycloak server distribution ({@code org.keycloak:keycloak-quarkus-dist}, a tar.gz that Maven fetches into the
 * local repository when the identity module builds), unpacked once into a cache directory shared by every PlantMesh
 * installation and test run of this user, and built once ({@code kc.sh build} with {@link #BUILD_OPTIONS}) so that
 * each server starts with {@code start --optimized} and never writes into the shared copy.
 *
 * <p>Where the archive comes from, first match wins: an explicit path (option {@code --keycloak-dist} or
 * {@code PLANTMESH_KEYCLOAK_DIST}: the tar.gz, or an unpacked distribution directory); the local Maven repository
 * the build used (recorded in {@code keycloak-distribution.properties}); {@code ~/.m2/repository}.
 */
public final class KeycloakDistribution {

    private static final Logger LOG = LoggerFactory.getLogger(KeycloakDistribution.class);

    /** Build-time options of every PlantMesh Keycloak: the embedded H2 file database. */
    public static final List<String> BUILD_OPTIONS = List.of("--db=dev-file");

    private static final String READY_MARKER = ".plantmesh-ready";
    private static final String LOCK_FILE = ".keycloak-unpack.lock";
    private static final long BUILD_TIMEOUT_MINUTES = 10;
    private static final Properties COORDINATES = coordinates();

    private final Path home;

    private KeycloakDistribution(Path home) {
        this.home = home;
    }

    /** Version of the distribution this build of PlantMesh uses, e.g. 26.4.7. */
    public static String version() {
        return COORDINATES.getProperty("version");
    }

    /** The unpacked, built distribution directory (bin/, lib/, conf/, themes/, providers/). */
    public Path home() {
        return home;
    }

    /** {@code $PLANTMESH_CACHE_DIR}, else {@code $XDG_CACHE_HOME/plantmesh}, else {@code ~/.cache/plantmesh}. */
    public static Path defaultCacheDir() {
        String configured = System.getenv("PLANTMESH_CACHE_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("plantmesh");
    }

    /** Where the Maven build put the archive, if it is there. */
    public static Path defaultArchive() {
        String relative = COORDINATES.getProperty("groupId").replace('.', '/') + "/"
                + COORDINATES.getProperty("artifactId") + "/" + version() + "/"
                + COORDINATES.getProperty("artifactId") + "-" + version() + "." + COORDINATES.getProperty("type");
        String recorded = COORDINATES.getProperty("localRepository", "");
        List<Path> candidates = new ArrayList<>();
        if (!recorded.isBlank() && !recorded.contains("${")) {
            candidates.add(Path.of(recorded).resolve(relative));
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".m2", "repository").resolve(relative));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(candidates.get(0));
    }

    /**
     * The distribution, unpacked and built in {@code cacheDir} on first use (with progress); safe against other
     * processes preparing the same one at the same time.
     *
     * @param source the tar.gz or an unpacked distribution directory; null for {@link #defaultArchive()}
     * @throws KeycloakStartException saying what is missing and how to get it
     */
    public static KeycloakDistribution prepare(Path source, Path cacheDir, KeycloakStartupListener listener) {
        Path archive = source == null ? defaultArchive() : source;
        if (Files.isDirectory(archive)) {
            requireDistribution(archive);
            return ready(archive, listener);
        }
        if (!Files.isRegularFile(archive)) {
            throw new KeycloakStartException("The Keycloak server distribution " + archive.toAbsolutePath()
                    + " is missing. Build PlantMesh once online so that Maven fetches it (./plantmesh does; or 'mvn"
                    + " -B -pl identity -am package -DskipTests'), or point --keycloak-dist (PLANTMESH_KEYCLOAK_DIST) at"
                    + " keycloak-quarkus-dist-" + version() + ".tar.gz or an unpacked Keycloak; --no-keycloak runs"
                    + " without it (development only).", null);
        }
        String name = archive.getFileName().toString().replaceFirst("\\.tar\\.gz$|\\.tgz$", "");
        Path home = cacheDir.resolve(name);
        synchronized (KeycloakDistribution.class) {
            try {
                Files.createDirectories(cacheDir);
                try (FileChannel channel = FileChannel.open(cacheDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                        FileLock ignored = channel.lock()) {
                    if (!isReady(home)) {
                        unpack(archive, home, listener);
                    }
                    return ready(home, listener);
                }
            } catch (IOException e) {
                throw new KeycloakStartException("Cannot unpack the Keycloak distribution " + archive + " into "
                        + cacheDir.toAbsolutePath() + ": " + e.getMessage() + ". Check free space and permissions,"
                        + " or choose another cache directory with PLANTMESH_CACHE_DIR.", e);
            }
        }
    }

    private static KeycloakDistribution ready(Path home, KeycloakStartupListener listener) {
        if (!isReady(home)) {
            build(home, listener);
        }
        return new KeycloakDistribution(home);
    }

    private static boolean isReady(Path home) {
        Path marker = home.resolve(READY_MARKER);
        try {
            return Files.isRegularFile(marker)
                    && Files.readString(marker, StandardCharsets.UTF_8).trim().equals(String.join(" ", BUILD_OPTIONS));
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireDistribution(Path home) {
        if (!Files.isRegularFile(home.resolve("bin/kc.sh")) || !Files.isDirectory(home.resolve("lib"))) {
            throw new KeycloakStartException(home.toAbsolutePath() + " is not a Keycloak distribution (no bin/kc.sh"
                    + " or lib/). Point --keycloak-dist (PLANTMESH_KEYCLOAK_DIST) at keycloak-quarkus-dist-"
                    + version() + ".tar.gz or the directory it unpacks to.", null);
        }
    }

    private static void unpack(Path archive, Path home, KeycloakStartupListener listener) throws IOException {
        deleteRecursively(home);
        Path partial = home.resolveSibling(home.getFileName() + ".partial");
        deleteRecursively(partial);
        Files.createDirectories(partial);
        long total = Files.size(archive);
        LOG.info("Unpacking Keycloak {} ({} MB) into {} (first run only)", archive.getFileName(),
                total / (1024 * 1024), home.toAbsolutePath());
        try (CountingInputStream counted = new CountingInputStream(
                new BufferedInputStream(Files.newInputStream(archive), 1 << 16));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(counted))) {
            long reported = -1;
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = targetOf(partial, entry.getName());
                if (target == null) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    if ((entry.getMode() & 0100) != 0) {
                        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(target));
                        permissions.add(PosixFilePermission.OWNER_EXECUTE);
                        Files.setPosixFilePermissions(target, permissions);
                    }
                }
                long step = counted.count() * 20 / Math.max(1, total);
                if (step != reported) {
                    reported = step;
                    listener.unpacking(counted.count(), total);
                }
            }
            listener.unpacking(total, total);
        }
        requireDistribution(partial);
        Files.move(partial, home);
    }

    /** The entry's path without the archive's top directory, inside {@code root}; null for the top directory. */
    private static Path targetOf(Path root, String entryName) throws IOException {
        String name = entryName.replace('\\', '/');
        int slash = name.indexOf('/');
        if (slash < 0 || slash == name.length() - 1) {
            return null;
        }
        Path target = root.resolve(name.substring(slash + 1)).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("the archive entry " + entryName + " points outside the target directory");
        }
        return target;
    }

    /** {@code kc.sh build} once, so servers start with --optimized and never rebuild into the shared copy. */
    private static void build(Path home, KeycloakStartupListener listener) {
        listener.building();
        LOG.info("Building Keycloak in {} with {} (first run only)", home.toAbsolutePath(), BUILD_OPTIONS);
        Path log = home.resolve("plantmesh-build.log");
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/kc.sh").toString());
        command.add("build");
        command.addAll(BUILD_OPTIONS);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        KeycloakProcessEnvironment.prepare(builder.environment(), null);
        try {
            Process process = builder.start();
            if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new KeycloakStartException("'kc.sh build' in " + home + " did not finish within "
                        + BUILD_TIMEOUT_MINUTES + " minutes; see " + log + ". Is the machine overloaded?", null);
            }
            if (process.exitValue() != 0) {
                throw new KeycloakStartException("'kc.sh build' in " + home + " failed (exit code "
                        + process.exitValue() + "): " + KeycloakLog.tail(log, 15) + " See " + log + "; delete "
                        + home + " to unpack it again.", null);
            }
            Files.writeString(home.resolve(READY_MARKER), String.join(" ", BUILD_OPTIONS), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeycloakStartException("Cannot run " + command.get(0) + ": " + e.getMessage()
                    + ". Check that the distribution in " + home + " is complete (delete it to unpack it again).", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakStartException("Interrupted while building Keycloak in " + home, e);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Properties coordinates() {
        Properties properties = new Properties();
        try (InputStream in = KeycloakDistribution.class.getResourceAsStream("keycloak-distribution.properties")) {
            if (in == null) {
                throw new IllegalStateException("keycloak-distribution.properties is missing from the identity"
                        + " module's jar; rebuild it");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Counts the compressed bytes read, for progress. */
    private static final class CountingInputStream extends FilterInputStream {

        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
