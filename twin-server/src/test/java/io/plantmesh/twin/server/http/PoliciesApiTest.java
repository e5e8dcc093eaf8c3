package io.plantmesh.twin.server.http;

import static io.plantmesh.twin.server.http.ApiClient.error;
import static io.plantmesh.twin.server.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** Policies over Ditto's HTTP API v2. */
class PoliciesApiTest {

    private static final String OWNER_ENTRY = "\"OWNER\":{\"subjects\":{\"nginx:ditto\":{\"type\":\"owner\"}},"
            + "\"resources\":{\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
            + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}}";
    private static final String POLICY = "{\"entries\":{" + OWNER_ENTRY + "}}";

    private static RunningTwinServer server;
    private static ApiClient ditto;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        ditto = ApiClient.as(server, "ditto");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void policyCrud() {
        String path = "/api/2/policies/plant.test:crud";
        HttpResponse<String> created = ditto.put(path, POLICY);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"rev:1\"");
        assertThat(created.headers().firstValue("Location")).hasValue(server.httpBase() + path);
        assertThat(json(created).getValue("policyId").get().asString()).isEqualTo("plant.test:crud");

        HttpResponse<String> read = ditto.get(path);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).getValue("entries/OWNER/subjects/nginx:ditto/type").get().asString()).isEqualTo("owner");

        assertThat(ditto.put(path, POLICY).statusCode()).isEqualTo(204);
        assertThat(ditto.get(path).headers().firstValue("ETag")).hasValue("\"rev:2\"");

        HttpResponse<String> entries = ditto.get(path + "/entries");
        assertThat(entries.statusCode()).isEqualTo(200);
        assertThat(json(entries).contains("OWNER")).isTrue();
        assertThat(ditto.put(path + "/entries", "{" + OWNER_ENTRY + "}").statusCode()).isEqualTo(204);

        assertThat(ditto.delete(path).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = ditto.get(path);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(error(gone)).isEqualTo("policies:policy.notfound");
    }

    @Test
    void entriesSubjectsAndResources() {
        String path = "/api/2/policies/plant.test:entries";
        assertThat(ditto.put(path, POLICY).statusCode()).isEqualTo(201);

        String entry = path + "/entries/OPERATOR";
        HttpResponse<String> createdEntry = ditto.put(entry, "{\"subjects\":{\"nginx:alice\":{\"type\":\"operator\"}},"
                + "\"resources\":{\"thing:/features\":{\"grant\":[\"READ\"],\"revoke\":[]}}}");
        assertThat(createdEntry.statusCode()).isEqualTo(201);

        HttpResponse<String> subject = ditto.put(entry + "/subjects/nginx:bob", "{\"type\":\"operator\"}");
        assertThat(subject.statusCode()).isEqualTo(201);
        assertThat(ditto.get(entry + "/subjects").body()).isEqualTo(
                "{\"nginx:alice\":{\"type\":\"operator\"},\"nginx:bob\":{\"type\":\"operator\"}}");
        assertThat(ditto.get(entry + "/subjects/nginx:bob").body()).isEqualTo("{\"type\":\"operator\"}");
        assertThat(ditto.delete(entry + "/subjects/nginx:bob").statusCode()).isEqualTo(204);
        HttpResponse<String> noSubject = ditto.get(entry + "/subjects/nginx:bob");
        assertThat(noSubject.statusCode()).isEqualTo(404);
        assertThat(error(noSubject)).isEqualTo("policies:subject.notfound");

        HttpResponse<String> resource = ditto.put(entry + "/resources/thing:/features/spindle/properties",
                "{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}");
        assertThat(resource.statusCode()).isEqualTo(201);
        HttpResponse<String> readResource = ditto.get(entry + "/resources/thing:/features/spindle/properties");
        assertThat(readResource.statusCode()).isEqualTo(200);
        assertThat(json(readResource)).isEqualTo(JsonFactory.newObject("{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}"));
        assertThat(json(ditto.get(entry + "/resources")).getKeys())
                .contains(JsonKey.of("thing:/features/spindle/properties"));
        assertThat(ditto.delete(entry + "/resources/thing:/features/spindle/properties").statusCode()).isEqualTo(204);
        assertThat(error(ditto.get(entry + "/resources/thing:/features/spindle/properties")))
                .isEqualTo("policies:resource.notfound");

        assertThat(ditto.delete(entry).statusCode()).isEqualTo(204);
        HttpResponse<String> noEntry = ditto.get(entry);
        assertThat(noEntry.statusCode()).isEqualTo(404);
        assertThat(error(noEntry)).isEqualTo("policies:entry.notfound");
    }

    @Test
    void lockOutIsPrevented() {
        String path = "/api/2/policies/plant.test:lockout";
        assertThat(ditto.put(path, POLICY).statusCode()).isEqualTo(201);
        String withoutOwner = "{\"entries\":{\"OPERATOR\":{\"subjects\":{\"nginx:alice\":{\"type\":\"x\"}},"
                + "\"resources\":{\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}}}}";
        HttpResponse<String> lockOut = ditto.put(path, withoutOwner);
        assertThat(lockOut.statusCode()).isEqualTo(403);
        assertThat(error(lockOut)).isEqualTo("policies:policy.modificationinvalid");
        HttpResponse<String> removeOwnEntry = ditto.delete(path + "/entries/OWNER");
        assertThat(removeOwnEntry.statusCode()).isEqualTo(403);
        assertThat(error(removeOwnEntry)).isEqualTo("policies:policy.modificationinvalid");
        HttpResponse<String> allowed = ditto.put(path + "/entries/OWNER/subjects/nginx:ditto?allow-policy-lockout=true",
                "{\"type\":\"owner\"}");
        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(ditto.get(path + "/entries/OWNER").statusCode()).isEqualTo(200);
    }

    @Test
    void methodsPathsAndIds() {
        String path = "/api/2/policies/plant.test:methods";
        assertThat(ditto.put(path, POLICY).statusCode()).isEqualTo(201);
        HttpResponse<String> patch = ditto.merge(path, "{}");
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(error(patch)).isEqualTo("gateway:method.notallowed");
        assertThat(ditto.delete(path + "/entries").statusCode()).isEqualTo(405);
        assertThat(ditto.post(path, POLICY).statusCode()).isEqualTo(405);

        HttpResponse<String> unknown = ditto.get(path + "/colours");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown)).isEqualTo("signals.commands:path.unknown");

        HttpResponse<String> badId = ditto.get("/api/2/policies/no-namespace");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(error(badId)).isEqualTo("policies:id.invalid");

        HttpResponse<String> tooLarge = ditto.put(path, "{\"entries\":{\"BIG\":{\"subjects\":{\"nginx:x\":{\"type\":\""
                + "x".repeat(300 * 1024) + "\"}},\"resources\":{}}}}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(error(tooLarge)).isEqualTo("policies:policy.toolarge");
    }
}
