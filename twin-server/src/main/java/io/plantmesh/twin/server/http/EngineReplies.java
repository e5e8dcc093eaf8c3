package io.plantmesh.twin.server.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayCommandTimeoutException;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Waits for the engine without blocking the event loop: the engine's future completes on its own threads, the answer
 * is written back on the request's Vert.x context. If the engine takes longer than the request's {@code timeout},
 * the requester gets Ditto's 408 ({@code gateway:command.timeout}); a write may still be applied afterwards, as in
 * Ditto.
 */
final class EngineReplies {

    private EngineReplies() {
    }

    static <T> void await(RoutingContext rc, DittoHeaders headers, Duration timeout, CompletionStage<T> stage,
            Consumer<T> reply) {
        Context context = rc.vertx().getOrCreateContext();
        long timer = rc.vertx().setTimer(Math.max(1, timeout.toMillis()), id -> HttpSupport.fail(rc,
                GatewayCommandTimeoutException.newBuilder(timeout).dittoHeaders(headers).build()));
        Future.fromCompletionStage(stage, context).onComplete(outcome -> {
            rc.vertx().cancelTimer(timer);
            if (outcome.failed()) {
                HttpSupport.fail(rc, outcome.cause());
                return;
            }
            try {
                reply.accept(outcome.result());
            } catch (RuntimeException e) {
                HttpSupport.fail(rc, e);
            }
        });
    }
}
