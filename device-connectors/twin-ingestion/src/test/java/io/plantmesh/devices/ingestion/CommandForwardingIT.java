package io.plantmesh.devices.ingestion;

import static io.plantmesh.devices.ingestion.support.TestPlant.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.ingestion.support.CommandResponder;
import io.plantmesh.devices.ingestion.support.TestPlant;

/**
 * A Ditto live message to a machine twin's inbox becomes a Hono command on {@code hono.command.plant1}; a response
 * on {@code hono.command_response.plant1} (written here by a test responder playing Hono and the device) answers the
 * HTTP request with the device's status and payload.
 */
class CommandForwardingIT {

    private static final String TENANT = "plant1";

    private static TestPlant plant;
    private static TwinIngestion ingestion;
    private static CommandResponder responder;
    private static ThingId machine;

    @BeforeAll
    static void start() throws Exception {
        plant = TestPlant.start(TENANT);
        machine = plant.createMachine(TENANT, 1, 3);
        ingestion = TwinIngestion.create(plant.ingestionConfig(TENANT, "it-commands")
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(3)));
        ingestion.start();
        responder = plant.commandResponder(TENANT, CommandForwardingIT::answer);
    }

    @AfterAll
    static void stop() throws Exception {
        if (responder != null) {
            responder.close();
        }
        if (ingestion != null) {
            ingestion.close();
        }
        if (plant != null) {
            plant.close();
        }
    }

    /** Plays the device: startJob → 200, holdJob → 409, offline → Hono's 503 delivery failure, stopJob → silence. */
    private static ProducerRecord<String, byte[]> answer(ConsumerRecord<String, byte[]> command) {
        String subject = header(command, "subject");
        return switch (subject) {
            case "startJob" -> response(command, 200, "application/json",
                    "{\"accepted\":true,\"message\":\"job started\"}");
            case "holdJob" -> response(command, 409, "application/json",
                    "{\"accepted\":false,\"message\":\"no job running\"}");
            case "offline" -> response(command, 503,
                    "application/vnd.eclipse-hono-delivery-failure-notification+json",
                    "{\"error\":\"device is not connected\"}");
            default -> null;
        };
    }

    private static ProducerRecord<String, byte[]> response(ConsumerRecord<String, byte[]> command, int status,
            String contentType, String body) {
        List<Header> headers = List.of(
                TestPlant.header("correlation-id", header(command, "correlation-id")),
                TestPlant.header("status", Integer.toString(status)),
                TestPlant.header("device_id", command.key()),
                TestPlant.header("tenant_id", TENANT),
                TestPlant.header("content-type", contentType),
                TestPlant.header("creation-time", Long.toString(System.currentTimeMillis())));
        return new ProducerRecord<>("hono.command_response." + TENANT, null, command.key(),
                body.getBytes(StandardCharsets.UTF_8), headers);
    }

    @Test
    void liveMessageBecomesACommandAndTheDevicesAnswerComesBack() {
        String body = "{\"workOrder\":\"plant1:wo-000123\",\"operation\":\"0010\"}";
        HttpResponse<String> response = plant.postInboxMessage(machine, "startJob", body, 20);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonObject.of(response.body())).isEqualTo(
                JsonObject.of("{\"accepted\":true,\"message\":\"job started\"}"));
        ConsumerRecord<String, byte[]> command = responder.seen().stream()
                .filter(r -> "startJob".equals(header(r, "subject"))).findFirst().orElseThrow();
        assertThat(command.topic()).isEqualTo("hono.command." + TENANT);
        assertThat(command.key()).isEqualTo(machine.toString());
        assertThat(header(command, "device_id")).isEqualTo(machine.toString());
        assertThat(header(command, "correlation-id")).isNotBlank();
        assertThat(header(command, "response-required")).isEqualTo("true");
        assertThat(header(command, "content-type")).isEqualTo("application/json");
        assertThat(JsonObject.of(new String(command.value(), StandardCharsets.UTF_8)))
                .isEqualTo(JsonObject.of(body));
    }

    @Test
    void theDevicesErrorStatusAndBodyArePassedOn() {
        HttpResponse<String> response = plant.postInboxMessage(machine, "holdJob", "{}", 20);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(JsonObject.of(response.body()).getValue("accepted")).contains(JsonValue.of(false));
    }

    @Test
    void honosDeliveryFailureBecomes503WithTheReason() {
        HttpResponse<String> response = plant.postInboxMessage(machine, "offline", "{}", 20);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("plantmesh:device.unreachable").contains("device is not connected");
    }

    @Test
    void noResponseFromTheDeviceIs408WithAClearMessage() {
        HttpResponse<String> response = plant.postInboxMessage(machine, "stopJob", "{}", 20);

        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(response.body()).contains("plantmesh:command.timeout").contains(machine.toString())
                .contains("did not answer");
        assertThat(responder.seen()).anyMatch(r -> "stopJob".equals(header(r, "subject")));
    }
}
