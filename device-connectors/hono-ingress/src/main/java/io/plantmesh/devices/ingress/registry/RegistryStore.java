package io.plantmesh.devices.ingress.registry;

import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import io.vertx.core.json.JsonObject;

/**
 * The registry's MongoDB collections {@code hono_tenants}, {@code hono_devices} and {@code hono_credentials}. Every
 * access is by exact {@code _id} (the embedded store has no secondary indexes): tenants by tenant id, devices by
 * {@code tenant/device}, credentials by {@code tenant/type/auth-id}. All calls block: use worker threads.
 */
public final class RegistryStore implements AutoCloseable {

    private final MongoClient client;
    private final Collection tenants;
    private final Collection devices;
    private final Collection credentials;

    private RegistryStore(MongoClient client, MongoDatabase database) {
        this.client = client;
        this.tenants = new Collection(database.getCollection("hono_tenants"));
        this.devices = new Collection(database.getCollection("hono_devices"));
        this.credentials = new Collection(database.getCollection("hono_credentials"));
    }

    /** Connects to MongoDB (the driver connects lazily); the caller must close the store. */
    public static RegistryStore connect(String mongoUri, String databaseName) {
        MongoClient client = MongoClients.create(mongoUri);
        return new RegistryStore(client, client.getDatabase(databaseName));
    }

    public Collection tenants() {
        return tenants;
    }

    public Collection devices() {
        return devices;
    }

    public Collection credentials() {
        return credentials;
    }

    @Override
    public void close() {
        client.close();
    }

    /** One collection of JSON documents keyed by {@code _id}, with a {@code version} field for optimistic locking. */
    public static final class Collection {

        private final MongoCollection<Document> mongo;

        private Collection(MongoCollection<Document> mongo) {
            this.mongo = mongo;
        }

        public Optional<JsonObject> find(String id) {
            Document doc = mongo.find(Filters.eq("_id", id)).first();
            return Optional.ofNullable(doc).map(d -> new JsonObject(d.toJson()));
        }

        /** Inserts a new document; returns false if one with this id exists. */
        public boolean insert(String id, JsonObject document) {
            try {
                mongo.insertOne(toDocument(id, document));
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false;
                }
                throw e;
            }
        }

        /** Replaces the document if its {@code version} is the expected one (any version if null). */
        public boolean replace(String id, String expectedVersion, JsonObject document) {
            Bson filter = expectedVersion == null ? Filters.eq("_id", id)
                    : Filters.and(Filters.eq("_id", id), Filters.eq("version", expectedVersion));
            return mongo.replaceOne(filter, toDocument(id, document)).getMatchedCount() == 1;
        }

        /** Inserts or replaces unconditionally. */
        public void put(String id, JsonObject document) {
            mongo.replaceOne(Filters.eq("_id", id), toDocument(id, document),
                    new com.mongodb.client.model.ReplaceOptions().upsert(true));
        }

        public boolean delete(String id) {
            return mongo.deleteOne(Filters.eq("_id", id)).getDeletedCount() == 1;
        }

        /** Deletes all documents whose field has the value: a full scan, used only when a tenant is deleted. */
        public long deleteWhere(String field, String value) {
            return mongo.deleteMany(Filters.eq(field, value)).getDeletedCount();
        }

        private static Document toDocument(String id, JsonObject document) {
            Document doc = Document.parse(document.encode());
            doc.put("_id", id);
            return doc;
        }
    }
}
