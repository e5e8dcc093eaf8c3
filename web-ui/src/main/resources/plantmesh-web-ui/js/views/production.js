// Production: work orders (status, priority, due date, progress) live from their twins; hold, release, resume and
// cancel through the MES API; reprioritise by writing the order twin's priority (If-Match on the revision shown); quality and other holds; and a per-machine schedule timeline of a line from the MES
// API's line schedule, fetched again whenever the line's schedule twin changes (so reschedules after a fault show).

import {html} from 'lit';
import {repeat} from 'lit/directives/repeat.js';
import {context} from '../context.js';
import {LightElement} from '../ui/light-element.js';
import {errorPanel} from '../ui/error-panel.js';
import {stateBadge} from '../ui/states.js';
import {dateTime, number, shortId, time, toDate, twinHref} from '../ui/format.js';
import {actionsFor} from '../api/mes.js';

const STATUSES = ['RELEASED', 'DISPATCHED', 'RUNNING', 'HELD', 'COMPLETED', 'CANCELLED'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ACTION_LABELS = {hold: 'Hold', release: 'Release', resume: 'Resume', cancel: 'Cancel'};

class ProductionView extends LightElement {
  static properties = {
    line: {state: true},
    status: {state: true},
    schedule: {state: true},
    scheduleError: {state: true},
    actionResult: {state: true},
    busy: {state: true},
  };

  constructor() {
    super();
    this.line = null;
    this.status = 'open';
    this.schedule = null;
    this.scheduleError = null;
    this.actionResult = null;
    this.busy = null;
    this.lastQueue = null;
    this.scheduleTimer = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this.followPlant(context.plant, ids => this.onPlantChange(ids));
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.scheduleTimer);
  }

  onPlantChange(ids) {
    const line = this.currentLine();
    if (line && (ids.has('*') || ids.has(line))) {
      const queue = JSON.stringify(context.plant.get(line)?.features?.schedule?.properties?.queue ?? []);
      if (queue !== this.lastQueue) {
        this.lastQueue = queue;
        // coalesce bursts of line changes into one MES request
        clearTimeout(this.scheduleTimer);
        this.scheduleTimer = setTimeout(() => this.loadSchedule(), 300);
      }
    }
    this.requestUpdate();
  }

  currentLine() {
    return this.line ?? context.plant.lines()[0]?.thingId ?? null;
  }

  async loadSchedule() {
    const line = this.currentLine();
    if (!line || !context.mes.available() || this.scheduleLoading) {
      return;
    }
    this.scheduleLoading = true;
    try {
      const schedule = await context.mes.schedule(line);
      // the user may have picked another line meanwhile
      if (line === this.currentLine()) {
        this.schedule = schedule;
        this.scheduleError = null;
      }
    } catch (e) {
      this.scheduleError = e;
    } finally {
      this.scheduleLoading = false;
      this.requestUpdate();
    }
  }

  pickLine(lineId) {
    this.line = lineId;
    this.schedule = null;
    this.scheduleError = null;
    this.lastQueue = null;
  }

  async act(action, order) {
    this.busy = `${action}:${order.thingId}`;
    this.actionResult = null;
    try {
      const moved = await context.mes.act(action, order.thingId, `${ACTION_LABELS[action]} from the web UI`);
      this.actionResult = {ok: `${ACTION_LABELS[action]}: ${order.thingId} is now ${moved?.status?.status ?? 'changed'}.`};
    } catch (e) {
      this.actionResult = {error: e, retry: () => this.act(action, order)};
    } finally {
      this.busy = null;
    }
  }

  render() {
    const plant = context.plant;
    if (!plant.loaded) {
      return html`<h1 class="view-title" tabindex="-1">Production</h1>
        ${plant.error ? errorPanel(plant.error, () => plant.load()) : html`<p role="status">Loading…</p>`}`;
    }
    if (this.schedule === null && this.scheduleError === null && context.mes.available()) {
      queueMicrotask(() => this.loadSchedule());
    }
    const line = this.currentLine();
    const lineTwin = plant.get(line);
    const kpi = lineTwin?.features?.kpi?.properties ?? {};
    const orders = plant.orders().filter(o => o.attributes?.line === line);
    const shown = orders.filter(o => {
      const s = o.features?.status?.properties?.status;
      return this.status === 'all' || (this.status === 'open' ? !['COMPLETED', 'CANCELLED'].includes(s)
          : s === this.status);
    }).sort(byPriorityThenDue);
    const held = orders.filter(o => o.features?.status?.properties?.status === 'HELD');
    return html`
      <h1 class="view-title" tabindex="-1">Production</h1>
      <div class="d-flex flex-wrap gap-3 align-items-end mb-2">
        <div>
          <label class="form-label small mb-0" for="production-line">Line</label>
          <select class="form-select form-select-sm" id="production-line" @change=${e => this.pickLine(e.target.value)}>
            ${plant.lines().map(l => html`<option value=${l.thingId} ?selected=${l.thingId === line}>
              ${l.attributes?.name ?? l.thingId}</option>`)}
          </select>
        </div>
        <span class="kpi">WIP <b>${kpi.wip ?? '—'}</b> orders</span>
        <span class="kpi">Held <b>${held.length}</b></span>
        <span class="kpi">Throughput <b>${number(kpi.throughput, 'parts/h')}</b></span>
      </div>
      ${this.actionResult?.ok ? html`<div class="alert alert-success small" role="status">${this.actionResult.ok}</div>`
          : null}
      ${this.actionResult?.error ? errorPanel(this.actionResult.error, this.actionResult.retry) : null}
      <h2 class="section-title">Schedule by machine</h2>
      ${this.renderSchedule(lineTwin)}
      ${held.length ? html`<h2 class="section-title">Holds</h2>${this.renderOrders(held.sort(byPriorityThenDue),
          'held-orders')}` : null}
      <div class="d-flex align-items-end gap-3">
        <h2 class="section-title">Work orders</h2>
        <div class="mb-2">
          <label class="form-label small mb-0" for="order-status">Status</label>
          <select class="form-select form-select-sm" id="order-status" @change=${e => (this.status = e.target.value)}>
            <option value="open" ?selected=${this.status === 'open'}>Open (not completed or cancelled)</option>
            <option value="all" ?selected=${this.status === 'all'}>All</option>
            ${STATUSES.map(s => html`<option value=${s} ?selected=${this.status === s}>${s}</option>`)}
          </select>
        </div>
      </div>
      ${this.renderOrders(shown, 'work-orders')}`;
  }

  renderOrders(orders, testId) {
    if (orders.length === 0) {
      return html`<p class="small">No work orders.</p>`;
    }
    return html`
      <table class="table table-sm table-hover bg-white" data-testid=${testId}>
        <caption class="visually-hidden">Work orders</caption>
        <thead><tr><th scope="col">Order</th><th scope="col">Material</th><th scope="col">Status</th>
          <th scope="col">Machine</th><th scope="col" class="num">Priority</th><th scope="col">Due</th>
          <th scope="col">Progress</th><th scope="col">Actions</th></tr></thead>
        <tbody>${repeat(orders, order => order.thingId, order => this.renderOrder(order))}</tbody>
      </table>`;
  }

  renderOrder(order) {
    const status = order.features?.status?.properties ?? {};
    const progress = order.features?.progress?.properties ?? {};
    const quantity = order.attributes?.quantity ?? 0;
    const good = progress.good ?? 0;
    const fraction = quantity > 0 ? Math.min(1, good / quantity) : 0;
    // actions only for roles the MES API lets change orders (planner, production-supervisor, it-admin)
    const actions = context.mes.available() && context.auth.may('orders.change')
        ? actionsFor(status.status, status.reasonCode) : [];
    return html`<tr data-order=${order.thingId} data-status=${status.status ?? ''}>
      <td><a href=${twinHref(order.thingId)}>${shortId(order.thingId)}</a></td>
      <td>${order.attributes?.material ?? '—'} × ${quantity}</td>
      <td>${stateBadge(status.status)}${status.reasonCode ? html` <span class="small">${status.reasonCode}</span>`
          : null}</td>
      <td>${status.machine ? html`<a href=${twinHref(status.machine)}>${shortId(status.machine)}</a>` : '—'}</td>
      <td class="num">${this.renderPriority(order, status.status)}</td>
      <td>${dateTime(order.attributes?.dueDate)}</td>
      <td><div class="d-flex align-items-center gap-2">
        <div class="progress progress-thin flex-grow-1" role="progressbar" aria-label=${`${good} of ${quantity} good`}
          aria-valuenow=${good} aria-valuemin="0" aria-valuemax=${quantity}>
          <div class="progress-bar bg-success" style=${`width: ${Math.round(fraction * 100)}%`}></div></div>
        <span class="small text-nowrap">${good}/${quantity}${progress.scrap ? `, ${progress.scrap} scrap` : ''}</span>
      </div></td>
      <td class="text-nowrap">${actions.map(action => html`
        <button type="button" class="btn btn-outline-secondary btn-sm py-0" ?disabled=${this.busy !== null}
          @click=${() => this.act(action, order)} aria-label=${`${ACTION_LABELS[action]} ${order.thingId}`}
          data-action=${action}>${ACTION_LABELS[action]}</button>`)}</td>
    </tr>`;
  }

  /** The priority (1 = most urgent .. 9), a picker for roles that may change it while the order is open. */
  renderPriority(order, status) {
    const priority = order.attributes?.priority;
    if (!context.auth.may('orders.reprioritise') || ['COMPLETED', 'CANCELLED'].includes(status)) {
      return priority ?? '—';
    }
    return html`<select class="form-select form-select-sm py-0 priority-select" data-priority=${order.thingId}
      aria-label=${`Priority of ${order.thingId} (1 = most urgent)`} ?disabled=${this.busy !== null}
      @change=${e => this.reprioritise(order, Number(e.target.value))}>
      ${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(p => html`<option value=${p} ?selected=${p === priority}>${p}</option>`)}
    </select>`;
  }

  /** Writes the new priority on the order twin, only if it is still at the revision shown; the MES replans. */
  async reprioritise(order, priority) {
    this.busy = `priority:${order.thingId}`;
    this.actionResult = null;
    try {
      await context.twins.mergeAtRevision(order.thingId, {attributes: {priority}}, order._revision);
      this.actionResult = {ok: `Priority of ${order.thingId} is now ${priority}; the MES plans it accordingly.`};
    } catch (e) {
      this.actionResult = {error: e, retry: () => this.reprioritise(context.plant.get(order.thingId) ?? order,
          priority)};
    } finally {
      this.busy = null;
      this.requestUpdate();
    }
  }

  renderSchedule(lineTwin) {
    if (!context.mes.available()) {
      return html`<p class="small">The web UI runs without the MES API: no schedule to show.</p>`;
    }
    if (this.scheduleError) {
      return errorPanel(this.scheduleError, () => this.loadSchedule());
    }
    if (!this.schedule) {
      return html`<p class="small" role="status">Loading the schedule from the MES…</p>`;
    }
    const queue = this.schedule.queue ?? [];
    const machines = context.plant.machinesOf(lineTwin ?? {thingId: this.schedule.line});
    const now = Date.now();
    const starts = queue.map(e => toDate(e.plannedStart)?.getTime()).filter(Boolean);
    const ends = queue.map(e => toDate(e.plannedEnd)?.getTime()).filter(Boolean);
    // from a little before now (or the earliest start) to the latest end, within 2 h back and 24 h ahead
    const from = Math.max(now - 2 * HOUR, Math.min(now - HOUR / 4, ...starts));
    const to = Math.min(now + 24 * HOUR, Math.max(now + HOUR, ...ends));
    const span = to - from;
    const clamp = t => Math.min(to, Math.max(from, t));
    const left = t => `${((clamp(t) - from) / span) * 100}%`;
    const rows = machines.map(m => ({machine: m, entries: queue.filter(e => e.machine === m.thingId)}));
    const unassigned = queue.filter(e => !e.machine);
    return html`
      <div class="gantt" data-testid="schedule" aria-describedby="schedule-table-caption">
        ${rows.map(({machine, entries}) => html`
          <div class="gantt-row" data-machine=${machine.thingId}>
            <div class="gantt-label"><a href=${twinHref(machine.thingId)}>${machine.attributes?.name
                ?? shortId(machine.thingId)}</a></div>
            <div class="gantt-track">
              <div class="gantt-now" style=${`left: ${left(now)}`} title="now"></div>
              ${entries.map(e => {
                const start = clamp(toDate(e.plannedStart)?.getTime() ?? now);
                const end = clamp(Math.max(toDate(e.plannedEnd)?.getTime() ?? start + 5 * MINUTE, start + MINUTE));
                return html`<a class="gantt-bar" href=${twinHref(e.workOrder)} data-status=${e.status ?? ''}
                  data-order=${e.workOrder} style=${`left: ${left(start)}; width: ${((end - start) / span) * 100}%`}
                  title=${`${e.workOrder} ${e.status ?? ''}: ${time(e.plannedStart)} to ${time(e.plannedEnd)}`}>
                  ${shortId(e.workOrder)}</a>`;
              })}
            </div>
          </div>`)}
        <div class="gantt-axis" aria-hidden="true"><span>${time(new Date(from))}</span>
          <span>${time(new Date(from + span / 2))}</span><span>${time(new Date(to))}</span></div>
      </div>
      <details class="mt-2">
        <summary class="small">The schedule as a table (${queue.length} entries${unassigned.length
            ? `, ${unassigned.length} not yet on a machine` : ''})</summary>
        <table class="table table-sm bg-white" data-testid="schedule-table">
          <caption id="schedule-table-caption" class="small">Queue of ${this.schedule.name ?? this.schedule.line}
            as the MES dispatched it</caption>
          <thead><tr><th scope="col">#</th><th scope="col">Order</th><th scope="col">Machine</th>
            <th scope="col">Status</th><th scope="col">Planned start</th><th scope="col">Planned end</th></tr></thead>
          <tbody>${queue.map(e => html`<tr data-order=${e.workOrder}>
            <td>${e.position}</td><td>${shortId(e.workOrder)}</td><td>${e.machine ? shortId(e.machine) : '—'}</td>
            <td>${e.missing ? 'missing' : stateBadge(e.status)}</td><td>${dateTime(e.plannedStart)}</td>
            <td>${dateTime(e.plannedEnd)}</td></tr>`)}</tbody>
        </table>
      </details>`;
  }
}

function byPriorityThenDue(a, b) {
  return (a.attributes?.priority ?? 9) - (b.attributes?.priority ?? 9)
      || String(a.attributes?.dueDate ?? '').localeCompare(String(b.attributes?.dueDate ?? ''))
      || a.thingId.localeCompare(b.thingId);
}

customElements.define('pm-production', ProductionView);
