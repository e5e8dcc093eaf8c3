// Alerts derived live from the plant's twins: a machine DOWN, a work order on QUALITY hold, a material whose
// available stock is below its reorder point, a device offline (an MQTT machine whose connection Hono reports
// closed, an edge gateway offline, a machine its gateway cannot reach over OPC-UA), and a failure the maintenance
// service predicts. Acknowledgements are kept in this browser (localStorage).

const ACK_KEY = 'plantmesh.alerts.acknowledged';
const MAX_RESOLVED = 100;

/**
 * @typedef {object} Alert
 * @property {string} id stable for one occurrence (e.g. the DOWN since time), so a new occurrence alerts again
 * @property {'machine-down'|'quality-hold'|'stock-low'|'device-offline'|'predicted-failure'} type
 * @property {'critical'|'warning'} severity
 * @property {string} thingId
 * @property {string} title
 * @property {string} detail
 * @property {Date|null} since
 */

export class AlertFeed extends EventTarget {
  /** @param {import('./plant-store.js').PlantStore} plant */
  constructor(plant) {
    super();
    this.plant = plant;
    /** @type {Map<string, Alert>} */
    this.active = new Map();
    /** @type {Alert[]} newest first */
    this.resolved = [];
    this.acknowledged = new Set(readAcknowledged());
    plant.subscribe(() => this.refresh());
    this.refresh();
  }

  refresh() {
    const now = new Map();
    for (const machine of this.plant.machines()) {
      const state = machine.features?.state?.properties;
      if (state?.state === 'DOWN') {
        const alert = {id: `machine-down:${machine.thingId}:${state.since ?? ''}`, type: 'machine-down',
          severity: 'critical', thingId: machine.thingId,
          title: `${machine.attributes?.name ?? machine.thingId} is DOWN`,
          detail: state.reason ? `Reason: ${state.reason}` : 'No reason reported.', since: date(state.since)};
        now.set(alert.id, alert);
      }
    }
    for (const machine of this.plant.machines()) {
      const name = machine.attributes?.name ?? machine.thingId;
      const connectivity = machine.features?.connectivity?.properties;
      if (connectivity?.connected === false) {
        const alert = {id: `device-offline:${machine.thingId}:${connectivity.since ?? ''}`, type: 'device-offline',
          severity: 'critical', thingId: machine.thingId, title: `${name} is offline`,
          detail: 'Hono reports its connection closed: its twin shows the last values it sent.',
          since: date(connectivity.since)};
        now.set(alert.id, alert);
      }
      const health = machine.features?.health?.properties;
      const predicted = (health?.predictiveAlarms ?? []).find(a => a?.code === 'PREDICTED_FAILURE');
      if (predicted) {
        const at = date(health.predictedFailure?.at);
        const mode = health.suspectedMode ?? predicted.failureMode;
        const alert = {id: `predicted-failure:${machine.thingId}:${predicted.since ?? ''}`, type: 'predicted-failure',
          severity: 'warning', thingId: machine.thingId, title: `${name}: failure predicted`,
          detail: `${mode ? `${mode.replaceAll('_', ' ').toLowerCase()}` : 'degradation'}${at
            ? `, failure expected around ${at.toLocaleString()}` : ''}${health.maintenanceRequest?.status
            ? ` (maintenance window ${health.maintenanceRequest.status.toLowerCase()})` : ''}.`,
          since: date(predicted.since)};
        now.set(alert.id, alert);
      }
    }
    for (const gateway of this.plant.gateways()) {
      const name = gateway.attributes?.name ?? gateway.thingId;
      const connectivity = gateway.features?.connectivity?.properties;
      if (connectivity?.connected === false && connectivity.since) {
        const alert = {id: `device-offline:${gateway.thingId}:${connectivity.since}`, type: 'device-offline',
          severity: 'critical', thingId: gateway.thingId, title: `${name} is offline`,
          detail: 'Its machines\' data waits in the gateway\'s buffer until it is back.',
          since: date(connectivity.since)};
        now.set(alert.id, alert);
      }
      const sessions = gateway.features?.opcua?.properties?.machines ?? {};
      for (const [machineId, session] of Object.entries(sessions)) {
        if (session?.session === 'RECONNECTING') {
          const machine = this.plant.get(machineId);
          const alert = {id: `device-offline:${machineId}:opcua`, type: 'device-offline', severity: 'critical',
            thingId: machineId, title: `${machine?.attributes?.name ?? machineId} is unreachable over OPC-UA`,
            detail: `${name} is reconnecting${session.lastError ? `: ${session.lastError}` : ''}.`,
            since: date(gateway.features?.opcua?.properties?.reportedAt)};
          now.set(alert.id, alert);
        }
      }
    }
    for (const order of this.plant.orders()) {
      const status = order.features?.status?.properties;
      if (status?.status === 'HELD' && status.reasonCode === 'QUALITY') {
        const since = status.times?.HELD;
        const alert = {id: `quality-hold:${order.thingId}:${since ?? ''}`, type: 'quality-hold', severity: 'warning',
          thingId: order.thingId, title: `Work order ${order.thingId} is on quality hold`,
          detail: status.reason ?? 'No reason given.', since: date(since)};
        now.set(alert.id, alert);
      }
    }
    for (const material of this.plant.materials()) {
      const reorderPoint = material.attributes?.reorderPoint;
      const stock = material.features?.stock?.properties;
      const available = stock?.available ?? stock?.onHand;
      if (typeof reorderPoint === 'number' && typeof available === 'number' && available < reorderPoint) {
        const alert = {id: `stock-low:${material.thingId}`, type: 'stock-low', severity: 'warning',
          thingId: material.thingId,
          title: `${material.attributes?.materialNumber ?? material.thingId} below its reorder point`,
          detail: `${available} ${material.attributes?.unit ?? ''} available, reorder point ${reorderPoint}.`,
          since: date(stock?.lastMovement?.at)};
        now.set(alert.id, alert);
      }
    }
    for (const [id, alert] of this.active) {
      if (!now.has(id)) {
        this.resolved.unshift({...alert, resolvedAt: new Date()});
      }
    }
    this.resolved.length = Math.min(this.resolved.length, MAX_RESOLVED);
    const changed = now.size !== this.active.size || [...now.keys()].some(id => !this.active.has(id));
    this.active = now;
    if (changed) {
      this.dispatchEvent(new CustomEvent('change'));
    }
  }

  /** Active alerts, newest first. */
  list() {
    return [...this.active.values()].sort((a, b) => (b.since?.getTime() ?? 0) - (a.since?.getTime() ?? 0));
  }

  isAcknowledged(alert) {
    return this.acknowledged.has(alert.id);
  }

  unacknowledgedCount() {
    return this.list().filter(alert => !this.isAcknowledged(alert)).length;
  }

  acknowledge(alert) {
    this.acknowledged.add(alert.id);
    // keep only acknowledgements of alerts that are still active, so the stored set stays small
    const keep = [...this.acknowledged].filter(id => this.active.has(id));
    this.acknowledged = new Set(keep);
    try {
      localStorage.setItem(ACK_KEY, JSON.stringify(keep));
    } catch {
      // storage full or disabled: the acknowledgement lasts until the page is reloaded
    }
    this.dispatchEvent(new CustomEvent('change'));
  }
}

function readAcknowledged() {
  try {
    const stored = JSON.parse(localStorage.getItem(ACK_KEY) ?? '[]');
    return Array.isArray(stored) ? stored : [];
  } catch {
    return [];
  }
}

function date(text) {
  const parsed = text ? new Date(text) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
}
