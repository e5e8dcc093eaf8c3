package io.plantmesh.twin.server.http;

import static io.plantmesh.twin.server.http.ApiClient.error;
import static io.plantmesh.twin.server.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.eclipse.ditto.json.JsonFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** What every /api/2 request shares: authentication, whoami, unknown paths. */
class ApiBasicsTest {

    private static RunningTwinServer server;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void whoAmI() {
        HttpResponse<String> me = ApiClient.as(server, "alice").get("/api/2/whoami");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me)).isEqualTo(JsonFactory.newObject(
                "{\"defaultSubject\":\"nginx:alice\",\"subjects\":[\"nginx:alice\"]}"));

        HttpResponse<String> preAuthenticated = ApiClient.anonymous(server).get("/api/2/whoami",
                "x-ditto-pre-authenticated", "keycloak:line-lead");
        assertThat(json(preAuthenticated).getValue("defaultSubject").get().asString()).isEqualTo("keycloak:line-lead");

        assertThat(ApiClient.as(server, "alice").put("/api/2/whoami", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void noCredentialsIs401WithChallenge() {
        HttpResponse<String> r = ApiClient.anonymous(server).get("/api/2/things/plant.test:x");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(json(r).getValue("status").get().asInt()).isEqualTo(401);
    }

    @Test
    void unknownPathsAre404DittoErrors() {
        ApiClient ditto = ApiClient.as(server, "ditto");
        for (String path : new String[] {"/api/2/machines",
                "/api/2/policies", "/api/2/", "/api/2/connections/c1"}) {
            HttpResponse<String> r = ditto.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(error(r)).as(path).isEqualTo("signals.commands:path.unknown");
        }
    }

    @Test
    void correlationIdIsEchoedOnErrors() {
        HttpResponse<String> r = ApiClient.as(server, "ditto").get("/api/2/things/plant.test:none",
                "correlation-id", "trace-42");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("correlation-id")).hasValue("trace-42");
    }
}
