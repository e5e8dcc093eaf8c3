package io.plantmesh.security.oidc;

import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header (RFC 6750; the scheme is case-insensitive). */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /** Whether the header value uses the Bearer scheme (also a bare {@code Bearer} without a token). */
    public static boolean isBearer(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.strip();
        return value.equalsIgnoreCase(SCHEME.strip()) || value.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** The token of a Bearer header; empty for no header or another scheme. The token may be blank. */
    public static Optional<String> of(String authorization) {
        if (!isBearer(authorization)) {
            return Optional.empty();
        }
        String value = authorization.strip();
        return Optional.of(value.length() <= SCHEME.length() ? "" : value.substring(SCHEME.length()).strip());
    }
}
