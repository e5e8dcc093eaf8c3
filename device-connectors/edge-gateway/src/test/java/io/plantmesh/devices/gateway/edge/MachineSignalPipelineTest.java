package io.plantmesh.devices.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.devices.gateway.edge.MachineSignalPipeline.Sample;
import io.plantmesh.devices.gateway.mapping.MachineMapping;
import io.plantmesh.devices.gateway.mapping.MappingLoader;
import io.plantmesh.devices.gateway.mapping.MessageKind;
import io.plantmesh.devices.gateway.mapping.NodeMapping;
import io.plantmesh.devices.gateway.mapping.SplitSpec;
import io.plantmesh.devices.gateway.support.TestMappings;
import io.vertx.core.json.JsonObject;

class MachineSignalPipelineTest {

    private final MachineMapping mapping = TestMappings.retrofit();
    private final MachineSignalPipeline pipeline = new MachineSignalPipeline("plant1:machine-1-01", mapping);
    private final List<OutboundMessage> out = new ArrayList<>();

    @Test
    void normalisesUnitsAppliesDeadbandsAndBatchesTelemetryUntilFlush() {
        pipeline.accept(List.of(sample("{key}.SpindleSpeed", 100.0), sample("{key}.Temperature", 104.0),
                sample("{key}.Power", 2500.0), sample("{key}.GoodCount", 17)), 1_000, out::add);
        assertThat(out).as("telemetry waits for the flush").isEmpty();
        pipeline.flush(1_200, out::add);
        assertThat(out).hasSize(1);
        final JsonObject first = json(out.get(0));
        assertThat(out.get(0).kind()).isEqualTo(MessageKind.TELEMETRY);
        assertThat(out.get(0).contentType()).isEqualTo("application/vnd.plantmesh.machine+json");
        assertThat(first.getLong("ts")).isEqualTo(1_200L);
        final JsonObject telemetry = first.getJsonObject("features").getJsonObject("telemetry");
        assertThat(telemetry.getDouble("spindleSpeed")).isCloseTo(954.929658, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(telemetry.getDouble("temperature")).isCloseTo(40.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(telemetry.getDouble("power")).isEqualTo(2.5);
        assertThat(first.getJsonObject("features").getJsonObject("counters").getLong("good")).isEqualTo(17L);

        out.clear();
        // 100.3 rad/s is 2.9 rpm more (deadband 5 rpm); 104.1 °F is 0.056 °C more (deadband 0.1 °C)
        pipeline.accept(List.of(sample("{key}.SpindleSpeed", 100.3), sample("{key}.Temperature", 104.1)), 1_300,
                out::add);
        pipeline.flush(1_400, out::add);
        assertThat(out).as("both changes are inside their deadbands").isEmpty();
        pipeline.accept(List.of(sample("{key}.SpindleSpeed", 101.0)), 1_500, out::add);
        pipeline.flush(1_600, out::add);
        assertThat(out).hasSize(1);
        assertThat(json(out.get(0)).getJsonObject("features").getJsonObject("telemetry").fieldNames())
                .containsExactly("spindleSpeed");
    }

    @Test
    void stateChangesGoOutAtOnceAsOneEventWithSince() {
        pipeline.accept(List.of(sample("{key}.State", "RUNNING", 1764144000000L),
                sample("{key}.StateReason", "", 1764144000000L)), 1764144000100L, out::add);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).kind()).isEqualTo(MessageKind.EVENT);
        assertThat(out.get(0).payloadText()).isEqualTo("{\"ts\":1764144000100,\"features\":{\"state\":{\"state\":"
                + "\"RUNNING\",\"since\":\"2025-11-26T08:00:00Z\",\"reason\":null}}}");
        out.clear();
        pipeline.accept(List.of(sample("{key}.State", "RUNNING", 1764144001000L)), 1764144001000L, out::add);
        assertThat(out).as("no change, no event").isEmpty();
        pipeline.accept(List.of(sample("{key}.State", "EXPLODED", 1764144002000L)), 1764144002000L, out::add);
        assertThat(out).as("not a machine state").isEmpty();
    }

