package io.plantmesh.devices.ingress.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class PasswordHashingTest {

    private final PasswordHashing hashing = PasswordHashing.withBcryptCost(4);
    private final Instant now = Instant.parse("2026-11-26T08:00:00Z");

    @Test
    void plainPasswordIsReplacedByABcryptHash() {
        JsonObject stored = hashing.secretToStore(new JsonObject().put("pwd-plain", "hono-secret"));
        assertThat(stored.containsKey("pwd-plain")).isFalse();
        assertThat(stored.getString("hash-function")).isEqualTo("bcrypt");
        assertThat(stored.getString("pwd-hash")).startsWith("$2a$04$");
        assertThat(hashing.matches(stored, "hono-secret", now)).isTrue();
        assertThat(hashing.matches(stored, "hono-secreT", now)).isFalse();
    }

    @Test
    void saltedSha512IsChecked() throws Exception {
        byte[] salt = {1, 2, 3, 4};
        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        sha.update(salt);
        String hash = Base64.getEncoder().encodeToString(sha.digest("pw".getBytes(StandardCharsets.UTF_8)));
        JsonObject secret = hashing.secretToStore(new JsonObject().put("hash-function", "sha-512")
                .put("pwd-hash", hash).put("salt", Base64.getEncoder().encodeToString(salt)));
        assertThat(hashing.matches(secret, "pw", now)).isTrue();
        assertThat(hashing.matches(secret, "px", now)).isFalse();
    }

    @Test
    void disabledOrExpiredSecretsNeverMatch() {
        JsonObject stored = hashing.secretToStore(new JsonObject().put("pwd-plain", "pw"));
        assertThat(hashing.matches(stored.copy().put("enabled", false), "pw", now)).isFalse();
        assertThat(hashing.matches(stored.copy().put("not-after", "2026-01-01T00:00:00Z"), "pw", now)).isFalse();
        assertThat(hashing.matches(stored.copy().put("not-before", "2027-01-01T00:00:00Z"), "pw", now)).isFalse();
    }

    @Test
    void unsupportedHashFunctionIsABadRequest() {
        assertThatThrownBy(() -> hashing.secretToStore(new JsonObject().put("hash-function", "md5")
                .put("pwd-hash", "x"))).isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void preHashedBcryptAsHonoStoresItIsChecked() {
        // Hono's registry format for a pre-hashed password: hash-function bcrypt, pwd-hash the modular crypt string
        String hash = org.springframework.security.crypto.bcrypt.BCrypt.hashpw("gw-secret",
                org.springframework.security.crypto.bcrypt.BCrypt.gensalt(10));
        JsonObject secret = hashing.secretToStore(new JsonObject().put("hash-function", "bcrypt")
                .put("pwd-hash", hash));
        assertThat(hashing.matches(secret, "gw-secret", now)).isTrue();
        assertThat(hashing.matches(secret, "gw-secreT", now)).isFalse();
    }

    @Test
    void bcryptAboveTheMaximumCostIsRefusedAndNeverChecked() {
        String expensive = "$2a$14$" + "abcdefghijklmnopqrstuv" + "0123456789012345678901234567890";
        assertThatThrownBy(() -> hashing.secretToStore(new JsonObject().put("hash-function", "bcrypt")
                .put("pwd-hash", expensive)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("cost factor 14")
                .hasMessageContaining("maximum of 10");
        JsonObject storedAnyway = new JsonObject().put("hash-function", "bcrypt").put("pwd-hash", expensive);
        assertThat(hashing.matches(storedAnyway, "whatever", now)).isFalse();
        assertThat(PasswordHashing.bcryptCostOf("$2b$10$x")).isEqualTo(10);
    }
}
