package io.plantmesh.webui.proxy;

import java.net.URI;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Forwards the page's requests under one {@link ProxiedApi#browserBase()} to that API's real base URL, streaming both
 * ways (so Server-Sent Events pass through as they come), and keeps the page on one origin: no CORS set-up on the
 * APIs. The page's {@code Authorization} header is passed on unchanged: the proxy holds no credentials and adds no
 * identity. Upstream {@code WWW-Authenticate} is renamed so that the browser shows the page's own message on a 401
 * instead of its login dialog; {@code Location} headers pointing into the API are rewritten to the proxy's path.
 */
public final class ApiProxy implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiProxy.class);

    /** Header carrying the API's {@code WWW-Authenticate} challenge to the page. */
    public static final String UPSTREAM_AUTHENTICATE = "x-plantmesh-upstream-authenticate";

    /** Hop-by-hop headers (RFC 9110 7.6.1) and {@code Host}: never forwarded. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** What to do when an upstream's certificate is not trusted. */
    static final String TRUST_ADVICE = "Give the web UI the PEM file of the CA that issued the API's certificate:"
            + " tls.ca.file (PLANTMESH_TLS_CA_FILE) for plantmesh service web-ui, the chart's tls.caSecret, or"
            + " --tls-ca for ./plantmesh up; and check that the certificate names the host the web UI connects to.";

    private final ProxiedApi api;
    private final URI upstream;
    private final String upstreamBasePath;
    private final String upstreamPrefix;
    private final HttpClient client;

    /**
     * @param api which API this forwards, and so the path prefix it answers under
     * @param upstream the API's real base URL, e.g. {@code http://127.0.0.1:8080/api/2}
     * @param client the client to reach it with (owned by the caller; its pool must allow one connection per open
     *     event stream plus the ordinary requests)
     */
    public ApiProxy(final ProxiedApi api, final URI upstream, final HttpClient client) {
        this.api = Objects.requireNonNull(api, "api");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.client = Objects.requireNonNull(client, "client");
        final String path = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        this.upstreamBasePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.upstreamPrefix = upstream.getScheme() + "://" + upstream.getRawAuthority() + upstreamBasePath;
    }

    public ProxiedApi api() {
        return api;
    }

    public URI upstream() {
        return upstream;
    }

    @Override
    public void handle(final RoutingContext rc) {
        final HttpServerRequest request = rc.request();
        request.pause();
        final String rawUri = request.uri();
        final String rest = rawUri.substring(Math.min(api.browserBase().length(), rawUri.length()));
        if (hasDotSegment(rest)) {
            request.resume();
            respondError(rc.response(), 400, "webui:path.invalid", "The path " + request.path() + " has a '.' or"
                    + " '..' segment, which the web UI does not forward.", "Call the " + api.title() + " with a"
                    + " plain path such as " + api.browserBase() + "/...");
            return;
        }
        final RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setAbsoluteURI(upstreamPrefix + rest)
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setHeaders(forwardedRequestHeaders(request));
        client.request(options)
                .compose(upstreamRequest -> send(request, rc.response(), upstreamRequest))
                .onFailure(failure -> {
                    request.resume();
                    final HttpServerResponse response = rc.response();
                    if (response.headWritten()) {
                        // the answer had begun: the page sees a broken stream, as it would without the proxy
                        response.reset();
                        return;
                    }
                    LOG.debug("{} {} -> {} failed", request.method(), rawUri, upstreamPrefix, failure);
                    if (isTlsFailure(failure)) {
                        final String why = describe(rootCause(failure));
                        LOG.warn("The {} at {} presented a TLS certificate the web UI does not trust: {}",
                                api.title(), upstream, why);
                        respondError(response, 502, "webui:upstream.untrusted", "The " + api.title() + " at "
                                + upstream + " presented a TLS certificate the web UI could not verify: " + why
                                + ".", TRUST_ADVICE);
                        return;
                    }
                    respondError(response, 502, "webui:upstream.unavailable", "The " + api.title() + " at "
                            + upstream + " cannot be reached: " + describe(failure) + ".", api.startAdvice());
                });
    }

    private Future<Void> send(final HttpServerRequest request, final HttpServerResponse response,
            final HttpClientRequest upstreamRequest) {
        // a page that goes away (tab closed, event stream ended) must not leave the upstream request open
        response.closeHandler(ignored -> upstreamRequest.reset());
        final Future<HttpClientResponse> answer = hasBody(request) ? upstreamRequest.send(request)
                : upstreamRequest.send();
        if (!hasBody(request)) {
            request.resume();
        }
        return answer.compose(upstreamResponse -> relay(request, upstreamResponse, response));
    }

    private Future<Void> relay(final HttpServerRequest request, final HttpClientResponse upstreamResponse,
            final HttpServerResponse response) {
        response.setStatusCode(upstreamResponse.statusCode());
        response.setStatusMessage(upstreamResponse.statusMessage());
        copyResponseHeaders(upstreamResponse.headers(), response.headers());
        final int status = upstreamResponse.statusCode();
        final boolean bodyless = request.method() == HttpMethod.HEAD || status == 204 || status == 304
                || status < 200;
        if (!bodyless && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        return upstreamResponse.pipeTo(response);
    }

    private MultiMap forwardedRequestHeaders(final HttpServerRequest request) {
        final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        request.headers().forEach(header -> {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(header.getKey(), header.getValue());
            }
        });
        final String forwardedFor = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (forwardedFor != null) {
            headers.add("X-Forwarded-For", forwardedFor);
        }
        if (request.authority() != null) {
            headers.set("X-Forwarded-Host", request.authority().toString());
        }
        headers.set("X-Forwarded-Proto", request.scheme() == null ? "http" : request.scheme());
        return headers;
    }

    private void copyResponseHeaders(final MultiMap from, final MultiMap to) {
        from.forEach(header -> {
            final String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name)) {
                return;
            }
            if (name.equals("www-authenticate")) {
                to.add(UPSTREAM_AUTHENTICATE, header.getValue());
            } else if (name.equals("location")) {
                to.add(header.getKey(), browserLocation(header.getValue()));
            } else {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    /** An absolute or root-relative location inside the API, as the page reaches it through the proxy. */
    String browserLocation(final String location) {
        if (location.startsWith(upstreamPrefix)) {
            return api.browserBase() + location.substring(upstreamPrefix.length());
        }
        if (location.startsWith(upstreamBasePath + "/") && !upstreamBasePath.isEmpty()) {
            return api.browserBase() + location.substring(upstreamBasePath.length());
        }
        return location;
    }

    private static boolean hasBody(final HttpServerRequest request) {
        final String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /** True if the path (before any query) has a {@code .} or {@code ..} segment, also percent-encoded. */
    static boolean hasDotSegment(final String rawPathAndQuery) {
        final int query = rawPathAndQuery.indexOf('?');
        final String path = query < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, query);
        for (final String segment : path.split("/", -1)) {
            final String plain = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (plain.equals(".") || plain.equals("..")) {
                return true;
            }
        }
        return false;
    }

    static void respondError(final HttpServerResponse response, final int status, final String error,
            final String message, final String description) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(new JsonObject().put("status", status).put("error", error).put("message", message)
                        .put("description", description).encode());
    }

    /** Whether the failure is a TLS handshake the web UI refused (or the peer did), anywhere in its causes. */
    static boolean isTlsFailure(final Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    private static Throwable rootCause(final Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 10; depth++) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(final Throwable failure) {
        final String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
