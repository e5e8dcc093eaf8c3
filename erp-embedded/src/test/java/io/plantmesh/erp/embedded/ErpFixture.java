package io.plantmesh.erp.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Each test gets a fresh in-memory MongoDB and an embedded ERP with {@link TestPlant}'s master data. */
abstract class ErpFixture {

    protected final MutableClock clock = new MutableClock(TestPlant.START);
    protected InMemoryMongo mongo;
    protected EmbeddedErp erp;
    protected ErpClient client;

    @BeforeEach
    void startErp() {
        mongo = new InMemoryMongo();
        erp = EmbeddedErp.create(TestPlant.config(mongo.uri(), clock).build()).start();
        client = ErpClient.of(erp);
    }

    @AfterEach
    void stopErp() {
        if (erp != null) {
            erp.close();
        }
        if (mongo != null) {
            mongo.close();
        }
    }

    /** Stops the ERP and starts a new one on the same database. */
    protected void restartErp() {
        erp.close();
        erp = EmbeddedErp.create(TestPlant.config(mongo.uri(), clock).build()).start();
        client = ErpClient.of(erp);
    }
}
