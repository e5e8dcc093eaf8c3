package io.plantmesh.launcher;

import java.util.List;
import java.util.Objects;

import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.TlsConfigurationException;
import io.plantmesh.tls.TlsSettings;

/**
 * TLS of the embedded footprint: which listener serves TLS with which files, and the CAs PlantMesh's own clients in
 * this process (demo provisioning, devices, gateways, twin ingestion, the bridges) verify the listeners with.
 *
 * @param settings the listeners' certificates and keys (common default and per-listener overrides)
 * @param clientTrust the CAs PlantMesh's own clients trust; null for the JVM's default trust store
 */
public record LaunchTls(TlsSettings settings, ClientTrust clientTrust) {

    /** Plain text everywhere. */
    public static final LaunchTls OFF = new LaunchTls(TlsSettings.none(), null);

    /**
     * The web UI's listener ({@code PLANTMESH_UI_TLS_CERT}, {@code _KEY}, {@code PLANTMESH_UI_TLS=off}; else the
     * common certificate).
     */
    public static final String UI = "UI";

    /** The listeners of the embedded footprint, by their {@link TlsSettings} names. */
    static final List<String> LISTENERS = List.of(TlsSettings.TWIN, TlsSettings.MQTT, TlsSettings.REGISTRY,
            TlsSettings.MES, TlsSettings.ERP, UI);

    public LaunchTls {
        Objects.requireNonNull(settings, "settings");
    }

    /** The TLS of a listener, or null if it serves plain text. */
    public ListenerTls listener(String name) {
        return settings.listener(name).orElse(null);
    }

    /** Whether any listener serves TLS. */
    public boolean any() {
        return LISTENERS.stream().anyMatch(name -> settings.listener(name).isPresent());
    }

    /**
     * Reads every listener's files once before anything starts, so that a missing or mismatched file stops the
     * start at once with a message naming it.
     *
     * @throws LaunchException naming the file and what to do
     */
    void check() {
        try {
            for (String name : LISTENERS) {
                ListenerTls tls = listener(name);
                if (tls != null) {
                    tls.load(describe(name));
                }
            }
        } catch (TlsConfigurationException e) {
            throw new LaunchException(e.getMessage() + " (TLS settings: --tls, --tls-cert, --tls-key, or the"
                    + " PLANTMESH_*TLS* variables in docs/configuration.md)", e);
        }
    }

    static String describe(String name) {
        return switch (name) {
            case TlsSettings.TWIN -> "the twin API";
            case TlsSettings.MQTT -> "the MQTT adapter";
            case TlsSettings.REGISTRY -> "the device registry API";
            case TlsSettings.MES -> "the MES API";
            case TlsSettings.ERP -> "the embedded ERP";
            case UI -> "the web UI";
            default -> "the " + name + " listener";
        };
    }
}
