package io.plantmesh.store.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/** Everything a client can see of the user databases, as comparable JSON, read through the driver. */
final class StoreState {

    private StoreState() {
    }

    static Map<String, List<String>> read(String connectionString) {
        try (MongoClient client = MongoClients.create(connectionString)) {
            return read(client);
        }
    }

    static Map<String, List<String>> read(MongoClient client) {
        Map<String, List<String>> state = new TreeMap<>();
        for (String databaseName : client.listDatabaseNames()) {
            boolean internal = List.of("admin", "local", "config").contains(databaseName);
            if (internal) {
                continue;
            }
            MongoDatabase database = client.getDatabase(databaseName);
            for (String collectionName : database.listCollectionNames()) {
                List<String> content = new ArrayList<>();
                // natural order too: replay keeps document positions
                database.getCollection(collectionName).find().forEach(document -> content.add(document.toJson()));
                List<String> indexes = new ArrayList<>();
                database.getCollection(collectionName).listIndexes().forEach(index -> indexes.add(index.toJson()));
                indexes.sort(null);
                content.add("indexes=" + indexes);
                state.put(databaseName + "." + collectionName, content);
            }
        }
        return state;
    }

    static Document byId(MongoClient client, String database, String collection, Object id) {
        return client.getDatabase(database).getCollection(collection).find(new Document("_id", id)).first();
    }
}
