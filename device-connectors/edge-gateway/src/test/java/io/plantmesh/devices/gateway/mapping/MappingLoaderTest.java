package io.plantmesh.devices.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.plantmesh.devices.gateway.MachineDevice;

class MappingLoaderTest {

    private static final String VALID_NODE = "{\"node\":\"{key}.Temperature\",\"path\":\"telemetry/temperature\","
            + "\"sourceUnit\":\"°F\",\"twinUnit\":\"°C\"}";

    @Test
    void bundledMappingsLoadAndFollowTheSimulatorContract() {
        final Map<String, MachineMapping> bundled = MappingLoader.bundled();
        assertThat(bundled).containsOnlyKeys("cnc-spindle", "process-cell");
        final MachineMapping spindle = bundled.get("cnc-spindle");
        assertThat(spindle.nodes()).extracting(NodeMapping::node).contains("{key}.State", "{key}.StateReason",
                "{key}.SpindleSpeed", "{key}.Temperature", "{key}.Vibration", "{key}.Power", "{key}.GoodCount",
                "{key}.ScrapCount", "{key}.CycleTimeMs", "{key}.JobId");
        assertThat(spindle.nodes()).filteredOn(n -> n.node().equals("{key}.State")).singleElement()
                .satisfies(n -> {
                    assertThat(n.kind()).isEqualTo(MessageKind.EVENT);
                    assertThat(n.path()).isEqualTo("state/state");
                    assertThat(n.nodeIdFor("L1M03")).isEqualTo("L1M03.State");
                });
        final NodeMapping temperature = spindle.nodes().stream().filter(n -> n.property().equals("temperature"))
                .findFirst().orElseThrow();
        assertThat(temperature.alarms()).containsExactly(new AlarmRule("TEMP_HIGH", AlarmRule.Direction.ABOVE, 80.0,
                95.0, 2.0));
        assertThat(spindle.command("startJob")).get().satisfies(c -> {
            assertThat(c.method()).isEqualTo("StartJob");
            assertThat(c.arguments()).extracting(CommandMapping.Argument::name).containsExactly("workOrder",
                    "operation");
        });
        assertThat(bundled.get("process-cell").nodes()).noneMatch(n -> n.property().equals("spindleSpeed"));
        // the MES's planned maintenance reaches every machine type (simulator: StartMaintenance(Double, String))
        for (final MachineMapping mapping : bundled.values()) {
            assertThat(mapping.command("startMaintenance")).as(mapping.machineType()).get().satisfies(c -> {
                assertThat(c.method()).isEqualTo("StartMaintenance");
                assertThat(c.arguments()).containsExactly(
                        new CommandMapping.Argument("durationMinutes", CommandMapping.ArgumentType.DOUBLE),
                        new CommandMapping.Argument("reason", CommandMapping.ArgumentType.STRING));
            });
        }
    }

    @Test
    void readsDefaultsAndOptionalParts() {
        final MachineMapping mapping = MappingLoader.parse("t.json", "{\"machineType\":\"t\",\"nodes\":["
                + VALID_NODE + "]}");
        final NodeMapping node = mapping.nodes().get(0);
        assertThat(node.kind()).isEqualTo(MessageKind.TELEMETRY);
        assertThat(node.valueType()).isEqualTo(ValueType.NUMBER);
        assertThat(node.samplingIntervalMs()).isEqualTo(250.0);
        assertThat(node.queueSize()).isEqualTo(10);
        assertThat(node.deadband()).isEqualTo(DeadbandSpec.NONE);
        assertThat(node.aggregation().enabled()).isFalse();
        assertThat(mapping.commands()).isEmpty();
    }

