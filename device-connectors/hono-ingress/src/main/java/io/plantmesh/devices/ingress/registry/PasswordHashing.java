package io.plantmesh.devices.ingress.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Set;

import org.springframework.security.crypto.bcrypt.BCrypt;

import io.vertx.core.json.JsonObject;

/**
 * Hashes and checks {@code hashed-password} secrets the way Hono's registry stores them: {@code pwd-plain} is hashed
 * with BCrypt on write; pre-hashed secrets carry {@code hash-function} (bcrypt, sha-256 or sha-512), {@code pwd-hash}
 * (the BCrypt string, or Base64 of hash(salt bytes + UTF-8 password)) and an optional Base64 {@code salt}.
 *
 * <p>BCrypt is deliberately slow (tens of milliseconds at cost 10): call these methods on worker threads only. As
 * Hono's registry does ({@code maxBcryptCostFactor}, default 10), pre-hashed BCrypt secrets with a higher cost than
 * the maximum (10, or the configured cost if higher) are refused, and such stored hashes never match: each check of
 * one would tie up a worker thread for seconds, an easy way to starve the adapter.
 */
public final class PasswordHashing {

    public static final String BCRYPT = "bcrypt";
    public static final String SHA_256 = "sha-256";
    public static final String SHA_512 = "sha-512";
    private static final Set<String> HASH_FUNCTIONS = Set.of(BCRYPT, SHA_256, SHA_512);
    /** Hono's default {@code maxBcryptCostFactor}. */
    public static final int DEFAULT_MAX_BCRYPT_COST = 10;

    private final int bcryptCost;
    private final int maxBcryptCost;

    private PasswordHashing(int bcryptCost) {
        this.bcryptCost = bcryptCost;
        this.maxBcryptCost = Math.max(DEFAULT_MAX_BCRYPT_COST, bcryptCost);
    }

    /** Hashing with the given BCrypt cost factor (Hono's default maximum is 10). */
    public static PasswordHashing withBcryptCost(int bcryptCost) {
        boolean inRange = bcryptCost >= 4 && bcryptCost <= 31;
        if (!inRange) {
            throw new IllegalArgumentException("BCrypt cost must be between 4 and 31, not " + bcryptCost);
        }
        return new PasswordHashing(bcryptCost);
    }

    /**
     * Turns a secret from a request into the secret to store: a {@code pwd-plain} is replaced by its BCrypt hash (any
     * given hash fields are ignored, as Hono does); a pre-hashed secret is checked for a supported hash function.
     */
    public JsonObject secretToStore(JsonObject requested) {
        JsonObject secret = requested.copy();
        Object plain = secret.remove("pwd-plain");
        if (plain != null) {
            if (!(plain instanceof String password) || password.isEmpty()) {
                throw RegistryException.badRequest("pwd-plain must be a non-empty string");
            }
            secret.remove("salt");
            secret.put("hash-function", BCRYPT);
            secret.put("pwd-hash", BCrypt.hashpw(password, BCrypt.gensalt(bcryptCost)));
            return secret;
        }
        String function = secret.getString("hash-function");
        String hash = secret.getString("pwd-hash");
        if (function == null || hash == null) {
            throw RegistryException.badRequest(
                    "a hashed-password secret needs pwd-plain, or pwd-hash with hash-function (bcrypt|sha-256|sha-512)");
        }
        if (!HASH_FUNCTIONS.contains(function)) {
            throw RegistryException.badRequest("unsupported hash-function [" + function
                    + "]; use bcrypt, sha-256 or sha-512");
        }
        if (BCRYPT.equals(function) && !hash.startsWith("$2")) {
            throw RegistryException.badRequest("pwd-hash is not a BCrypt hash (expected $2a$, $2b$ or $2y$)");
        }
        if (BCRYPT.equals(function) && bcryptCostOf(hash) > maxBcryptCost) {
            throw RegistryException.badRequest("pwd-hash uses BCrypt cost factor " + bcryptCostOf(hash)
                    + ", above the maximum of " + maxBcryptCost + "; hash the password with cost " + maxBcryptCost
                    + " or less, or send pwd-plain");
        }
        return secret;
    }

    /** Whether the password matches the stored secret and the secret is enabled and valid now. */
    public boolean matches(JsonObject storedSecret, String password, Instant now) {
        if (!isUsable(storedSecret, now) || password == null) {
            return false;
        }
        String function = storedSecret.getString("hash-function");
        String hash = storedSecret.getString("pwd-hash");
        if (function == null || hash == null) {
            return false;
        }
        return switch (function) {
            case BCRYPT -> bcryptCostOf(hash) <= maxBcryptCost && checkBcrypt(password, hash);
            case SHA_256 -> checkDigest("SHA-256", storedSecret.getString("salt"), password, hash);
            case SHA_512 -> checkDigest("SHA-512", storedSecret.getString("salt"), password, hash);
            default -> false;
        };
    }

    /** The cost factor of a {@code $2a$NN$...} hash; {@code Integer.MAX_VALUE} if it cannot be read. */
    static int bcryptCostOf(String hash) {
        boolean wellFormed = hash.length() > 7 && hash.charAt(0) == '$' && hash.charAt(3) == '$'
                && hash.charAt(6) == '$';
        if (!wellFormed) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(hash.substring(4, 6));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static boolean checkBcrypt(String password, String hash) {
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            return false; // a malformed stored hash is a mismatch, not a crash
        }
    }

    private static boolean checkDigest(String algorithm, String saltBase64, String password, String hashBase64) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            if (saltBase64 != null) {
                digest.update(Base64.getDecoder().decode(saltBase64));
            }
            byte[] actual = digest.digest(password.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(actual, Base64.getDecoder().decode(hashBase64));
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isUsable(JsonObject secret, Instant now) {
        if (!secret.getBoolean("enabled", true)) {
            return false;
        }
        try {
            String notBefore = secret.getString("not-before");
            String notAfter = secret.getString("not-after");
            boolean started = notBefore == null || !now.isBefore(Instant.parse(notBefore));
            boolean notExpired = notAfter == null || !now.isAfter(Instant.parse(notAfter));
            return started && notExpired;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
