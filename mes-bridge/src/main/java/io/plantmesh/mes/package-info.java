/**
 * The MES bridge: reconciles what the twins say about the shop floor into production decisions (dispatch,
 * rescheduling, WIP, quality holds, OEE) and writes them back to the twins. See the module README.
 */
package io.plantmesh.mes;
