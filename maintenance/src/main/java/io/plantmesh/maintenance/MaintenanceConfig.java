package io.plantmesh.maintenance;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.plantmesh.maintenance.model.ModelSettings;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.tls.ClientTrust;

/**
 * Everything the {@link MaintenanceService} needs, in one typed record; {@link #withEnvironment(Map)} overrides the
 * tunables from {@code PLANTMESH_MAINTENANCE_*} environment variables (docs/configuration.md).
 *
 * @param dittoEndpoint the twin server's (or Ditto's) {@code /ws/2}
 * @param namespaces machine twins of these namespaces are followed
 * @param mongoUri where models are kept (database {@code mongoDatabase})
 * @param mesApi the MES API base ({@code http://host:port/api/mes/v1}); null: no maintenance windows are requested
 * @param maintenanceDuration length of the maintenance window asked for when a failure is predicted
 * @param requestRetry a failed request to the MES is tried again after this long (real time)
 * @param saveInterval models that changed are saved this often (real time), and when the service stops
 * @param clock plant time: the wall clock in a plant, the simulator's clock in the embedded footprint
 * @param settings the health model's parameters
 * @param tokens when set, the twins and the MES API are called with its access tokens ({@code Bearer}) instead of
 *     the Basic user {@code dittoUser}
 * @param trust when set, {@code wss://} and {@code https://} peers are verified against these CAs only (null: the
 *     JVM's default trust store)
 */
