package io.plantmesh.maintenance.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Plant time that a test moves forward; shared by the simulated machines, the MES and the maintenance service. */
public final class SettableClock extends Clock {

    private volatile Instant now;

    public SettableClock(final Instant start) {
        this.now = start;
    }

    public void set(final Instant value) {
        now = value;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        return this;
    }
}
