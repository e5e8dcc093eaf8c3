package io.plantmesh.twin.server.audit;

import java.util.List;
import java.util.Set;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException;

import io.plantmesh.audit.AuditEntry;
import io.plantmesh.audit.AuditRecord;
import io.plantmesh.audit.AuditStore;
import io.plantmesh.twin.server.http.HttpSupport;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/2/plantmesh/audit?from=<sequence>&size=<1..1000>}: a page of the audit log, oldest first, for the
 * configured readers only (it-admin; in the embedded footprint also the development user); anyone else gets Ditto's
 * 403 error JSON ({@code plantmesh:audit.notallowed}), and the refusal is audited. Without {@code from} the newest page.
 * The answer: {@code {"from":..,"size":..,"newest":..,"items":[record...],"next":<from of the next page>|null}}, each
 * record with its {@code seq}, fields, {@code prev} and {@code hash}.
 */
public final class AuditApi {

    public static final String PATH = "/api/2/plantmesh/audit";
    private static final int DEFAULT_SIZE = 100;
    private static final int MAX_SIZE = 1000;

    private final Vertx vertx;
    private final TwinAudit audit;
    private final Set<String> readers;

    private AuditApi(Vertx vertx, TwinAudit audit, Set<String> readers) {
        this.vertx = vertx;
        this.audit = audit;
        this.readers = Set.copyOf(readers);
    }

    /** Mount before the things API (which answers unknown {@code /api/2} paths with 404). */
    public static void mount(Router router, Vertx vertx, TwinAudit audit, Set<String> readers) {
        AuditApi api = new AuditApi(vertx, audit, readers);
        router.get(PATH).handler(api::page);
    }

    private void page(RoutingContext rc) {
        DittoHeaders headers;
        long from;
        int size;
        try {
            headers = HttpSupport.dittoHeaders(rc);
            AuthorizationContext requester = HttpSupport.auth(rc);
            boolean reader = requester.getAuthorizationSubjectIds().stream().anyMatch(readers::contains);
            if (!reader) {
                AuditNotReadableException denied = AuditNotReadableException.of(headers);
                audit.auditReadDenied(requester, denied, headers);
                throw denied;
            }
            size = (int) number(rc, "size", DEFAULT_SIZE, 1, MAX_SIZE, headers);
            from = number(rc, "from", 0, 1, Long.MAX_VALUE - MAX_SIZE, headers);
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
            return;
        }
        AuditStore store = audit.log().store();
        long requestedFrom = from;
        vertx.executeBlocking(() -> {
            long newest = store.newest().map(AuditRecord::sequence).orElse(0L);
            long first = requestedFrom > 0 ? requestedFrom : Math.max(1, newest - size + 1);
            List<AuditRecord> records = store.page(first, size);
            return body(first, size, newest, records);
        }, false).onComplete(done -> {
            if (done.failed()) {
                HttpSupport.fail(rc, done.cause());
                return;
            }
            rc.response().putHeader("Content-Type", "application/json")
                    .putHeader("correlation-id", headers.getCorrelationId().orElse(""))
                    .end(done.result().toString());
        });
    }

    private static JsonObject body(long from, int size, long newest, List<AuditRecord> records) {
        var items = JsonFactory.newArrayBuilder();
        records.forEach(r -> items.add(json(r)));
        long end = from + size;
        return JsonFactory.newObjectBuilder()
                .set("from", from)
                .set("size", size)
                .set("newest", newest)
                .set("items", items.build())
                .set("next", end <= newest ? JsonValue.of(end) : JsonFactory.nullLiteral())
                .build();
    }

    private static JsonObject json(AuditRecord r) {
        AuditEntry e = r.entry();
        JsonObjectBuilder b = JsonFactory.newObjectBuilder()
                .set("seq", r.sequence())
                .set("time", e.time().toString())
                .set("subjects", subjects(e.subjects()))
                .set("action", e.action())
                .set("entity", e.entity())
                .set("resource", e.resource())
                .set("outcome", e.outcome())
                .set("status", e.status());
        b.set("error", e.error() == null ? JsonFactory.nullLiteral() : JsonValue.of(e.error()));
        b.set("correlationId", e.correlationId() == null ? JsonFactory.nullLiteral() : JsonValue.of(e.correlationId()));
        b.set("revision", e.revision() == null ? JsonFactory.nullLiteral() : JsonValue.of(e.revision()));
        b.set("detail", e.detail() == null ? JsonFactory.nullLiteral() : JsonValue.of(e.detail()));
        return b.set("prev", r.previousHash()).set("hash", r.hash()).build();
    }

    private static JsonArray subjects(List<String> subjects) {
        var array = JsonFactory.newArrayBuilder();
        subjects.forEach(array::add);
        return array.build();
    }

    private static long number(RoutingContext rc, String name, long absent, long min, long max, DittoHeaders h) {
        String text = rc.queryParams().get(name);
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidOptionException.newBuilder()
                .message("The query parameter '" + name + "' must be a whole number from " + min + " to " + max
                        + ", was '" + text + "'.")
                .description("Page with from=<first sequence number> and size=1.." + MAX_SIZE
                        + "; leave 'from' out for the newest records.")
                .dittoHeaders(h).build();
    }
}