public record MaintenanceConfig(URI dittoEndpoint, String dittoUser, String dittoPassword, List<String> namespaces,
        String mongoUri, String mongoDatabase, URI mesApi, Duration maintenanceDuration, Duration requestRetry,
        Duration saveInterval, Clock clock, ModelSettings settings, TokenClient tokens, ClientTrust trust) {

    /** MongoDB database of the models, by default. */
    public static final String DEFAULT_DATABASE = "plantmesh_maintenance";

    public MaintenanceConfig {
        Objects.requireNonNull(dittoEndpoint, "dittoEndpoint");
        Objects.requireNonNull(dittoUser, "dittoUser");
        Objects.requireNonNull(dittoPassword, "dittoPassword");
        namespaces = List.copyOf(namespaces);
        Objects.requireNonNull(mongoUri, "mongoUri");
        Objects.requireNonNull(mongoDatabase, "mongoDatabase");
        Objects.requireNonNull(maintenanceDuration, "maintenanceDuration");
        Objects.requireNonNull(requestRetry, "requestRetry");
        Objects.requireNonNull(saveInterval, "saveInterval");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        if (namespaces.isEmpty()) {
            throw new IllegalArgumentException("the maintenance service needs at least one namespace to follow, "
                    + "e.g. plant1");
        }
    }

    /** Defaults: database {@value #DEFAULT_DATABASE}, 2 h windows, retry 30 s, save every 30 s, system clock. */
    public static MaintenanceConfig defaults(final URI dittoEndpoint, final String user, final String password,
            final List<String> namespaces, final String mongoUri, final URI mesApi) {
        return new MaintenanceConfig(dittoEndpoint, user, password, namespaces, mongoUri, DEFAULT_DATABASE, mesApi,
                Duration.ofHours(2), Duration.ofSeconds(30), Duration.ofSeconds(30), Clock.systemUTC(),
                ModelSettings.defaults(), null, null);
    }

    public MaintenanceConfig withClock(final Clock value) {
        return new MaintenanceConfig(dittoEndpoint, dittoUser, dittoPassword, namespaces, mongoUri, mongoDatabase,
                mesApi, maintenanceDuration, requestRetry, saveInterval, value, settings, tokens, trust);
    }

    public MaintenanceConfig withSettings(final ModelSettings value) {
        return new MaintenanceConfig(dittoEndpoint, dittoUser, dittoPassword, namespaces, mongoUri, mongoDatabase,
                mesApi, maintenanceDuration, requestRetry, saveInterval, clock, value, tokens, trust);
    }

    public MaintenanceConfig withMongoDatabase(final String value) {
        return new MaintenanceConfig(dittoEndpoint, dittoUser, dittoPassword, namespaces, mongoUri, value, mesApi,
                maintenanceDuration, requestRetry, saveInterval, clock, settings, tokens, trust);
    }

    public MaintenanceConfig withMaintenanceDuration(final Duration value) {
        return new MaintenanceConfig(dittoEndpoint, dittoUser, dittoPassword, namespaces, mongoUri, mongoDatabase,
                mesApi, value, requestRetry, saveInterval, clock, settings, tokens, trust);
    }

    public MaintenanceConfig withIntervals(final Duration retry, final Duration save) {
        return new MaintenanceConfig(dittoEndpoint, dittoUser, dittoPassword, namespaces, mongoUri, mongoDatabase,
                mesApi, maintenanceDuration, retry, save, clock, settings, tokens, trust);
    }

    /** Calls the twins and the MES API with access tokens from {@code value} ({@code Bearer}). */
    public MaintenanceConfig withTokens(final TokenClient value) {
        return new MaintenanceConfig(dittoEndpoint, dittoUser, dittoPassword, namespaces, mongoUri, mongoDatabase,
                mesApi, maintenanceDuration, requestRetry, saveInterval, clock, settings, value, trust);
    }

    /** Verifies {@code wss://} and {@code https://} peers against these CAs only. */
    public MaintenanceConfig withTrust(final ClientTrust value) {
        return new MaintenanceConfig(dittoEndpoint, dittoUser, dittoPassword, namespaces, mongoUri, mongoDatabase,
                mesApi, maintenanceDuration, requestRetry, saveInterval, clock, settings, tokens, value);
    }

    /**
     * Overrides from the environment: {@code PLANTMESH_MAINTENANCE_HORIZON} (ISO-8601 duration, e.g. PT8H),
     * {@code PLANTMESH_MAINTENANCE_WINDOW} (the length of requested windows), {@code PLANTMESH_MAINTENANCE_MES_API}
     * (URL, or {@code none}), {@code PLANTMESH_MAINTENANCE_DATABASE}.
     *
     * @throws IllegalArgumentException naming the variable and the expected form
     */
    public MaintenanceConfig withEnvironment(final Map<String, String> env) {
        MaintenanceConfig config = this;
        final String horizon = env.get("PLANTMESH_MAINTENANCE_HORIZON");
        if (horizon != null && !horizon.isBlank()) {
            config = config.withSettings(settings.withHorizon(duration("PLANTMESH_MAINTENANCE_HORIZON", horizon)));
        }
        final String window = env.get("PLANTMESH_MAINTENANCE_WINDOW");
        if (window != null && !window.isBlank()) {
            config = config.withMaintenanceDuration(duration("PLANTMESH_MAINTENANCE_WINDOW", window));
        }
        final String mes = env.get("PLANTMESH_MAINTENANCE_MES_API");
        if (mes != null && !mes.isBlank()) {
            final URI uri = "none".equalsIgnoreCase(mes.strip()) ? null : URI.create(mes.strip());
            config = new MaintenanceConfig(dittoEndpoint, dittoUser, dittoPassword, namespaces, mongoUri,
                    mongoDatabase, uri, config.maintenanceDuration, requestRetry, saveInterval, clock,
                    config.settings, tokens, trust);
        }
        final String database = env.get("PLANTMESH_MAINTENANCE_DATABASE");
        if (database != null && !database.isBlank()) {
            config = config.withMongoDatabase(database.strip());
        }
        return config;
    }

    private static Duration duration(final String variable, final String text) {
        try {
            final Duration d = Duration.parse(text.strip());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(variable + " must be positive, was " + text);
            }
            return d;
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(variable + " must be an ISO-8601 duration such as PT8H, was '" + text
                    + "'", e);
        }
    }
}
