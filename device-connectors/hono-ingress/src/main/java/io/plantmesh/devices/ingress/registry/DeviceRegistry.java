package io.plantmesh.devices.ingress.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The device registry: tenants, devices and credentials in Hono's shapes, stored in MongoDB, with lookups cached in
 * memory (invalidated on every change made through this instance).
 *
 * <p>Every method may block on MongoDB or on BCrypt: call it from a worker thread or outside any event loop (the
 * management API and the MQTT adapter go through {@link RegistryLookups} and {@code executeBlocking}).
 */
public final class DeviceRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);
    private static final int MAX_CACHED = 100_000;
    private static final Set<String> CONFIDENTIAL_SECRET_FIELDS = Set.of("pwd-hash", "salt", "hash-function", "key",
            "pwd-plain");

    private final RegistryStore store;
    private final PasswordHashing hashing;
    // bumped on every write, so that a read racing with a write does not cache what it read before the write
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Optional<Tenant>> tenants = new ConcurrentHashMap<>();
    private final Map<String, Optional<Device>> devices = new ConcurrentHashMap<>();
    private final Map<String, Optional<Credential>> credentials = new ConcurrentHashMap<>();

    private DeviceRegistry(RegistryStore store, PasswordHashing hashing) {
        this.store = store;
        this.hashing = hashing;
    }

    /** A registry on the given store; closing the registry closes the store. */
    public static DeviceRegistry create(RegistryStore store, PasswordHashing hashing) {
        return new DeviceRegistry(store, hashing);
    }

    // ---------------------------------------------------------------- tenants

    public Created createTenant(String tenantId, JsonObject config) {
        IdPatterns.requireTenantId(tenantId);
        JsonObject tenant = RegistryBodies.tenant(config);
        String now = Instant.now().toString();
        String version = newVersion();
        JsonObject doc = new JsonObject().put("tenant-id", tenantId).put("tenant", tenant).put("version", version)
                .put("created", now).put("updatedOn", now);
        boolean inserted = store.tenants().insert(tenantId, doc);
        written();
        if (!inserted) {
            throw RegistryException.conflict("tenant with given identifier already exists");
        }
        LOG.info("Registry: tenant {} created", tenantId);
        return new Created(tenantId, version);
    }

    public Created createTenant(JsonObject config) {
        return createTenant(UUID.randomUUID().toString(), config);
    }

    public Optional<Tenant> tenant(String tenantId) {
        Optional<Tenant> cached = cachedTenant(tenantId);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        Optional<Tenant> found = store.tenants().find(tenantId)
                .map(doc -> new Tenant(tenantId, doc.getJsonObject("tenant"), doc.getString("version")));
        cache(tenants, tenantId, found, before);
        return found;
    }

    public String updateTenant(String tenantId, JsonObject config, String ifMatch) {
        JsonObject existing = store.tenants().find(tenantId)
                .orElseThrow(() -> RegistryException.notFound("no such tenant"));
        checkVersion(existing, ifMatch);
        String version = newVersion();
        JsonObject doc = existing.copy().put("tenant", RegistryBodies.tenant(config)).put("version", version)
                .put("updatedOn", Instant.now().toString());
        doc.remove("_id");
        boolean replaced = store.tenants().replace(tenantId, existing.getString("version"), doc);
        written();
        if (!replaced) {
            throw RegistryException.versionMismatch("tenant was changed concurrently; read it again and retry");
        }
        return version;
    }

    /** Deletes the tenant with all its devices and credentials. */
    public void deleteTenant(String tenantId, String ifMatch) {
        JsonObject existing = store.tenants().find(tenantId)
                .orElseThrow(() -> RegistryException.notFound("no such tenant"));
        checkVersion(existing, ifMatch);
        store.tenants().delete(tenantId);
        long devicesDeleted = store.devices().deleteWhere("tenant-id", tenantId);
        store.credentials().deleteWhere("tenant-id", tenantId);
        written();
        LOG.info("Registry: tenant {} deleted with its {} devices", tenantId, devicesDeleted);
    }

    // ---------------------------------------------------------------- devices

    public Created createDevice(String tenantId, String deviceId, JsonObject config) {
        IdPatterns.requireTenantId(tenantId);
        IdPatterns.requireDeviceId(deviceId);
        JsonObject device = RegistryBodies.device(config);
        if (tenant(tenantId).isEmpty()) {
            throw RegistryException.notFound("tenant [" + tenantId + "] does not exist; create it first");
        }
        String now = Instant.now().toString();
        String version = newVersion();
        JsonObject doc = new JsonObject().put("tenant-id", tenantId).put("device-id", deviceId).put("device", device)
                .put("version", version).put("created", now).put("updatedOn", now)
                .put("credentials", new JsonObject().put("version", newVersion()).put("keys", new JsonArray()));
        boolean inserted = store.devices().insert(deviceKey(tenantId, deviceId), doc);
        written();
        if (!inserted) {
            throw RegistryException.conflict("device with given identifier already exists");
        }
        LOG.debug("Registry: device {} of tenant {} created", deviceId, tenantId);
        return new Created(deviceId, version);
    }

    public Created createDevice(String tenantId, JsonObject config) {
        return createDevice(tenantId, UUID.randomUUID().toString(), config);
    }

    public Optional<Device> device(String tenantId, String deviceId) {
        String key = deviceKey(tenantId, deviceId);
        Optional<Device> cached = devices.get(key);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        Optional<Device> found = store.devices().find(key).map(doc -> toDevice(tenantId, deviceId, doc));
        cache(devices, key, found, before);
        return found;
    }

    public String updateDevice(String tenantId, String deviceId, JsonObject config, String ifMatch) {
        String key = deviceKey(tenantId, deviceId);
        JsonObject existing = store.devices().find(key)
                .orElseThrow(() -> RegistryException.notFound("no such device"));
        checkVersion(existing, ifMatch);
        String version = newVersion();
        JsonObject doc = existing.copy().put("device", RegistryBodies.device(config)).put("version", version)
                .put("updatedOn", Instant.now().toString());
        doc.remove("_id");
        boolean replaced = store.devices().replace(key, existing.getString("version"), doc);
        written();
        if (!replaced) {
            throw RegistryException.versionMismatch("device was changed concurrently; read it again and retry");
        }
        return version;
    }

    /** Deletes the device and its credentials. */
    public void deleteDevice(String tenantId, String deviceId, String ifMatch) {
        String key = deviceKey(tenantId, deviceId);
        JsonObject existing = store.devices().find(key)
                .orElseThrow(() -> RegistryException.notFound("no such device"));
        checkVersion(existing, ifMatch);
        store.devices().delete(key);
        for (String credentialKey : credentialKeys(existing)) {
            store.credentials().delete(tenantId + "/" + credentialKey);
        }
        written();
        LOG.debug("Registry: device {} of tenant {} deleted", deviceId, tenantId);
    }

    // ---------------------------------------------------------------- credentials

    /** The device's credentials without confidential fields, as the management API returns them. */
    public CredentialsSet credentials(String tenantId, String deviceId) {
        JsonObject deviceDoc = store.devices().find(deviceKey(tenantId, deviceId))
                .orElseThrow(() -> RegistryException.notFound("no such device"));
        JsonArray result = new JsonArray();
        for (String credentialKey : credentialKeys(deviceDoc)) {
            store.credentials().find(tenantId + "/" + credentialKey)
                    .ifPresent(doc -> result.add(withoutConfidentialFields(doc.getJsonObject("credential"))));
        }
        return new CredentialsSet(result, credentialsVersion(deviceDoc));
    }

    /**
     * Replaces the device's credentials (Hono's patch mode: a secret with an {@code id} keeps the confidential fields
     * of the stored secret with that id unless it brings new ones; a secret without one gets a new id). Plain
     * passwords are hashed with BCrypt here and never stored.
     */
    public String setCredentials(String tenantId, String deviceId, JsonArray requested, String ifMatch) {
        String deviceKey = deviceKey(tenantId, deviceId);
        JsonObject deviceDoc = store.devices().find(deviceKey)
                .orElseThrow(() -> RegistryException.notFound("no such device"));
        if (ifMatch != null && !ifMatch.equals(credentialsVersion(deviceDoc))) {
            throw RegistryException.versionMismatch("credentials version does not match If-Match");
        }
        List<String> oldKeys = credentialKeys(deviceDoc);
        Map<String, JsonObject> next = new LinkedHashMap<>();
        for (Object entry : requested) {
            if (!(entry instanceof JsonObject credential)) {
                throw RegistryException.badRequest("credentials must be an array of objects");
            }
            String type = credential.getString("type");
            String authId = credential.getString("auth-id");
            if (type == null || type.isBlank() || authId == null) {
                throw RegistryException.badRequest("each credential needs a type and an auth-id");
            }
            if (Credential.HASHED_PASSWORD.equals(type)) {
                IdPatterns.requireAuthId(authId);
            }
            String key = type + "/" + authId;
            if (next.containsKey(key)) {
                throw RegistryException.badRequest("credentials contain [" + key + "] twice");
            }
            JsonObject stored = store.credentials().find(tenantId + "/" + key).orElse(null);
            if (stored != null && !deviceId.equals(stored.getString("device-id"))) {
                throw RegistryException.conflict("credentials of type " + type + " with auth-id [" + authId
                        + "] already belong to another device");
            }
            JsonObject previous = stored == null ? null : stored.getJsonObject("credential");
            next.put(key, credentialToStore(credential, previous));
        }
        for (var credential : next.entrySet()) {
            store.credentials().put(tenantId + "/" + credential.getKey(), new JsonObject().put("tenant-id", tenantId)
                    .put("device-id", deviceId).put("credential", credential.getValue()));
        }
        String version = newVersion();
        JsonObject doc = deviceDoc.copy().put("credentials",
                new JsonObject().put("version", version).put("keys", new JsonArray(new ArrayList<>(next.keySet()))));
        doc.remove("_id");
        // the device document lists the valid credentials: it is the commit point of this change
        boolean replaced = store.devices().replace(deviceKey, deviceDoc.getString("version"), doc);
        if (replaced) {
            Set<String> removed = new HashSet<>(oldKeys);
            removed.removeAll(next.keySet());
            removed.forEach(k -> store.credentials().delete(tenantId + "/" + k));
        }
        written();
        if (!replaced) {
            throw RegistryException.versionMismatch("device was changed concurrently; read it again and retry");
        }
        return version;
    }

    /**
     * Finds the device whose {@code hashed-password} credential with this auth-id accepts the password. Empty if there
     * is no such credential, it or all its secrets are disabled or expired, or the password does not match.
     */
    public Optional<Credential> verifyPassword(String tenantId, String authId, String password) {
        Optional<Credential> credential = credential(tenantId, Credential.HASHED_PASSWORD, authId);
        if (credential.isEmpty() || !credential.get().enabled()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        for (Object secret : credential.get().secrets()) {
            if (secret instanceof JsonObject s && hashing.matches(s, password, now)) {
                return credential;
            }
        }
        return Optional.empty();
    }

    /** The stored credential (with hashed secrets) of this type and auth-id, if a registered device owns it. */
    public Optional<Credential> credential(String tenantId, String type, String authId) {
        String key = tenantId + "/" + type + "/" + authId;
        Optional<Credential> cached = credentials.get(key);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        Optional<Credential> found = store.credentials().find(key)
                .map(doc -> new Credential(tenantId, doc.getString("device-id"), doc.getJsonObject("credential")))
                // a credential counts only while its device lists it (see setCredentials)
                .filter(c -> store.devices().find(deviceKey(tenantId, c.deviceId()))
                        .map(d -> credentialKeys(d).contains(type + "/" + authId)).orElse(false));
        cache(credentials, key, found, before);
        return found;
    }

    // ---------------------------------------------------------------- provisioning

    /** Creates the tenant unless it exists; returns it. */
    public Tenant ensureTenant(String tenantId, JsonObject config) {
        if (tenant(tenantId).isEmpty()) {
            try {
                createTenant(tenantId, config);
            } catch (RegistryException e) {
                if (e.status() != 409) {
                    throw e;
                }
            }
        }
        return tenant(tenantId).orElseThrow();
    }

    /** Creates the device, or replaces its registration if it exists; returns it. */
    public Device putDevice(String tenantId, String deviceId, JsonObject config) {
        if (device(tenantId, deviceId).isPresent()) {
            updateDevice(tenantId, deviceId, config, null);
        } else {
            createDevice(tenantId, deviceId, config);
        }
        return device(tenantId, deviceId).orElseThrow();
    }

    /**
     * Gives the device exactly one {@code hashed-password} credential with this auth-id and password, unless it has it
     * already (so that provisioning on every start does not rewrite hashes).
     */
    public void setPassword(String tenantId, String deviceId, String authId, String password) {
        Optional<Credential> current = verifyPassword(tenantId, authId, password);
        boolean upToDate = current.isPresent() && deviceId.equals(current.get().deviceId())
                && credentials(tenantId, deviceId).credentials().size() == 1;
        if (!upToDate) {
            setCredentials(tenantId, deviceId, passwordCredentials(authId, password), null);
        }
    }

    /** The credentials array for one {@code hashed-password} credential with a plain password (hashed on write). */
    public static JsonArray passwordCredentials(String authId, String password) {
        return new JsonArray().add(new JsonObject().put("type", Credential.HASHED_PASSWORD).put("auth-id", authId)
                .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", password))));
    }

    @Override
    public void close() {
        store.close();
    }

    // ---------------------------------------------------------------- internals

    Optional<Tenant> cachedTenant(String tenantId) {
        return tenants.get(tenantId);
    }

    Optional<Device> cachedDevice(String tenantId, String deviceId) {
        return devices.get(deviceKey(tenantId, deviceId));
    }

    private JsonObject credentialToStore(JsonObject requested, JsonObject previous) {
        JsonObject credential = requested.copy();
        JsonArray secrets = credential.getJsonArray("secrets", new JsonArray());
        boolean isPassword = Credential.HASHED_PASSWORD.equals(credential.getString("type"));
        if (isPassword && secrets.isEmpty()) {
            throw RegistryException.badRequest("a hashed-password credential needs at least one secret");
        }
        Map<String, JsonObject> previousSecrets = new HashMap<>();
        if (previous != null) {
            for (Object s : previous.getJsonArray("secrets", new JsonArray())) {
                if (s instanceof JsonObject secret && secret.getString("id") != null) {
                    previousSecrets.put(secret.getString("id"), secret);
                }
            }
        }
        JsonArray stored = new JsonArray();
        for (Object s : secrets) {
            if (!(s instanceof JsonObject secret)) {
                throw RegistryException.badRequest("secrets must be objects");
            }
            String id = secret.getString("id");
            JsonObject merged;
            if (id == null) {
                merged = secret.copy().put("id", UUID.randomUUID().toString());
            } else {
                JsonObject old = previousSecrets.get(id);
                if (old == null) {
                    throw RegistryException.badRequest("no secret with id [" + id + "] to update");
                }
                boolean bringsNewPassword = secret.containsKey("pwd-plain") || secret.containsKey("pwd-hash");
                merged = old.copy();
                if (bringsNewPassword) {
                    CONFIDENTIAL_SECRET_FIELDS.forEach(merged::remove);
                }
                merged.mergeIn(secret);
            }
            stored.add(isPassword ? hashing.secretToStore(merged) : merged);
        }
        credential.put("secrets", stored);
        return credential;
    }

    private static JsonObject withoutConfidentialFields(JsonObject credential) {
        JsonObject result = credential.copy();
        JsonArray secrets = new JsonArray();
        for (Object s : result.getJsonArray("secrets", new JsonArray())) {
            JsonObject secret = ((JsonObject) s).copy();
            CONFIDENTIAL_SECRET_FIELDS.forEach(secret::remove);
            secrets.add(secret);
        }
        return result.put("secrets", secrets);
    }

    private static Device toDevice(String tenantId, String deviceId, JsonObject doc) {
        JsonObject config = doc.getJsonObject("device", new JsonObject()).copy();
        config.put("status", new JsonObject().put("created", doc.getString("created"))
                .put("updated", doc.getString("updatedOn")));
        return new Device(tenantId, deviceId, config, doc.getString("version"));
    }

    private static List<String> credentialKeys(JsonObject deviceDoc) {
        JsonObject creds = deviceDoc.getJsonObject("credentials", new JsonObject());
        List<String> keys = new ArrayList<>();
        creds.getJsonArray("keys", new JsonArray()).forEach(k -> keys.add(String.valueOf(k)));
        return keys;
    }

    private static String credentialsVersion(JsonObject deviceDoc) {
        return deviceDoc.getJsonObject("credentials", new JsonObject()).getString("version",
                deviceDoc.getString("version"));
    }

    private static void checkVersion(JsonObject existing, String ifMatch) {
        if (ifMatch != null && !ifMatch.equals(existing.getString("version"))) {
            throw RegistryException.versionMismatch("resource version does not match If-Match");
        }
    }

    private <T> void cache(Map<String, Optional<T>> map, String key, Optional<T> value, long generationBefore) {
        if (map.size() > MAX_CACHED) {
            map.clear();
        }
        map.put(key, value);
        if (generation.get() != generationBefore) {
            map.remove(key); // a write happened meanwhile: what we read may be stale
        }
    }

    private void written() {
        generation.incrementAndGet();
        tenants.clear();
        devices.clear();
        credentials.clear();
    }

    static String deviceKey(String tenantId, String deviceId) {
        return tenantId + "/" + deviceId;
    }

    private static String newVersion() {
        return UUID.randomUUID().toString();
    }
}
