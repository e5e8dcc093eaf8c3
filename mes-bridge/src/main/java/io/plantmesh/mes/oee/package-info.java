/**
 * OEE (overall equipment effectiveness) of machines and lines from twin state: {@link io.plantmesh.mes.oee.OeeTracker}
 * keeps each machine's state intervals and counter samples in memory, {@link io.plantmesh.mes.oee.OeeCalculator}
 * turns them into availability, performance and quality over a time range, {@link io.plantmesh.mes.oee.OeeHistoryStore}
 * persists the history in MongoDB. Formulas and definitions: {@code docs/mes-oee.md}.
 */
package io.plantmesh.mes.oee;
