// Plant overview: each line with its KPIs and its machines as tiles (state by colour and word, current work order,
// key process values with units, OEE). Live: re-rendered from the plant store, which the SSE stream keeps current.

import {html} from 'lit';
import {repeat} from 'lit/directives/repeat.js';
import {context} from '../context.js';
import {LightElement} from '../ui/light-element.js';
import {errorPanel} from '../ui/error-panel.js';
import {stateBadge} from '../ui/states.js';
import {NONE, number, percent, shortId, twinHref} from '../ui/format.js';
import {unitOf} from '../ui/units.js';

const MACHINE = 'io.plantmesh:machine:1.0.0';
/** The key process values a tile shows, the first three a machine reports. */
const KEY_VALUES = ['spindleSpeed', 'temperature', 'vibration', 'power'];
const STATES = ['RUNNING', 'IDLE', 'SETUP', 'MAINTENANCE', 'DOWN'];

class PlantOverview extends LightElement {
  connectedCallback() {
    super.connectedCallback();
    this.followPlant(context.plant);
  }

  render() {
    const plant = context.plant;
    if (!plant.loaded) {
      return html`<h1 class="view-title" tabindex="-1">Plant overview</h1>
        ${plant.error ? errorPanel(plant.error, () => plant.load())
            : html`<p role="status">Loading the plant's twins…</p>`}`;
    }
    const lines = plant.lines();
    const machines = plant.machines();
    const counts = Object.fromEntries(STATES.map(s => [s, 0]));
    machines.forEach(m => {
      const s = m.features?.state?.properties?.state;
      if (s in counts) {
        counts[s]++;
      }
    });
    return html`
      <div class="d-flex flex-wrap align-items-baseline gap-3 mb-2">
        <h1 class="view-title mb-0" tabindex="-1">Plant overview</h1>
        <span class="kpi" data-testid="plant-summary">${plural(lines.length, 'line')}, ${plural(machines.length,
          'machine')}:
          ${STATES.map(s => html`<span class="me-2">${stateBadge(s)} <b>${counts[s]}</b></span>`)}</span>
      </div>
      ${plant.error ? errorPanel(plant.error, () => plant.load()) : null}
      ${lines.map(line => this.renderLine(line))}
      ${this.renderUnassigned(lines, machines)}`;
  }

  renderLine(line) {
    const kpi = line.features?.kpi?.properties ?? {};
    const machines = context.plant.machinesOf(line);
    const headingId = `line-${shortId(line.thingId)}`;
    return html`
      <section class="line-block" data-line=${line.thingId} aria-labelledby=${headingId}>
        <div class="line-head">
          <h2 id=${headingId}><a href=${twinHref(line.thingId)}>${line.attributes?.name ?? line.thingId}</a>
            <span class="text-muted small">${shortId(line.thingId)}</span></h2>
          <span class="kpi">OEE <b>${percent(kpi.oee)}</b></span>
          <span class="kpi">Throughput <b>${number(kpi.throughput, 'parts/h')}</b></span>
          <span class="kpi">WIP <b>${typeof kpi.wip === 'number' ? kpi.wip : NONE}</b> orders</span>
          <span class="kpi">Queue <b>${line.features?.schedule?.properties?.queue?.length ?? 0}</b></span>
        </div>
        <div class="tiles" role="list">
          ${repeat(machines, machine => machine.thingId, machine => this.renderTile(machine))}
        </div>
      </section>`;
  }

  renderTile(machine) {
    const state = machine.features?.state?.properties?.state;
    const telemetry = machine.features?.telemetry?.properties ?? {};
    const job = machine.features?.job;
    const workOrder = job?.properties?.workOrder ?? job?.desiredProperties?.workOrder;
    const values = KEY_VALUES.filter(k => typeof telemetry[k] === 'number').slice(0, 3);
    const oee = machine.features?.oee?.properties?.oee;
    const name = machine.attributes?.name ?? shortId(machine.thingId);
    // the tile shows the position (M1-03) anyway: "Machining centre 1-03" reads as "Machining centre"
    const position = shortId(machine.thingId).replace('machine-', '');
    const shortName = name.endsWith(` ${position}`) ? name.slice(0, -position.length - 1) : name;
    const label = `${name}, ${state ?? 'state unknown'}`
        + (workOrder ? `, work order ${shortId(workOrder)}` : ', no work order')
        + values.map(k => `, ${k} ${number(telemetry[k], unitOf(MACHINE, 'telemetry', k))}`).join('')
        + `, OEE ${percent(oee)}`;
    return html`
      <a class="tile" role="listitem" href=${twinHref(machine.thingId)} data-machine=${machine.thingId}
         data-state=${state ?? 'UNKNOWN'} aria-label=${label}>
        <div class="name" title=${name}>${shortName}</div>
        <div class="d-flex justify-content-between align-items-center">
          ${stateBadge(state)}<span class="muted">${shortId(machine.thingId).replace('machine-', 'M')}</span>
        </div>
        <div class="muted" data-testid="work-order">${workOrder ? shortId(workOrder) : 'no order'}</div>
        ${values.map(k => html`<div class="pv">${number(telemetry[k], unitOf(MACHINE, 'telemetry', k))}</div>`)}
        <div class="pv">OEE ${percent(oee)}</div>
      </a>`;
  }

  renderUnassigned(lines, machines) {
    const lineIds = new Set(lines.map(l => l.thingId));
    const orphans = machines.filter(m => !lineIds.has(m.attributes?.line));
    if (orphans.length === 0) {
      return null;
    }
    return html`<section class="line-block" aria-label="Machines without a line">
      <div class="line-head"><h2>Machines of no known line</h2></div>
      <div class="tiles" role="list">${orphans.map(m => this.renderTile(m))}</div></section>`;
  }
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

customElements.define('pm-overview', PlantOverview);
