package io.plantmesh.mes.oee;

import static io.plantmesh.mes.oee.OeeCalculatorTest.at;
import static io.plantmesh.twin.model.machine.MachineState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;

import org.bson.Document;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

class OeeHistoryStoreTest {

    private static final ThingId LINE = ThingId.of("plant1:line-1");
    private static final ThingId M1 = ThingId.of("plant1:machine-1-01");
    private static final ThingId M2 = ThingId.of("plant1:machine-1-02");

    private MongoServer server;
    private MongoClient client;
    private MongoDatabase database;

    @BeforeEach
    void startMongo() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        final InetSocketAddress address = server.getLocalAddress();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        database = client.getDatabase("mes");
    }

    @AfterEach
    void stopMongo() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void savedHistoryLoadedIntoANewTrackerGivesTheSameOee() {
        final OeeTracker tracker = new OeeTracker(OeeConfig.defaults());
        OeeTrackerTest.feedWorkedExample(tracker, M1, LINE);
        tracker.observe(M2, LINE, RUNNING, at("09:00"), 500, 10, null, at("09:55"));
        tracker.observe(M2, LINE, RUNNING, at("09:00"), 3, 1, null, at("10:30"));
        final OeeHistoryStore store = new OeeHistoryStore(database, tracker);
        assertThat(store.save(M1)).isTrue();
        assertThat(store.save(M2)).isTrue();

        final OeeTracker restarted = new OeeTracker(OeeConfig.defaults());
        final int restored = new OeeHistoryStore(database, restarted).load(List.of(M1, M2));

        assertThat(restored).isEqualTo(2);
        assertThat(restarted.history(M1)).isEqualTo(tracker.history(M1));
        assertThat(restarted.history(M2)).isEqualTo(tracker.history(M2));
        assertThat(restarted.machineOee(M1, at("11:00"))).isEqualTo(tracker.machineOee(M1, at("11:00")));
        assertThat(restarted.machineOee(M1, at("11:00")).oee()).isNotNull();
        assertThat(restarted.lineKpi(LINE, at("11:00"), 3)).isEqualTo(tracker.lineKpi(LINE, at("11:00"), 3));
    }

    @Test
    void saveReplacesTheMachinesDocument() {
        final OeeTracker tracker = new OeeTracker(OeeConfig.defaults());
        final OeeHistoryStore store = new OeeHistoryStore(database, tracker);
        tracker.observe(M1, LINE, RUNNING, at("09:00"), 0, 0, 1500.5, at("09:00"));
        store.save(M1);
        tracker.observe(M1, LINE, RUNNING, at("09:00"), 7, 1, 1500.5, at("09:10"));
        store.save(M1);

        final MongoCollection<Document> collection = database.getCollection(OeeHistoryStore.COLLECTION);
        assertThat(collection.countDocuments()).isEqualTo(1);
        final Document document = collection.find().first();
        assertThat(document.getString("_id")).isEqualTo(M1.toString());
        assertThat(document.getList("counters", Document.class)).hasSize(2);
        assertThat(document.getDouble("idealCycleTimeMs")).isEqualTo(1500.5);
    }

    @Test
    void machineNeverObservedIsNotSaved() {
        final OeeHistoryStore store = new OeeHistoryStore(database, new OeeTracker(OeeConfig.defaults()));

        assertThat(store.save(M1)).isFalse();
        assertThat(database.getCollection(OeeHistoryStore.COLLECTION).countDocuments()).isZero();
    }

    @Test
    void loadKeepsWhatTheTrackerObservedAlreadyAndSkipsUnreadableDocuments() {
        final OeeTracker first = new OeeTracker(OeeConfig.defaults());
        first.observe(M1, LINE, RUNNING, at("09:00"), 1, 0, null, at("09:00"));
        new OeeHistoryStore(database, first).save(M1);
        database.getCollection(OeeHistoryStore.COLLECTION)
                .insertOne(new Document("_id", M2.toString()).append("line", LINE.toString()).append("state", "FLYING"));
        final OeeTracker second = new OeeTracker(OeeConfig.defaults());
        second.observe(M1, LINE, RUNNING, at("10:00"), 5, 0, null, at("10:00"));

        final int restored = new OeeHistoryStore(database, second).load(List.of(M1, M2));

        assertThat(restored).isZero();
        assertThat(second.history(M1).orElseThrow().since()).isEqualTo(at("10:00"));
        assertThat(second.history(M2)).isEmpty();
    }
}
