/**
 * Degradation modes of the simulated machines (bearing wear, tool wear, hydraulic leak) with their signals,
 * operating programs, nuisances and ground truth. Off unless {@link
 * io.plantmesh.devices.simulator.degradation.DegradationSettings#enabled()}.
 */
package io.plantmesh.devices.simulator.degradation;
