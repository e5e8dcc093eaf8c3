package io.plantmesh.erp.embedded.odata;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SAP Gateway's CSRF protection: a {@code GET} (or {@code HEAD}) with {@code x-csrf-token: Fetch} returns a token in
 * the {@code x-csrf-token} response header, and every modifying request must carry it back in the same header, or is
 * refused with 403 and {@code x-csrf-token: Required}.
 * <p>
 * SAP binds the token to the user's session (cookie); PlantMesh binds it to the user: one token per user, valid until
 * the ERP restarts. A client that gets 403 {@code Required} fetches a new token and repeats the request.
 */
public final class CsrfTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> tokenByUser = new ConcurrentHashMap<>();

    /** The user's token, issued on first use. */
    public String tokenFor(String user) {
        return tokenByUser.computeIfAbsent(user, u -> {
            byte[] bytes = new byte[18];
            RANDOM.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        });
    }

    /** Whether {@code token} is the one issued to {@code user}. */
    public boolean isValid(String user, String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        String issued = tokenByUser.get(user);
        return issued != null && MessageDigest.isEqual(issued.getBytes(), token.trim().getBytes());
    }
}
