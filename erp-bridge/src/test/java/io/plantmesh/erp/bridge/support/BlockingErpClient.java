package io.plantmesh.erp.bridge.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.plantmesh.erp.bridge.erp.ErpAnswer;
import io.plantmesh.erp.bridge.erp.ErpClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * For tests: an {@link ErpClient} on a Vert.x of its own whose answers are awaited (at most 30 s), so that a test
 * reads like a script. Close it to close its Vert.x.
 */
public final class BlockingErpClient implements AutoCloseable {

    private final Vertx vertx;
    private final ErpClient client;

    private BlockingErpClient(final Vertx vertx, final ErpClient client) {
        this.vertx = vertx;
        this.client = client;
    }

    public static BlockingErpClient create(final URI base, final String user, final String password,
            final Duration timeout) {
        final Vertx vertx = Vertx.vertx();
        return new BlockingErpClient(vertx, ErpClient.create(vertx, base, user, password, timeout));
    }

    /** The client being awaited. */
    public ErpClient client() {
        return client;
    }

    /** Waits for an answer of the client (the futures never fail: failures are answers). */
    public static <T> ErpAnswer<T> await(final Future<ErpAnswer<T>> answer) {
        try {
            return answer.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new IllegalStateException("the ERP client did not answer: " + e, e);
        }
    }

    public ErpAnswer<ErpClient.MaterialDocument> postGoodsMovement(final String key, final String order,
            final String movementType, final String material, final String plant, final String storageLocation,
            final double quantity, final String unit) {
        return await(client.postGoodsMovement(key, order, movementType, material, plant, storageLocation, quantity,
                unit));
    }

    public ErpAnswer<ErpClient.ConfirmationDocument> postConfirmation(final String key, final String order,
            final String plant, final String material, final long yield, final long scrap, final String unit,
            final boolean finalConfirmation) {
        return await(client.postConfirmation(key, order, plant, material, yield, scrap, unit, finalConfirmation));
    }

    public ErpAnswer<ErpClient.RequisitionState> createRequisition(final String key, final String material,
            final double quantity, final String unit, final String plant, final String storageLocation) {
        return await(client.createRequisition(key, material, quantity, unit, plant, storageLocation));
    }

    public ErpAnswer<ErpClient.StockLevel> readStock(final String material, final String plant) {
        return await(client.readStock(material, plant));
    }

    public ErpAnswer<ErpClient.RequisitionState> readRequisition(final String number) {
        return await(client.readRequisition(number));
    }

    public ErpAnswer<List<ErpClient.RequisitionState>> readRequisitionItems(final String material,
            final String plant) {
        return await(client.readRequisitionItems(material, plant));
    }

    public ErpAnswer<ErpClient.OrderCostTotals> readOrderCost(final String order) {
        return await(client.readOrderCost(order));
    }

    public ErpAnswer<List<ErpClient.ConfirmationDocument>> readConfirmations(final String order) {
        return await(client.readConfirmations(order));
    }

    public ErpAnswer<List<ErpClient.MaterialDocument>> readOrderMovements(final String order) {
        return await(client.readOrderMovements(order));
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
