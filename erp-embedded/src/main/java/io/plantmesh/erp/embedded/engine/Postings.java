package io.plantmesh.erp.embedded.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.ODataResponse;
import io.plantmesh.erp.embedded.odata.Repeatability;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** What every POST service does with the posting engine's answer. */
public final class Postings {

    /** Response header set (embedded ERP only) when a repeat got the original response back. */
    public static final String REPLAYED_HEADER = "x-plantmesh-replayed";

    private Postings() {
    }

    /** Refuses a POST without {@code Repeatability-Request-ID} if the ERP is configured to require one. */
    public static void requireRepeatability(Repeatability repeatability, boolean required) {
        if (required && repeatability == null) {
            throw ODataError.badRequest(ODataError.REPEATABILITY, "This ERP requires the header "
                + Repeatability.REQUEST_ID + " (and " + Repeatability.FIRST_SENT + ") on every POST, so that a "
                + "repeated request never posts twice; send a unique id per posting and the same id on retries.");
        }
    }

    /**
     * The HTTP answer to a submitted posting, on the calling Vert.x context: the original status and body (also for
     * a replay), {@code Repeatability-Result: accepted} when the request carried a request id.
     */
    public static Future<ODataResponse> answer(Vertx vertx, CompletableFuture<PostingResult> result,
            Repeatability repeatability) {
        return Future.fromCompletionStage(result, vertx.getOrCreateContext()).map(posting -> {
            Map<String, String> headers = new LinkedHashMap<>();
            if (repeatability != null) {
                headers.put(Repeatability.RESULT, "accepted");
            }
            if (posting.replayed()) {
                headers.put(REPLAYED_HEADER, "true");
            }
            Posted posted = posting.posted();
            return new ODataResponse(posted.status(), posted.body(), posted.location(), headers);
        });
    }
}
