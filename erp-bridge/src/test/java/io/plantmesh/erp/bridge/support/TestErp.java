package io.plantmesh.erp.bridge.support;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.erp.embedded.EmbeddedErp;
import io.plantmesh.erp.embedded.ErpConfig;
import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.WorkCenter;

/**
 * A real embedded ERP on 127.0.0.1 over an in-memory MongoDB of its own. It can be stopped and started again on the
 * same database and the same port (as an ERP outage looks to the bridge).
 *
 * <p>Master data of plant {@code plant1}: RM-100 (2.50/PC, 100 in stock), RM-200 (10/KG, 20 in stock), FG-2001
 * (40/PC), RM-300 (1/PC, negative stock allowed), RM-400 (5/PC, no stock, negative stock not allowed).
 */
public final class TestErp implements AutoCloseable {

    public static final String PLANT = "plant1";

    private final MongoServer mongo;
    private final ErpConfig config;
    private final List<BlockingErpClient> clients = new ArrayList<>();
    private EmbeddedErp erp;
    private int port;

    private TestErp(final MongoServer mongo, final ErpConfig config) {
        this.mongo = mongo;
        this.config = config;
    }

    /** Starts an ERP; requisitions are received {@code receiptLeadTime} after creation. */
    public static TestErp start(final Duration receiptLeadTime) {
        final MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        final ErpConfig config = ErpConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .mongoUri("mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort())
                .database("erp_bridge_test")
                .receiptLeadTime(receiptLeadTime)
                .receiptCheckInterval(Duration.ofMillis(100))
                .defaultCostCenter("CC-PROD")
                .material(MaterialMaster.of("RM-100", PLANT, "PC", new BigDecimal("2.50"))
                        .withInitialStock(new BigDecimal("100")))
                .material(MaterialMaster.of("RM-200", PLANT, "KG", new BigDecimal("10"))
                        .withInitialStock(new BigDecimal("20")))
                .material(MaterialMaster.of("FG-2001", PLANT, "PC", new BigDecimal("40")))
                .material(MaterialMaster.of("RM-300", PLANT, "PC", new BigDecimal("1")).withNegativeStockAllowed(true))
                .material(MaterialMaster.of("RM-400", PLANT, "PC", new BigDecimal("5")))
                .workCenter(new WorkCenter("plant1:machine-1-03", PLANT, "CC-LINE1", new BigDecimal("90")))
                .build();
        final TestErp testErp = new TestErp(mongo, config);
        try {
            testErp.startErp();
        } catch (final RuntimeException e) {
            mongo.shutdownNow();
            throw e;
        }
        return testErp;
    }

    /** Starts the ERP (again) on the same database and, after the first start, the same port. */
    public synchronized void startErp() {
        erp = EmbeddedErp.create(config.toBuilder().port(port).build()).start();
        port = erp.port();
    }

    /** Stops the ERP; its database stays. */
    public synchronized void stopErp() {
        if (erp != null) {
            erp.close();
            erp = null;
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/sap/opu/odata/sap/");
    }

    public String user() {
        return config.user();
    }

    public String password() {
        return config.password();
    }

    /** A blocking client of this ERP (for tests to read what was posted); closed with the ERP. */
    public synchronized BlockingErpClient client() {
        final BlockingErpClient client = BlockingErpClient.create(baseUri(), user(), password(),
                Duration.ofSeconds(10));
        clients.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        clients.forEach(BlockingErpClient::close);
        stopErp();
        mongo.shutdownNow();
    }
}
