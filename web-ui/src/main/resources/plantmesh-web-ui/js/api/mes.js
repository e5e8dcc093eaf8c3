// The MES API (docs/mes-api.md): line schedules and work-order actions.

export class MesApi {
  /** @param {import('./http.js').ApiClient} client */
  constructor(client) {
    this.client = client;
  }

  available() {
    return this.client.available('mes');
  }

  /** {line, name, plant, queue: [{position, workOrder, machine, plannedStart, plannedEnd, status, ...}]} */
  async schedule(lineId) {
    return this.client.get('mes', `/lines/${encodeURIComponent(lineId)}/schedule`);
  }

  async workOrder(id) {
    return this.client.get('mes', `/work-orders/${encodeURIComponent(id)}`);
  }

  /**
   * hold, release, resume or cancel; resolves with the order as it is now.
   * @param {string} action
   * @param {string} id
   * @param {string} [reason]
   */
  async act(action, id, reason) {
    const response = await this.client.request('mes', `/work-orders/${encodeURIComponent(id)}/${action}`, {
      method: 'POST', json: reason ? {reason} : {},
    });
    return response.body;
  }
}

/** The actions the MES API allows for an order status (its lifecycle), so buttons show only where they apply. */
export function actionsFor(status, reasonCode) {
  switch (status) {
    case 'RELEASED':
    case 'DISPATCHED':
    case 'RUNNING':
      return ['hold', 'cancel'];
    case 'HELD':
      return !reasonCode || reasonCode === 'MANUAL' ? ['release', 'resume', 'cancel'] : ['resume', 'cancel'];
    default:
      return [];
  }
}
