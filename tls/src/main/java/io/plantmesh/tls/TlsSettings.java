package io.plantmesh.tls;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.http.ClientAuth;

/**
 * Which listener serves TLS with which files: a common default and per-listener overrides, from environment
 * variables (or any map of the same keys):
 *
 * <ul>
 * <li>{@code PLANTMESH_TLS_CERT}, {@code PLANTMESH_TLS_KEY}: certificate chain and key of every listener;</li>
 * <li>{@code PLANTMESH_TLS_CLIENT_CA}, {@code PLANTMESH_TLS_CLIENT_AUTH} ({@code none}, {@code request},
 * {@code required}; default {@code required} when a client CA is given): mutual TLS;</li>
 * <li>{@code PLANTMESH_<LISTENER>_TLS_CERT}, {@code _TLS_KEY}, {@code _TLS_CLIENT_CA}, {@code _TLS_CLIENT_AUTH}:
 * the same for one listener, each overriding the common value; {@code PLANTMESH_<LISTENER>_TLS=off} keeps that
 * listener plain;</li>
 * <li>{@code PLANTMESH_TLS_CA}: the CA file PlantMesh's own clients verify servers with.</li>
 * </ul>
 *
 * Listener names: {@code TWIN} (twin API and WebSocket), {@code MQTT} (Hono MQTT adapter), {@code REGISTRY} (Hono
 * device registry API), {@code MES} (MES API), {@code ERP} (embedded ERP).
 */
public final class TlsSettings {

    /** Names of PlantMesh's listeners, as used in the keys. */
    public static final String TWIN = "TWIN";
    public static final String MQTT = "MQTT";
    public static final String REGISTRY = "REGISTRY";
    public static final String MES = "MES";
    public static final String ERP = "ERP";

    private final Map<String, String> values;

    private TlsSettings(final Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings from these keys (typically {@code System.getenv()}); keys not listed above are ignored. */
    public static TlsSettings from(final Map<String, String> keys) {
        final Map<String, String> relevant = new java.util.HashMap<>();
        keys.forEach((k, v) -> {
            final boolean ours = k.startsWith("PLANTMESH_") && k.contains("TLS") && v != null && !v.isBlank();
            if (ours) {
                relevant.put(k, v.trim());
            }
        });
        return new TlsSettings(relevant);
    }

    /** No TLS anywhere. */
    public static TlsSettings none() {
        return new TlsSettings(Map.of());
    }

    /** These settings with a common certificate and key (null leaves the current common value). */
    public TlsSettings withCommon(final Path certificateChain, final Path privateKey, final Path clientCa) {
        final Map<String, String> next = new java.util.HashMap<>(values);
        if (certificateChain != null) {
            next.put("PLANTMESH_TLS_CERT", certificateChain.toString());
        }
        if (privateKey != null) {
            next.put("PLANTMESH_TLS_KEY", privateKey.toString());
        }
        if (clientCa != null) {
            next.put("PLANTMESH_TLS_CLIENT_CA", clientCa.toString());
        }
        return new TlsSettings(next);
    }

    /** These settings with the CA file for PlantMesh's own clients (null leaves the current value). */
    public TlsSettings withClientCa(final Path caFile) {
        final Map<String, String> next = new java.util.HashMap<>(values);
        if (caFile != null) {
            next.put("PLANTMESH_TLS_CA", caFile.toString());
        }
        return new TlsSettings(next);
    }

    /**
     * The TLS of one listener, or empty if it serves plain text.
     *
     * @throws TlsConfigurationException if only one of certificate and key is set, naming both keys
     */
    public Optional<ListenerTls> listener(final String name) {
        final String prefix = "PLANTMESH_" + name.toUpperCase(Locale.ROOT) + "_TLS";
        final String switchValue = values.get(prefix);
        final boolean off = switchValue != null && ("off".equalsIgnoreCase(switchValue)
                || "false".equalsIgnoreCase(switchValue) || "none".equalsIgnoreCase(switchValue));
        if (off) {
            return Optional.empty();
        }
        final String cert = pick(prefix + "_CERT", "PLANTMESH_TLS_CERT");
        final String key = pick(prefix + "_KEY", "PLANTMESH_TLS_KEY");
        if (cert == null && key == null) {
            return Optional.empty();
        }
        if (cert == null || key == null) {
            throw new TlsConfigurationException("TLS of the " + name + " listener needs both a certificate and a key:"
                    + " " + (cert == null ? "the certificate (" + prefix + "_CERT or PLANTMESH_TLS_CERT, --tls-cert)"
                            : "the key (" + prefix + "_KEY or PLANTMESH_TLS_KEY, --tls-key)")
                    + " is missing.");
        }
        final String clientCa = pick(prefix + "_CLIENT_CA", "PLANTMESH_TLS_CLIENT_CA");
        final String mode = pick(prefix + "_CLIENT_AUTH", "PLANTMESH_TLS_CLIENT_AUTH");
        ListenerTls tls = ListenerTls.of(Path.of(cert), Path.of(key));
        if (clientCa != null) {
            tls = tls.withClientCa(Path.of(clientCa));
        }
        if (mode != null) {
            tls = tls.withClientAuth(clientAuth(mode, prefix));
        }
        return Optional.of(tls);
    }

    /** The CA file PlantMesh's own clients verify servers with, if set ({@code PLANTMESH_TLS_CA}). */
    public Optional<Path> clientCaFile() {
        return Optional.ofNullable(values.get("PLANTMESH_TLS_CA")).map(Path::of);
    }

    /** Whether any listener has TLS settings. */
    public boolean anyListener() {
        return values.keySet().stream().anyMatch(k -> k.endsWith("_TLS_CERT") || k.equals("PLANTMESH_TLS_CERT"));
    }

    private String pick(final String specific, final String common) {
        final String value = values.get(specific);
        return value != null ? value : values.get(common);
    }

    private static ClientAuth clientAuth(final String value, final String prefix) {
        try {
            return ClientAuth.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new TlsConfigurationException(prefix + "_CLIENT_AUTH (or PLANTMESH_TLS_CLIENT_AUTH) is '" + value
                    + "'; use none, request or required.", e);
        }
    }
}
