package io.plantmesh.erp.embedded.procurement;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.embedded.engine.PostingEngine;
import io.vertx.core.Vertx;

/**
 * Looks for due purchase requisitions every {@code interval} (wall-clock) by submitting {@link RequisitionReceipts};
 * whether one is due is decided on the plant clock, so a test or a time-scaled demo moves receipts by moving that
 * clock. At most one check is in flight.
 */
public final class ReceiptScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiptScheduler.class);

    private final Vertx vertx;
    private final PostingEngine engine;
    private final AtomicBoolean checking = new AtomicBoolean();
    private final long timer;

    private ReceiptScheduler(Vertx vertx, PostingEngine engine, Duration interval) {
        this.vertx = vertx;
        this.engine = engine;
        this.timer = vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> check());
    }

    /** Starts checking every {@code interval}; close to stop. */
    public static ReceiptScheduler start(Vertx vertx, PostingEngine engine, Duration interval) {
        return new ReceiptScheduler(Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(engine, "engine"),
            Objects.requireNonNull(interval, "interval"));
    }

    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        engine.submit(new RequisitionReceipts(), "PLANTMESH_PROCUREMENT").whenComplete((result, failure) -> {
            checking.set(false);
            if (failure != null) {
                LOG.debug("Receipt of due purchase requisitions did not complete: {}", failure.toString());
            } else if (result != null && result.posted() != null) {
                LOG.info("Purchase requisitions received: {}", result.posted().body().getJsonArray("received"));
            }
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
