package io.plantmesh.devices.gateway.buffer;

/**
 * A snapshot of the store-and-forward buffer's counters.
 *
 * @param buffered messages held now (not yet acknowledged)
 * @param bufferedBytes bytes of the segment files now
 * @param appended messages appended since the buffer was opened
 * @param drained messages removed after PUBACK (QoS 1) or write (QoS 0) since the buffer was opened
 * @param droppedTelemetry telemetry messages dropped to respect the bound since the buffer was opened
 * @param boundBytes the configured bound
 */
public record BufferCounters(long buffered, long bufferedBytes, long appended, long drained, long droppedTelemetry,
        long boundBytes) {
}
