/**
 * The MES API (Vert.x Web): line schedules, work orders (create, release, hold, resume, cancel) and ISA-95 / B2MML
 * views, answered from the twins; described by {@code openapi.yaml} next to these classes and by docs/mes-api.md.
 * Entry point: {@link io.plantmesh.mes.api.MesApi}.
 */
package io.plantmesh.mes.api;