    @Test
    void thresholdCrossingsBecomeAlarmEventsImmediately() {
        // 180 °F = 82.2 °C: above the 80 °C warning
        pipeline.accept(List.of(sample("{key}.Temperature", 180.0)), 5_000, out::add);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).kind()).isEqualTo(MessageKind.EVENT);
        assertThat(out.get(0).contentType()).isEqualTo("application/vnd.plantmesh.alarm+json");
        final JsonObject alarm = json(out.get(0)).getJsonObject("alarm");
        assertThat(alarm.getString("code")).isEqualTo("TEMP_HIGH");
        assertThat(alarm.getString("severity")).isEqualTo("warning");
        assertThat(alarm.getString("path")).isEqualTo("features/telemetry/properties/temperature");
        assertThat(alarm.getDouble("threshold")).isEqualTo(80.0);
        assertThat(alarm.getBoolean("active")).isTrue();
    }

    @Test
    void jobIdIsReportedAsWorkOrderAndOperationLikeMqttMachines() {
        final MachineMapping spindle = MappingLoader.bundled().get("cnc-spindle");
        final MachineSignalPipeline cnc = new MachineSignalPipeline("plant1:machine-1-03", spindle);
        final NodeMapping jobId = spindle.nodes().stream().filter(n -> n.node().equals("{key}.JobId")).findFirst()
                .orElseThrow();

        cnc.accept(List.of(new Sample(jobId, "plant1:wo-100001/10", 1_000)), 1_000, out::add);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).kind()).isEqualTo(MessageKind.EVENT);
        assertThat(json(out.get(0)).getJsonObject("features")).isEqualTo(new JsonObject()
                .put("job", new JsonObject().put("workOrder", "plant1:wo-100001").put("operation", "10")));

        out.clear();
        // the work order id itself may contain '/': the operation is after the last one
        cnc.accept(List.of(new Sample(jobId, "plant1:wo/a/20", 2_000)), 2_000, out::add);
        assertThat(json(out.get(0)).getJsonObject("features").getJsonObject("job"))
                .isEqualTo(new JsonObject().put("workOrder", "plant1:wo/a").put("operation", "20"));

        out.clear();
        cnc.accept(List.of(new Sample(jobId, "", 3_000)), 3_000, out::add);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).payloadText()).isEqualTo("{\"ts\":3000,\"features\":{\"job\":{\"workOrder\":null,"
                + "\"operation\":null}}}");
    }

    @Test
    void splitWithoutSeparatorKeepsTheWholeValueAsHead() {
        final SplitSpec split = new SplitSpec("/", "operation");
        assertThat(split.head("plant1:wo-1")).isEqualTo("plant1:wo-1");
        assertThat(split.tail("plant1:wo-1")).isNull();
        assertThat(split.head(null)).isNull();
        assertThat(split.tail("")).isNull();
        assertThat(split.tail("plant1:wo-1/")).isNull();
    }

    @Test
    void aPartCounterResetByTheMachineContinuesUpwardsOnTheTwin() {
        pipeline.accept(List.of(sample("{key}.GoodCount", 17)), 1_000, out::add);
        pipeline.accept(List.of(sample("{key}.GoodCount", 18)), 1_100, out::add);
        pipeline.flush(1_200, out::add);
        // the PLC restarted without retained counters
        pipeline.accept(List.of(sample("{key}.GoodCount", 0)), 1_300, out::add);
        pipeline.flush(1_400, out::add);
        pipeline.accept(List.of(sample("{key}.GoodCount", 2)), 1_500, out::add);
        pipeline.flush(1_600, out::add);
        assertThat(out).extracting(m -> json(m).getJsonObject("features").getJsonObject("counters").getLong("good"))
                .as("the reset to 0 is no change on the twin (18 + 0); 2 more parts make 20").containsExactly(18L, 20L);
    }

    private Sample sample(final String node, final Object value) {
        return sample(node, value, 1_000);
    }

    private Sample sample(final String node, final Object value, final long ts) {
        final NodeMapping mapped = mapping.nodes().stream().filter(n -> n.node().equals(node)).findFirst()
                .orElseThrow();
        return new Sample(mapped, value, ts);
    }

    private static JsonObject json(final OutboundMessage message) {
        return new JsonObject(message.payloadText());
    }
}
