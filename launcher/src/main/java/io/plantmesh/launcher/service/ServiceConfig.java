package io.plantmesh.launcher.service;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The configuration of one service process: a properties file (the Helm chart renders one per service) with every
 * key overridable by the environment variable {@code PLANTMESH_<KEY>} (upper case, {@code .} and {@code -} as
 * {@code _}; e.g. {@code ditto.password} by {@code PLANTMESH_DITTO_PASSWORD}). Passwords and connection strings
 * are meant to come from the environment (Kubernetes Secrets), never from the file.
 */
public final class ServiceConfig {

    private final Properties file;
    private final Map<String, String> env;
    private final String source;

    ServiceConfig(final Properties file, final Map<String, String> env, final String source) {
        this.file = file;
        this.env = Map.copyOf(env);
        this.source = source;
    }

    /**
     * Reads the file (null for none: environment only) and takes the given environment.
     *
     * @throws ServiceException if the file cannot be read
     */
    public static ServiceConfig load(final Path file, final Map<String, String> env) {
        final Properties properties = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ServiceException("Cannot read the configuration file " + file.toAbsolutePath()
                        + " (--config): " + e.getMessage() + ". Give a readable properties file, or leave --config"
                        + " out and set PLANTMESH_* environment variables.", e);
            }
        }
        return new ServiceConfig(properties, env, file == null ? "the environment" : file.toString());
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(final String key) {
        return "PLANTMESH_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> get(final String key) {
        final String fromEnv = env.get(envName(key));
        final String value = fromEnv != null ? fromEnv : file.getProperty(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    public String get(final String key, final String fallback) {
        return get(key).orElse(fallback);
    }

    /** @throws ServiceException naming the key, its environment variable and the file */
    public String require(final String key) {
        return get(key).orElseThrow(() -> new ServiceException("The setting " + key + " is missing: set it in "
                + source + " or in the environment variable " + envName(key) + "."));
    }

    public int getInt(final String key, final int fallback) {
        final Optional<String> value = get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new ServiceException("The setting " + key + " (" + envName(key) + ") must be a whole number, was '"
                    + value.get() + "'.", e);
        }
    }

    public long getLong(final String key, final long fallback) {
        final Optional<String> value = get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new ServiceException("The setting " + key + " (" + envName(key) + ") must be a whole number, was '"
                    + value.get() + "'.", e);
        }
    }

    public boolean getBoolean(final String key, final boolean fallback) {
        final Optional<String> value = get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ServiceException("The setting " + key + " (" + envName(key) + ") must be true or"
                    + " false, was '" + value.get() + "'.");
        };
    }

    /** A comma-separated list; empty when not set. */
    public List<String> getList(final String key) {
        return get(key).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** An ISO-8601 duration ({@code PT30S}) or seconds. */
    public Duration getDuration(final String key, final Duration fallback) {
        final Optional<String> value = get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return value.get().toUpperCase(Locale.ROOT).startsWith("P") ? Duration.parse(value.get())
                    : Duration.ofSeconds(Long.parseLong(value.get()));
        } catch (RuntimeException e) {
            throw new ServiceException("The setting " + key + " (" + envName(key) + ") must be a duration such as"
                    + " PT30S or a number of seconds, was '" + value.get() + "'.", e);
        }
    }

    /** @throws ServiceException if missing or not an absolute URI */
    public URI requireUri(final String key) {
        final String value = require(key);
        try {
            final URI uri = URI.create(value);
            if (!uri.isAbsolute()) {
                throw new IllegalArgumentException("not absolute");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ServiceException("The setting " + key + " (" + envName(key) + ") must be an absolute URL such"
                    + " as ws://ditto:8080/ws/2, was '" + value + "'.", e);
        }
    }

    /** Where the settings came from, for messages. */
    public String source() {
        return source;
    }
}
