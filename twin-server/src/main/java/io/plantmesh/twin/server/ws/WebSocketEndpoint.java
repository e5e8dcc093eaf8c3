package io.plantmesh.twin.server.ws;

import java.util.LinkedHashSet;
import java.util.Set;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.exceptions.DittoHeaderInvalidException;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.auth.Authentication;
import io.plantmesh.twin.server.http.HttpSupport;
import io.vertx.core.Context;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Ditto's WebSocket endpoint {@code GET /ws/2}: upgrades an authenticated request (the requester was authenticated by
 * the server's auth handler) into a {@link WebSocketSession}. Declared acknowledgement labels come from the
 * {@code declared-acks} handshake header (a JSON array, as the Ditto Java client sends it) or the
 * {@code ?declared-acks=a,b} query parameter.
 */
public final class WebSocketEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);
    private static final String DECLARED_ACKS = "declared-acks";

    private WebSocketEndpoint() {
    }

    public static void mount(Router router, TwinServerContext context) {
        router.get("/ws/2").handler(rc -> upgrade(rc, context));
    }

    private static void upgrade(RoutingContext rc, TwinServerContext server) {
        Authentication auth = HttpSupport.authentication(rc);
        Set<AcknowledgementLabel> declared;
        try {
            declared = declaredAcks(rc);
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
            return;
        }
        Context context = server.vertx().getOrCreateContext();
        rc.request().toWebSocket()
                .onSuccess(ws -> WebSocketSession.start(ws, context, server, auth, declared))
                .onFailure(e -> {
                    LOG.debug("WebSocket upgrade failed: {}", e.toString());
                    if (!rc.response().ended()) {
                        HttpSupport.fail(rc, DittoHeaderInvalidException.newCustomMessageBuilder(
                                        "GET /ws/2 must be a WebSocket upgrade request.")
                                .description("Connect with a WebSocket client (Upgrade: websocket).").build());
                    }
                });
    }

    private static Set<AcknowledgementLabel> declaredAcks(RoutingContext rc) {
        Set<AcknowledgementLabel> labels = new LinkedHashSet<>();
        String header = rc.request().getHeader(DECLARED_ACKS);
        if (header != null && !header.isBlank()) {
            addAll(labels, header);
        }
        for (String param : rc.queryParam(DECLARED_ACKS)) {
            addAll(labels, param);
        }
        for (AcknowledgementLabel label : labels) {
            if (DittoAcknowledgementLabel.contains(label)) {
                throw DittoHeaderInvalidException.newCustomMessageBuilder("The acknowledgement label '" + label
                                + "' is issued by Ditto itself and cannot be declared.")
                        .description("Declare only your own labels in 'declared-acks'.")
                        .build();
            }
        }
        return labels;
    }

    /** Either a JSON array of labels or a comma-separated list. */
    private static void addAll(Set<AcknowledgementLabel> labels, String value) {
        String v = value.strip();
        if (v.startsWith("[")) {
            JsonArray array;
            try {
                array = JsonFactory.newArray(v);
            } catch (RuntimeException e) {
                throw DittoHeaderInvalidException.newInvalidTypeBuilder(DECLARED_ACKS, v, "JSON array").build();
            }
            for (JsonValue item : array) {
                if (!item.isString()) {
                    throw DittoHeaderInvalidException.newInvalidTypeBuilder(DECLARED_ACKS, v, "JSON array of strings")
                            .build();
                }
                labels.add(AcknowledgementLabel.of(item.asString()));
            }
        } else {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    labels.add(AcknowledgementLabel.of(s.strip()));
                }
            }
        }
    }
}
