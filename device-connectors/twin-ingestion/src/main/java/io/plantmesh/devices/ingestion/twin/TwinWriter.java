package io.plantmesh.devices.ingestion.twin;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatcher;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatchers;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.things.model.ThingId;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Twin writes and reads through the official Ditto client over one WebSocket, with answers brought back onto the
 * ingestion's Vert.x context and every failure classified as a {@link WriteOutcome}. The client pipelines: many
 * commands may be outstanding on the socket at once, each correlated by its correlation id.
 */
final class TwinWriter implements TwinWrites {

    private static final String FEATURES = "features";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final DittoClient client;
    private final Context context;
    private final Duration timeout;

    TwinWriter(DittoClient client, Context context, Duration timeout) {
        this.client = client;
        this.context = context;
        this.timeout = timeout;
    }

    /**
     * Sends the Ditto protocol message that {@code client.twin().merge(thingId, {"features": ...})} sends (the same
     * topic, path, value and headers, If-Match {@code *} included) through the client's {@code sendDittoProtocol}:
     * the typed path parses the patch into a {@code Thing} and adapts that back to the protocol, for every write, only
     * to send the same JSON.
     */
    @Override
    public Future<WriteOutcome> mergeFeatures(ThingId thingId, JsonObject features, String condition) {
        Adaptable merge = mergeFeaturesCommand(thingId, features, condition,
                "plantmesh-ingestion-" + UUID.randomUUID());
        return this.<Adaptable>call(() -> client.sendDittoProtocol(merge))
                .map(TwinWriter::fromResponse)
                .otherwise(TwinWriter::classify);
    }

    /** {@code <ns>/<name>/things/twin/commands/merge} of {@code features}, conditional if {@code condition} is set. */
    static Adaptable mergeFeaturesCommand(ThingId thingId, JsonObject features, String condition,
            String correlationId) {
        DittoHeadersBuilder<?, ?> headers = DittoHeaders.newBuilder()
                .correlationId(correlationId)
                .schemaVersion(JsonSchemaVersion.V_2)
                .responseRequired(true)
                .ifMatch(EntityTagMatchers.fromList(List.of(EntityTagMatcher.asterisk())))
                .contentType(MERGE_PATCH);
        if (condition != null) {
            headers.condition(condition);
        }
        // the patch only: a thingId in it would be a leaf the ingestion's policy entry may not write
        JsonObject thing = JsonObject.newBuilder()
                .set(FEATURES, features)
                .build();
        return ProtocolFactory.newAdaptableBuilder(ProtocolFactory.newTopicPathBuilder(thingId).things().twin()
                        .commands().merge().build())
                .withPayload(ProtocolFactory.newPayloadBuilder(JsonPointer.empty()).withValue(thing).build())
                .withHeaders(headers.build())
                .build();
    }

    @Override
    public Future<JsonObject> readIngestionFields(ThingId thingId) {
        JsonFieldSelector fields = JsonFieldSelector.newInstance("features/connectivity/properties",
                "features/health/properties/alarms");
        return this.<org.eclipse.ditto.things.model.Thing>call(() -> client.twin().forId(thingId).retrieve(fields))
                .map(thing -> thing.toJson())
                .recover(e -> Future.failedFuture(new TwinReadFailure(classify(e))));
    }

    @Override
    public Future<WriteOutcome> sendProtocolCommand(Adaptable adaptable) {
        DittoHeaders headers = adaptable.getDittoHeaders().toBuilder()
                .correlationId("plantmesh-ingestion-" + UUID.randomUUID())
                .responseRequired(true)
                .build();
        Adaptable toSend = ProtocolFactory.newAdaptableBuilder(adaptable).withHeaders(headers).build();
        return this.<Adaptable>call(() -> client.sendDittoProtocol(toSend))
                .map(TwinWriter::fromResponse)
                .otherwise(TwinWriter::classify);
    }

    private <T> Future<T> call(java.util.function.Supplier<CompletionStage<T>> operation) {
        Promise<T> promise = Promise.promise();
        CompletableFuture<T> future;
        try {
            future = operation.get().toCompletableFuture();
        } catch (RuntimeException e) {
            // e.g. the client is not connected right now
            return Future.failedFuture(e);
        }
        future.orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> context.runOnContext(v -> {
                    if (error == null) {
                        promise.complete(result);
                    } else {
                        promise.fail(unwrap(error));
                    }
                }));
        return promise.future();
    }

    private static WriteOutcome fromResponse(Adaptable response) {
        int status = response.getPayload().getHttpStatus().map(HttpStatus::getCode).orElse(200);
        if (status < 300) {
            return new WriteOutcome.Applied();
        }
        JsonObject error = response.getPayload().getValue().filter(JsonValue::isObject).map(JsonValue::asObject)
                .orElse(JsonObject.empty());
        String code = error.getValue("error").filter(JsonValue::isString).map(JsonValue::asString)
                .orElse("http:" + status);
        String message = error.getValue("message").filter(JsonValue::isString).map(JsonValue::asString)
                .orElse("Ditto answered " + status);
        return byStatus(status, code, message);
    }

    static WriteOutcome classify(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof TwinReadFailure failure) {
            return failure.outcome;
        }
        if (e instanceof DittoRuntimeException dre) {
            return byStatus(dre.getHttpStatus().getCode(), dre.getErrorCode(), dre.getMessage());
        }
        if (e instanceof TimeoutException) {
            return new WriteOutcome.Transient("no answer from Ditto in time");
        }
        return new WriteOutcome.Transient(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static WriteOutcome byStatus(int status, String code, String message) {
        if (status == 412 && "things:condition.failed".equals(code)) {
            return new WriteOutcome.ConditionFailed();
        }
        boolean retryable = status == 408 || status == 424 || status == 429 || status >= 500;
        if (retryable) {
            return new WriteOutcome.Transient(status + " " + code + ": " + message);
        }
        return new WriteOutcome.Refused(status, code, message);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A failed read, carrying how it failed. */
    static final class TwinReadFailure extends RuntimeException {
        final WriteOutcome outcome;

        TwinReadFailure(WriteOutcome outcome) {
            super(outcome.toString(), null, false, false);
            this.outcome = outcome;
        }
    }
}
