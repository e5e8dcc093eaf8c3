package io.plantmesh.devices.gateway.edge;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.mapping.MachineMapping;
import io.plantmesh.devices.gateway.mapping.MessageKind;
import io.plantmesh.devices.gateway.mapping.NodeMapping;
import io.plantmesh.devices.gateway.mapping.ValueType;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;

/**
 * The edge processing of one machine: every sample is converted to the twin unit, checked against its alarm
 * thresholds (alarm events go out at once), aggregated over its window if configured, passed through its deadband,
 * and then either batched as telemetry (sent on {@link #flush}) or sent at once as an event (state changes). Pure
 * and single-threaded: the caller supplies the clock and owns the thread.
 */
public final class MachineSignalPipeline {

    /** A value of a mapped node as the machine reported it, with its source time in epoch ms. */
    public record Sample(NodeMapping node, Object value, long sourceTime) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MachineSignalPipeline.class);
    private static final Object REJECTED = new Object();

    private final String deviceId;
    private final Map<NodeMapping, NodeChain> chains;
    private final MachinePayloadBuilder telemetry;
    private final int eventLimit;
    private final CounterContinuity counters;

    public MachineSignalPipeline(final String deviceId, final MachineMapping mapping) {
        this(deviceId, mapping, MachinePayloadBuilder.HONO_PAYLOAD_LIMIT);
    }

    public MachineSignalPipeline(final String deviceId, final MachineMapping mapping, final int payloadLimit) {
        this(deviceId, mapping, payloadLimit, CounterContinuity.inMemory());
    }

    /**
     * @param counters keeps the integer properties of the {@code counters} feature (part counters) monotonic across
     *                 resets of the machine's counters
     */
    public MachineSignalPipeline(final String deviceId, final MachineMapping mapping, final int payloadLimit,
            final CounterContinuity counters) {
        this.counters = counters;
        this.deviceId = deviceId;
        this.chains = mapping.nodes().stream().collect(Collectors.toMap(n -> n, NodeChain::new));
        this.telemetry = new MachinePayloadBuilder(deviceId, payloadLimit);
        this.eventLimit = payloadLimit;
    }

    public String deviceId() {
        return deviceId;
    }

    /**
     * Processes the samples of one OPC-UA notification. Alarm events and one event payload for all changed event
     * properties are handed to {@code out} before this returns; telemetry waits for {@link #flush}.
     */
    public void accept(final List<Sample> samples, final long now, final Consumer<OutboundMessage> out) {
        final MachinePayloadBuilder events = new MachinePayloadBuilder(deviceId, eventLimit);
        for (final Sample sample : samples) {
            final NodeChain chain = chains.get(sample.node());
            if (chain == null) {
                LOG.warn("Sample for unmapped node {} of {} ignored", sample.node().node(), deviceId);
                continue;
            }
            chain.accept(sample, events, out);
        }
        if (!events.isEmpty()) {
            for (final byte[] payload : events.drain(now)) {
                out.accept(new OutboundMessage(deviceId, MessageKind.EVENT, MachinePayloadBuilder.CONTENT_TYPE,
                        payload));
            }
        }
    }

    /** Closes due aggregation windows and hands the batched telemetry to {@code out}. */
    public void flush(final long now, final Consumer<OutboundMessage> out) {
        for (final NodeChain chain : chains.values()) {
            chain.closeWindowIfDue(now);
        }
        if (telemetry.isEmpty()) {
            return;
        }
        for (final byte[] payload : telemetry.drain(now)) {
            out.accept(new OutboundMessage(deviceId, MessageKind.TELEMETRY, MachinePayloadBuilder.CONTENT_TYPE,
                    payload));
        }
    }

    /** Forgets the last reported values (after an OPC-UA reconnect the first values are reported again). */
    public void resetDeadbands() {
        chains.values().forEach(chain -> chain.deadband.reset());
    }

    private final class NodeChain {

        private final NodeMapping node;
        private final UnitNormalizer unit;
        private final DeadbandFilter deadband;
        private final WindowAggregator window;
        private final List<ThresholdAlarm> alarms = new ArrayList<>();

        NodeChain(final NodeMapping node) {
            this.node = node;
            this.unit = node.sourceUnit() == null ? UnitNormalizer.identity()
                    : UnitNormalizer.between(node.sourceUnit(), node.twinUnit());
            this.deadband = new DeadbandFilter(node.deadband());
            this.window = node.aggregation().enabled()
                    ? new WindowAggregator(node.aggregation().function(), node.aggregation().windowMillis())
                    : null;
            node.alarms().forEach(rule -> alarms.add(new ThresholdAlarm(rule, node.twinPointer(), node.property(),
                    node.twinUnit())));
        }

        void accept(final Sample sample, final MachinePayloadBuilder events, final Consumer<OutboundMessage> out) {
            Object value = convert(sample.value());
            if (value == REJECTED) {
                return;
            }
            if (value instanceof Long raw && MachineTwin.COUNTERS.equals(node.feature())) {
                // part counters are cumulative on the twin, whatever the PLC's counter does
                value = counters.continuous(deviceId + "/" + node.path(), raw);
            }
            if (value instanceof Number number) {
                for (final ThresholdAlarm alarm : alarms) {
                    alarm.evaluate(number.doubleValue(), sample.sourceTime()).ifPresent(event -> out.accept(
                            new OutboundMessage(deviceId, MessageKind.EVENT, AlarmEvent.CONTENT_TYPE,
                                    event.toJson().encode().getBytes(StandardCharsets.UTF_8))));
                }
            }
            if (window != null) {
                window.add(sample.sourceTime(), ((Number) value).doubleValue())
                        .ifPresent(result -> report(result.value(), result.windowEnd(), events));
                return;
            }
            report(value, sample.sourceTime(), events);
        }

        void closeWindowIfDue(final long now) {
            if (window != null) {
                window.closeIfDue(now).ifPresent(result -> report(result.value(), result.windowEnd(), null));
            }
        }

        private void report(final Object value, final long ts, final MachinePayloadBuilder events) {
            if (!deadband.accept(value)) {
                return;
            }
            final boolean event = node.kind() == MessageKind.EVENT && events != null;
            final MachinePayloadBuilder target = event ? events : telemetry;
            if (node.split() != null) {
                final String text = (String) value;
                target.put(node.feature(), node.property(), node.split().head(text));
                target.put(node.feature(), node.split().tailProperty(), node.split().tail(text));
            } else {
                target.put(node.feature(), node.property(), value);
            }
            if (node.sinceProperty() != null) {
                target.put(node.feature(), node.sinceProperty(), Instant.ofEpochMilli(ts).toString());
            }
        }

        /** The value in the twin's type and unit (null for an empty string), or {@link #REJECTED}. */
        private Object convert(final Object raw) {
            final ValueType type = node.valueType();
            if (raw == null) {
                return type == ValueType.STRING ? null : rejected(null);
            }
            switch (type) {
                case NUMBER, INTEGER -> {
                    if (!(raw instanceof Number number)) {
                        return rejected(raw);
                    }
                    final double converted = unit.apply(number.doubleValue());
                    if (!Double.isFinite(converted)) {
                        return rejected(raw);
                    }
                    return type == ValueType.INTEGER ? (Object) (long) converted : (Object) converted;
                }
                case BOOLEAN -> {
                    if (raw instanceof Boolean bool) {
                        return bool;
                    }
                    return raw instanceof Number number ? (Object) (number.doubleValue() != 0) : rejected(raw);
                }
                default -> {
                    final String text = raw.toString();
                    final boolean isStateNode = MachineTwin.STATE.equals(node.feature())
                            && "state".equals(node.property());
                    if (isStateNode && !isMachineState(text)) {
                        LOG.warn("{} of {} reported state '{}', which is not a machine state (RUNNING, IDLE, DOWN, "
                                + "MAINTENANCE, SETUP); ignored", node.node(), deviceId, text);
                        return REJECTED;
                    }
                    return text.isEmpty() ? null : text;
                }
            }
        }

        private Object rejected(final Object raw) {
            LOG.warn("{} of {} reported {} ({}), which is not a {} value; ignored", node.node(), deviceId, raw,
                    raw == null ? "null" : raw.getClass().getSimpleName(), node.valueType());
            return REJECTED;
        }

        private static boolean isMachineState(final String text) {
            for (final MachineState state : MachineState.values()) {
                if (state.name().equals(text)) {
                    return true;
                }
            }
            return false;
        }
    }
}
