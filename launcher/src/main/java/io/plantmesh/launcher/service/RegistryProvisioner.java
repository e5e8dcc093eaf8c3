package io.plantmesh.launcher.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.plantmesh.launcher.shopfloor.ShopFloorPlan;
import io.plantmesh.tls.ClientTrust;

/**
 * Registers a plant's shop floor in a Hono device registry through its management HTTP API ({@code /v1}), the
 * way {@code ./plantmesh up} registers it in the embedded registry: the tenant, one gateway per line with OPC-UA
 * machines, every machine with {@code via} its gateway, one {@code hashed-password} credential per device (auth-id =
 * device id with {@code :} as {@code _}). Idempotent: what exists is compared and only changed when different; a
 * device's password is set only when it has no password credential yet (or when asked to reset).
 */
final class RegistryProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a run did. */
    record Report(String tenant, int devices, int created, int updated, int unchanged, int passwordsSet) {

        String summary() {
            return "tenant " + tenant + ": " + devices + " devices (" + created + " created, " + updated
                    + " updated, " + unchanged + " unchanged), " + passwordsSet + " passwords set";
        }
    }

    private final URI base;
    private final HttpClient http;

    /**
     * @param base the registry's management API, e.g. {@code http://hono-registry:28080/v1}
     * @param trust the CAs an {@code https} registry is verified with; null: the JVM's default trust store
     */
    RegistryProvisioner(final URI base, final ClientTrust trust) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (trust != null) {
            builder.sslContext(trust.sslContext());
        }
        this.http = builder.build();
    }

    /** The tenant only (a tenant without the demo plant's devices). */
    void ensureTenant(final String tenant) {
        final HttpResponse<String> existing = send("GET", "tenants/" + tenant, null);
        if (existing.statusCode() == 404) {
            expect(send("POST", "tenants/" + tenant, new JsonObject().put("enabled", true)), 201, "create tenant "
                    + tenant);
        } else {
            expect(existing, 200, "read tenant " + tenant);
        }
    }

    Report provision(final ShopFloorPlan plan, final String password, final boolean resetPasswords) {
        ensureTenant(plan.tenant());
        final List<String[]> devices = new ArrayList<>();
        final List<JsonObject> configs = new ArrayList<>();
        plan.opcUaMachinesByLine().keySet().forEach(line -> {
            devices.add(new String[] {plan.gatewayId(line)});
            configs.add(new JsonObject().put("enabled", true).put("ext", new JsonObject()
                    .put("plantmesh-role", "edge-gateway").put("line", String.valueOf(line))));
        });
        for (final ShopFloorPlan.FloorMachine m : plan.machines()) {
            devices.add(new String[] {m.thingId()});
            final JsonObject config = new JsonObject().put("enabled", true).put("ext", new JsonObject()
                    .put("plantmesh-role", "machine").put("protocol", m.protocol().name()));
            if (m.opcUa()) {
                config.put("via", new JsonArray().add(plan.gatewayId(m.line())));
            }
            configs.add(config);
        }
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int passwords = 0;
        for (int i = 0; i < devices.size(); i++) {
            final String id = devices.get(i)[0];
            final JsonObject wanted = configs.get(i);
            final String path = "devices/" + plan.tenant() + "/" + id;
            final HttpResponse<String> existing = send("GET", path, null);
            if (existing.statusCode() == 404) {
                expect(send("POST", path, wanted), 201, "register device " + id);
                created++;
            } else {
                expect(existing, 200, "read device " + id);
                if (same(new JsonObject(existing.body()), wanted)) {
                    unchanged++;
                } else {
                    expect(send("PUT", path, wanted), 204, "update device " + id);
                    updated++;
                }
            }
            final String credentialsPath = "credentials/" + plan.tenant() + "/" + id;
            final HttpResponse<String> credentials = send("GET", credentialsPath, null);
            final boolean hasPassword = credentials.statusCode() == 200 && new JsonArray(credentials.body()).stream()
                    .anyMatch(c -> c instanceof JsonObject o && "hashed-password".equals(o.getString("type")));
            if (!hasPassword || resetPasswords) {
                final JsonArray body = new JsonArray().add(new JsonObject().put("type", "hashed-password")
                        .put("auth-id", ShopFloorPlan.authId(id)).put("enabled", true)
                        .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", password))));
                expect(send("PUT", credentialsPath, body), 204, "set the password of device " + id);
                passwords++;
            }
        }
        final Report report = new Report(plan.tenant(), devices.size(), created, updated, unchanged, passwords);
        LOG.info("device registry {}: {}", base, report.summary());
        return report;
    }

    private static boolean same(final JsonObject stored, final JsonObject wanted) {
        for (final String field : wanted.fieldNames()) {
            if (!wanted.getValue(field).equals(stored.getValue(field))) {
                return false;
            }
        }
        return !stored.containsKey("via") || wanted.containsKey("via");
    }

    private HttpResponse<String> send(final String method, final String path, final Object body) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ServiceException("The device registry at " + base + " did not answer " + method + " " + path
                    + " (" + e + "). Check registry.url (PLANTMESH_REGISTRY_URL) and that Hono's registry is up.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("interrupted while talking to the device registry at " + base, e);
        }
    }

    private void expect(final HttpResponse<String> response, final int status, final String what) {
        if (response.statusCode() != status && !(status == 204 && response.statusCode() == 200)
                && !(status == 201 && response.statusCode() == 200)) {
            throw new ServiceException("Could not " + what + " in the device registry at " + base + ": "
                    + response.request().method() + " " + response.uri() + " answered " + response.statusCode() + " "
                    + response.body() + ". Check that the registry is Hono's management API v1 and that PlantMesh may"
                    + " write to it.");
        }
    }
}
