package io.plantmesh.twin.server.http;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonParseOptions;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.MissingThingIdsException;

import io.vertx.ext.web.RoutingContext;

/** Ditto's query parameters that are not headers: {@code fields} and {@code ids}. */
final class QueryParameters {

    /** Vert.x has already URL-decoded the parameter. */
    private static final JsonParseOptions NO_URL_DECODING =
            JsonFactory.newParseOptionsBuilder().withoutUrlDecoding().build();

    private QueryParameters() {
    }

    /**
     * {@code fields=thingId,attributes/serial,features/*}{@code /properties/speed,_revision}; null for the whole
     * resource. An invalid selector is Ditto's 400.
     */
    static JsonFieldSelector fields(RoutingContext rc, DittoHeaders headers) {
        String param = rc.request().getParam("fields");
        if (param == null || param.isBlank()) {
            return null;
        }
        try {
            return JsonFactory.newFieldSelector(param, NO_URL_DECODING);
        } catch (JsonRuntimeException e) {
            throw new DittoJsonException(e, headers);
        }
    }

    /** {@code ids=ns:a,ns:b}, required by Ditto 2.4's {@code GET /things}; each must be a valid thing id. */
    static List<ThingId> thingIds(RoutingContext rc, DittoHeaders headers) {
        String param = rc.request().getParam("ids");
        List<ThingId> ids = new ArrayList<>();
        if (param != null) {
            for (String id : param.split(",")) {
                if (!id.isBlank()) {
                    ids.add(ThingUrl.thingId(id.trim(), headers));
                }
            }
        }
        if (ids.isEmpty()) {
            throw MissingThingIdsException.newBuilder()
                    .description("Name the things to retrieve: GET /api/2/things?ids=<thingId>,<thingId>. "
                            + "To find things, use /api/2/search/things.")
                    .dittoHeaders(headers).build();
        }
        return ids;
    }
}