    @Test
    void errorsNameFileEntryAndProblem() {
        assertError("{\"machineType\":\"t\",\"nodes\":[" + VALID_NODE + "], \"comands\":{}}",
                "bad.json: unknown field 'comands' (known: commands, description, machineType, nodes)");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.Temperature\",\"path\":\"telemetry/temperature\","
                + "\"samplingInterval\":100}]}",
                "bad.json: nodes[0]: unknown field 'samplingInterval'");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"telemetry/t\","
                + "\"sourceUnit\":\"°X\"}]}",
                "bad.json: nodes[0] ({key}.T): unknown unit '°X'");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"telemetry/t\","
                + "\"sourceUnit\":\"W\",\"twinUnit\":\"mm/s\"}]}",
                "bad.json: nodes[0] ({key}.T): cannot convert power 'W' to velocity 'mm/s'");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"temperature\"}]}",
                "bad.json: nodes[0] ({key}.T): path 'temperature' must be <feature>/<property>");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"engine/t\"}]}",
                "feature 'engine' is not a machine feature");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"L1M01.T\",\"path\":\"telemetry/t\"}]}",
                "nodes[0] (L1M01.T): node must contain the machine key placeholder {key}");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"telemetry/t\","
                + "\"alarms\":[{\"code\":\"TEMP_HIGH\",\"warning\":90,\"critical\":80}]}]}",
                "bad.json: nodes[0] ({key}.T): alarms[0]: alarm 'TEMP_HIGH': critical threshold 80.0 must be above "
                        + "the warning threshold 90.0 for direction above");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"telemetry/t\","
                + "\"kind\":\"alarm\"}]}",
                "field 'kind' is 'alarm', expected one of: telemetry, event");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.S\",\"path\":\"state/state\","
                + "\"type\":\"string\",\"deadband\":{\"type\":\"absolute\",\"value\":1}}]}",
                "deadband: a deadband needs a number or integer node, this one is STRING");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"telemetry/t\","
                + "\"deadband\":{\"type\":\"percent\",\"value\":150}}]}",
                "a percent deadband must be in 0..100, got 150.0");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"telemetry/t\","
                + "\"aggregation\":{\"function\":\"avg\"}}]}",
                "aggregation: missing field 'windowMs'");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"telemetry/t\","
                + "\"queueSize\":0}]}", "queueSize must be a whole number in 1..10000, got 0.0");
        assertError("{\"machineType\":\"t\",\"nodes\":[" + VALID_NODE + "," + VALID_NODE + "]}",
                "bad.json: nodes[1]: node '{key}.Temperature' is mapped twice");
        assertError("{\"machineType\":\"t\",\"nodes\":[]}", "'nodes' is empty");
        assertError("{\"machineType\":\"t\",\"nodes\":[" + VALID_NODE + "],\"commands\":{\"startJob\":"
                + "{\"method\":\"StartJob\",\"arguments\":[{\"name\":\"a\"},{\"name\":\"a\"}]}}}",
                "bad.json: commands: startJob: arguments[1]: argument 'a' is declared twice");
        assertError("{\"machineType\":", "bad.json: not valid JSON");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.T\",\"path\":\"telemetry/t\","
                + "\"split\":{\"separator\":\"/\",\"tailProperty\":\"u\"}}]}",
                "split: split needs a string node, this one is NUMBER");
        assertError("{\"machineType\":\"t\",\"nodes\":[{\"node\":\"{key}.J\",\"path\":\"job/workOrder\","
                + "\"type\":\"string\",\"split\":{\"separator\":\"/\",\"tailProperty\":\"operation\"}},"
                + "{\"node\":\"{key}.O\",\"path\":\"job/operation\",\"type\":\"string\"}]}",
                "twin path 'job/operation' is the target of two nodes");
    }

    @Test
    void bundledJobIdIsSplitIntoWorkOrderAndOperation() {
        for (final MachineMapping mapping : MappingLoader.bundled().values()) {
            assertThat(mapping.nodes()).filteredOn(n -> n.node().equals("{key}.JobId")).singleElement()
                    .satisfies(n -> {
                        assertThat(n.path()).isEqualTo("job/workOrder");
                        assertThat(n.split()).isEqualTo(new SplitSpec("/", "operation"));
                    });
        }
    }

    @Test
    void deviceListsAreValidatedAgainstMappingsAndThingIds() {
        final Set<String> types = Set.of("cnc-spindle");
        final var devices = DeviceListLoader.fromClasspath("io/plantmesh/devices/gateway/mappings/plant1-devices.json",
                types);
        assertThat(devices).first().isEqualTo(new MachineDevice("plant1:machine-1-01",
                "opc.tcp://127.0.0.1:4841/plantmesh", "cnc-spindle", "L1M01"));
        assertThatThrownBy(() -> DeviceListLoader.parse("d.json", "{\"plant\":\"plant1\",\"devices\":[{\"thingId\":"
                + "\"plant1:machine-1-01\",\"endpoint\":\"opc.tcp://h:1/p\",\"machineType\":\"robot\"}]}", types))
                .hasMessage("d.json: devices[0]: machine type 'robot' has no mapping (known: cnc-spindle)");
        assertThatThrownBy(() -> DeviceListLoader.parse("d.json", "{\"plant\":\"plant1\",\"devices\":[{\"thingId\":"
                + "\"plant1:line-1\",\"endpoint\":\"opc.tcp://h:1/p\",\"machineType\":\"cnc-spindle\"}]}", types))
                .hasMessageStartingWith("d.json: devices[0]: 'plant1:line-1' is a LINE id, expected a MACHINE id");
    }

    private static void assertError(final String json, final String expected) {
        assertThatThrownBy(() -> MappingLoader.parse("bad.json", json)).isInstanceOf(MappingException.class)
                .hasMessageContaining(expected);
    }
}
