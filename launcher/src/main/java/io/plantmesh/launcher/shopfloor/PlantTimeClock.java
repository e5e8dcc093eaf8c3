package io.plantmesh.launcher.shopfloor;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.plantmesh.devices.simulator.ShopFloorSimulator;

/** The simulated plant's time as a {@link Clock}, so the MES plans in the same time the machines report. */
final class PlantTimeClock extends Clock {

    private final ShopFloorSimulator simulator;

    PlantTimeClock(ShopFloorSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public Instant instant() {
        return simulator.plantTime();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
