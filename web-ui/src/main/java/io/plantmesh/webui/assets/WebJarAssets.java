package io.plantmesh.webui.assets;

import java.util.Objects;
import java.util.regex.Pattern;

import org.webjars.WebJarVersionLocator;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the browser libraries from their WebJars under version-free paths, {@code /webjars/<name>/<file>} (e.g.
 * {@code /webjars/lit/index.js}), so that the page's import map does not change when a library's version does. The
 * version is that of the WebJar on the classpath.
 */
public final class WebJarAssets implements Handler<RoutingContext> {

    /** Where the page finds the libraries. */
    public static final String PATH = "/webjars";
    private static final String VERSIONED_PATH = "/webjars-versioned";
    private static final String CLASSPATH_ROOT = "META-INF/resources/webjars";
    /** An npm package name as WebJars spell it ({@code @lit/reactive-element} is {@code lit__reactive-element}). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final long MAX_AGE_SECONDS = 3600;

    private final WebJarVersionLocator locator;

    private WebJarAssets(final WebJarVersionLocator locator) {
        this.locator = Objects.requireNonNull(locator, "locator");
    }

    /** Mounts {@code /webjars/*} on the router. */
    public static void mount(final Router router) {
        final WebJarAssets assets = new WebJarAssets(new WebJarVersionLocator());
        router.get(PATH + "/*").handler(assets);
        router.get(VERSIONED_PATH + "/*").handler(StaticHandler.create(CLASSPATH_ROOT)
                .setMaxAgeSeconds(MAX_AGE_SECONDS)
                .setDirectoryListing(false)
                .setIncludeHidden(false));
    }

    @Override
    public void handle(final RoutingContext rc) {
        final String path = rc.normalizedPath().substring(PATH.length());
        final int slash = path.indexOf('/', 1);
        if (!path.startsWith("/") || slash < 0) {
            rc.fail(404);
            return;
        }
        final String name = path.substring(1, slash);
        final String version = NAME.matcher(name).matches() ? locator.version(name) : null;
        if (version == null) {
            rc.fail(404);
            return;
        }
        rc.reroute(VERSIONED_PATH + "/" + name + "/" + version + path.substring(slash));
    }
}
