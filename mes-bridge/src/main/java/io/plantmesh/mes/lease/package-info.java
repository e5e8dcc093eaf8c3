/**
 * Leases on the resources (lines) an MES bridge instance acts on, in MongoDB collection {@code mes_leases}, so two
 * instances never act on the same line and a dead instance's lines are taken over after its leases expire:
 * {@link io.plantmesh.mes.lease.LeaseStore} (atomic acquire, renew, release on one document per resource, with an
 * epoch as fencing token) and {@link io.plantmesh.mes.lease.LeaseKeeper} (periodic renewal on Vert.x, loss detection
 * with a safety margin, {@link io.plantmesh.mes.lease.LeaseListener} callbacks).
 */
package io.plantmesh.mes.lease;
