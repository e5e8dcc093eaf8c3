package io.plantmesh.identity.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void generatedSecretsAreKeptOwnerOnlyAndStableAcrossRuns() throws IOException {
        ClientSecrets first = ClientSecrets.generatedIn(dataDir, List.of("a", "b"));
        Path file = dataDir.resolve("secrets/client-secrets.properties");
        assertThat(first.file()).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(first.secretOf("a")).hasSize(43).isNotEqualTo(first.secretOf("b"));

        ClientSecrets second = ClientSecrets.generatedIn(dataDir, List.of("a", "b", "c"));
        assertThat(second.secretOf("a")).isEqualTo(first.secretOf("a"));
        assertThat(second.secretOf("b")).isEqualTo(first.secretOf("b"));
        assertThat(second.secretOf("c")).hasSize(43);
        assertThat(ClientSecrets.generatedIn(dataDir, List.of("c")).secretOf("c")).isEqualTo(second.secretOf("c"));
        assertThatThrownBy(() -> first.secretOf("zzz")).hasMessageContaining("No secret for client zzz");
    }

    @Test
    void suppliedSecretsMustNameEveryClient() throws IOException {
        Path file = dataDir.resolve("supplied.properties");
        Files.writeString(file, "a=secret-a\n");
        assertThat(ClientSecrets.fromFile(file, List.of("a")).secretOf("a")).isEqualTo("secret-a");
        assertThatThrownBy(() -> ClientSecrets.fromFile(file, List.of("a", "b", "c")))
                .hasMessageContaining("has no secret for b, c");
        assertThatThrownBy(() -> ClientSecrets.fromFile(dataDir.resolve("missing"), List.of("a")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void theAdministratorIsGeneratedOnceAndReadBack() throws IOException {
        AdminCredentials generated = AdminCredentials.generatedIn(dataDir);
        assertThat(generated.username()).isEqualTo(AdminCredentials.EMBEDDED_ADMIN);
        assertThat(generated.toString()).doesNotContain(generated.password());
        assertThat(AdminCredentials.generatedIn(dataDir)).isEqualTo(generated);
        Path file = AdminCredentials.fileIn(dataDir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.writeString(file, "username=x\n");
        assertThatThrownBy(() -> AdminCredentials.readFrom(file)).hasMessageContaining("'username' and 'password'");
    }

    @Test
    void aMountedSecretDirectoryGivesOneFilePerClient() throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("oauth-clients"));
        Files.writeString(dir.resolve("plantmesh-a"), "secret-a\n");
        Files.writeString(dir.resolve("plantmesh-b"), "secret-b");

        ClientSecrets secrets = ClientSecrets.fromDirectory(dir, List.of("plantmesh-a", "plantmesh-b"));

        assertThat(secrets.secretOf("plantmesh-a")).isEqualTo("secret-a");
        assertThat(secrets.secretOf("plantmesh-b")).isEqualTo("secret-b");
        assertThatThrownBy(() -> ClientSecrets.fromDirectory(dir, List.of("plantmesh-a", "plantmesh-c")))
                .hasMessageContaining("no secret for plantmesh-c").hasMessageContaining("Secret");
        assertThatThrownBy(() -> ClientSecrets.fromDirectory(dataDir.resolve("absent"), List.of("plantmesh-a")))
                .hasMessageContaining("does not exist").hasMessageContaining("Mount");
    }
}
