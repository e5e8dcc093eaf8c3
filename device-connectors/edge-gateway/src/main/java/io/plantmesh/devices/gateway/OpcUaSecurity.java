package io.plantmesh.devices.gateway;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the gateway secures its OPC-UA sessions.
 *
 * @param mode {@code NONE} (default) or {@code BASIC256SHA256_SIGN_AND_ENCRYPT}
 * @param certificateDirectory for secure mode: holds {@code gateway-client.p12} (the client key and certificate,
 *                             PKCS#12, alias {@code gateway-client}) and {@code trusted/} (server certificates, DER or
 *                             PEM, that the gateway trusts); null for {@code NONE}
 * @param keyStorePassword password of {@code gateway-client.p12}
 * @param username null for the anonymous identity
 * @param password the user's password, null for anonymous
 */
public record OpcUaSecurity(Mode mode, Path certificateDirectory, String keyStorePassword, String username,
        String password) {

    public enum Mode {
        NONE,
        BASIC256SHA256_SIGN_AND_ENCRYPT
    }

    public static final OpcUaSecurity NONE_ANONYMOUS = new OpcUaSecurity(Mode.NONE, null, null, null, null);

    public OpcUaSecurity {
        Objects.requireNonNull(mode, "mode");
        if (mode != Mode.NONE && certificateDirectory == null) {
            throw new IllegalArgumentException("OPC-UA security " + mode + " needs a certificate directory with "
                    + "gateway-client.p12 and trusted/");
        }
        if (username != null && password == null) {
            throw new IllegalArgumentException("OPC-UA user '" + username + "' needs a password");
        }
    }

    public static OpcUaSecurity signAndEncrypt(final Path certificateDirectory, final String keyStorePassword) {
        return new OpcUaSecurity(Mode.BASIC256SHA256_SIGN_AND_ENCRYPT, certificateDirectory, keyStorePassword, null,
                null);
    }

    public OpcUaSecurity withUser(final String user, final String secret) {
        return new OpcUaSecurity(mode, certificateDirectory, keyStorePassword, user, secret);
    }
}
