package io.plantmesh.identity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeycloakDistributionTest {

    /** Stands in for kc.sh: 'build' leaves a note of its arguments. */
    private static final String FAKE_KC = "#!/bin/sh\nif [ \"$1\" = build ]; then echo \"$*\" >> \"$(dirname \"$0\")/../built.txt\"; fi\n";

    @TempDir
    Path temp;

    private final List<String> events = new ArrayList<>();
    private final KeycloakStartupListener listener = new KeycloakStartupListener() {
        @Override
        public void unpacking(long doneBytes, long totalBytes) {
            if (doneBytes == totalBytes && !events.contains("unpacked")) {
                events.add("unpacked");
            }
        }

        @Override
        public void building() {
            events.add("building");
        }
    };

    @Test
    void unpacksOnceKeepsExecutableBitsAndBuildsOnce() throws IOException {
        Path archive = tarGz("keycloak-9.9.9.tar.gz", Map.of(
                "keycloak-9.9.9/bin/kc.sh", FAKE_KC,
                "keycloak-9.9.9/lib/quarkus-run.txt", "lib",
                "keycloak-9.9.9/conf/keycloak.conf", "# conf"));
        Path cache = temp.resolve("cache");

        KeycloakDistribution first = KeycloakDistribution.prepare(archive, cache, listener);

        Path home = cache.resolve("keycloak-9.9.9");
        assertThat(first.home()).isEqualTo(home);
        assertThat(Files.isExecutable(home.resolve("bin/kc.sh"))).isTrue();
        assertThat(Files.isExecutable(home.resolve("conf/keycloak.conf"))).isFalse();
        assertThat(Files.readString(home.resolve("lib/quarkus-run.txt"))).isEqualTo("lib");
        assertThat(Files.readString(home.resolve("built.txt")).trim()).isEqualTo("build "
                + String.join(" ", KeycloakDistribution.BUILD_OPTIONS));
        assertThat(events).containsExactly("unpacked", "building");

        events.clear();
        KeycloakDistribution second = KeycloakDistribution.prepare(archive, cache, listener);
        assertThat(second.home()).isEqualTo(home);
        assertThat(events).isEmpty();
        assertThat(Files.readAllLines(home.resolve("built.txt"))).hasSize(1);
    }

    @Test
    void anInterruptedUnpackIsRedone() throws IOException {
        Path archive = tarGz("keycloak-9.9.8.tar.gz", Map.of(
                "keycloak-9.9.8/bin/kc.sh", FAKE_KC, "keycloak-9.9.8/lib/a.txt", "a"));
        Path cache = temp.resolve("cache");
        Path half = cache.resolve("keycloak-9.9.8");
        Files.createDirectories(half.resolve("lib"));
        Files.writeString(half.resolve("lib/leftover.txt"), "x");

        KeycloakDistribution.prepare(archive, cache, listener);

        assertThat(half.resolve("lib/leftover.txt")).doesNotExist();
        assertThat(half.resolve("lib/a.txt")).exists();
        assertThat(events).containsExactly("unpacked", "building");
    }

    @Test
    void anEntryPointingOutsideIsRefused() throws IOException {
        Path archive = tarGz("keycloak-evil.tar.gz", Map.of("keycloak-evil/../../evil.sh", "boom"));
        assertThatThrownBy(() -> KeycloakDistribution.prepare(archive, temp.resolve("cache"), listener))
                .isInstanceOf(KeycloakStartException.class)
                .hasMessageContaining("points outside the target directory");
        assertThat(temp.resolve("evil.sh")).doesNotExist();
    }

    @Test
    void aMissingArchiveSaysHowToGetIt() {
        assertThatThrownBy(() -> KeycloakDistribution.prepare(temp.resolve("nope.tar.gz"), temp, listener))
                .isInstanceOf(KeycloakStartException.class)
                .hasMessageContaining("is missing").hasMessageContaining("--keycloak-dist")
                .hasMessageContaining("--no-keycloak");
        assertThatThrownBy(() -> KeycloakDistribution.prepare(temp, temp.resolve("cache"), listener))
                .hasMessageContaining("is not a Keycloak distribution");
    }

    @Test
    void theBuildRecordsTheDistributionVersion() {
        assertThat(KeycloakDistribution.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(KeycloakDistribution.defaultArchive().toString())
                .endsWith("keycloak-quarkus-dist-" + KeycloakDistribution.version() + ".tar.gz");
    }

    private Path tarGz(String name, Map<String, String> files) throws IOException {
        Path archive = temp.resolve(name);
        try (OutputStream out = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                entry.setMode(file.getKey().endsWith(".sh") ? 0100755 : 0100644);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }
}
