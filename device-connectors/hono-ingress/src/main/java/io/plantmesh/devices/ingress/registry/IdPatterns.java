package io.plantmesh.devices.ingress.registry;

import java.util.regex.Pattern;

/**
 * Hono's default identifier patterns (RegistryManagementConstants): tenant ids without ':', device ids with ':' and '='
 * (so Ditto thing ids {@code namespace:name} are valid device ids), auth-ids without ':' and '@'.
 */
public final class IdPatterns {

    public static final Pattern TENANT_ID = Pattern.compile("^[a-zA-Z0-9-_\\.]+$");
    public static final Pattern DEVICE_ID = Pattern.compile("^[a-zA-Z0-9-_\\.:=]+$");
    public static final Pattern AUTH_ID = Pattern.compile("^[a-zA-Z0-9-_=\\.]+$");

    private IdPatterns() {
    }

    public static String requireTenantId(String tenantId) {
        return require(TENANT_ID, tenantId, "tenant ID");
    }

    public static String requireDeviceId(String deviceId) {
        return require(DEVICE_ID, deviceId, "device ID");
    }

    public static String requireAuthId(String authId) {
        return require(AUTH_ID, authId, "auth-id");
    }

    private static String require(Pattern pattern, String value, String what) {
        boolean valid = value != null && pattern.matcher(value).matches();
        if (!valid) {
            throw RegistryException.badRequest(what + " [" + value + "] does not match pattern " + pattern.pattern());
        }
        return value;
    }
}
