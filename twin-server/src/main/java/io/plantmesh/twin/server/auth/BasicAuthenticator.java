package io.plantmesh.twin.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;

/**
 * HTTP basic authentication against a users file, as Ditto's nginx does in its local setup: user {@code ditto}
 * becomes subject {@code nginx:ditto}.
 *
 * <p>Users file format, one user per line: {@code name:password} (plain, development only) or
 * {@code name:sha256:<hex of SHA-256 of the password>}; blank lines and lines starting with {@code #} are ignored.
 */
public final class BasicAuthenticator implements Authenticator {

    public static final String ISSUER = "nginx";

    private final Map<String, String> users;

    private BasicAuthenticator(Map<String, String> users) {
        this.users = Map.copyOf(users);
    }

    /** Users from {@code name -> password spec} (a plain password or {@code sha256:<hex>}). */
    public static BasicAuthenticator of(Map<String, String> users) {
        return new BasicAuthenticator(users);
    }

    public static BasicAuthenticator fromFile(Path file) {
        try {
            return of(parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString()));
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the users file " + file + ": " + e.getMessage()
                    + ". Create it (lines of name:password or name:sha256:<hex>) or point --users-file elsewhere.", e);
        }
    }

    static Map<String, String> parse(List<String> lines, String source) {
        Map<String, String> users = new HashMap<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new IllegalArgumentException(source + " line " + n
                        + ": expected name:password or name:sha256:<hex>, found '" + line + "'.");
            }
            users.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return users;
    }

    @Override
    public boolean isApplicable(RequestCredentials request) {
        String authorization = request.header("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    @Override
    public CompletionStage<Authentication> authenticate(RequestCredentials request) {
        try {
            return CompletableFuture.completedFuture(Authentication.of(check(request.header("Authorization"))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private AuthorizationContext check(String authorization) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw failed("The Basic credentials are not valid Base64.");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw failed("The Basic credentials must be user:password.");
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String spec = users.get(user);
        if (spec == null || !matches(spec, password)) {
            throw failed("Unknown user or wrong password.");
        }
        AuthorizationSubject subject = AuthorizationModelFactory.newAuthSubject(ISSUER + ":" + user);
        return AuthorizationModelFactory.newAuthContext(DittoAuthorizationContextType.PRE_AUTHENTICATED_HTTP, subject);
    }

    private static boolean matches(String spec, String password) {
        if (spec.startsWith("sha256:")) {
            return MessageDigest.isEqual(spec.substring(7).toLowerCase().getBytes(StandardCharsets.US_ASCII),
                    sha256Hex(password).getBytes(StandardCharsets.US_ASCII));
        }
        return MessageDigest.isEqual(spec.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GatewayAuthenticationFailedException failed(String message) {
        return GatewayAuthenticationFailedException.newBuilder(message)
                .description("Check the user name and password.")
                .build();
    }
}
