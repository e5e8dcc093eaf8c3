package io.plantmesh.security.oidc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Asynchronous JSON reads from an OpenID Connect provider (discovery documents, key sets) over the JDK's HTTP client;
 * never blocks the caller. Failures are {@link IllegalStateException}s that name the URL and what went wrong.
 */
public final class OidcHttp {

    private static final int MAX_BODY_CHARS = 1024 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    public OidcHttp(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** A client with the JDK defaults (system trust store) and this request timeout. */
    public static OidcHttp withDefaults(Duration timeout) {
        return new OidcHttp(HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build(), timeout);
    }

    public HttpClient client() {
        return client;
    }

    public Duration timeout() {
        return timeout;
    }

    /** GETs a JSON object. */
    public CompletableFuture<Map<String, Object>> getJson(URI uri) {
        return getText(uri).thenApply(body -> parseObject(uri, body));
    }

    /** GETs a body that must come with 200. */
    public CompletableFuture<String> getText(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        throw new IllegalStateException("GET " + uri + " failed: " + cause, cause);
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("GET " + uri + " answered " + response.statusCode()
                                + " instead of 200: " + abbreviate(response.body()));
                    }
                    return response.body();
                });
    }

    static Map<String, Object> parseObject(URI uri, String body) {
        if (body.length() > MAX_BODY_CHARS) {
            throw new IllegalStateException(uri + " answered with more than " + MAX_BODY_CHARS + " characters.");
        }
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new IllegalStateException(uri + " answered with no JSON object: " + abbreviate(body), e);
        }
    }

    /** One line of at most 200 characters, for error messages. */
    public static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
