// A trend of one numeric property of the open twin over the last hour: its history (Ditto's history API) and then
// the changes the live stream brings. Says where the history comes from, or why there is none.

import {html} from 'lit';
import uPlot from 'uplot';
import {LightElement} from '../ui/light-element.js';
import {errorPanel} from '../ui/error-panel.js';
import {time} from '../ui/format.js';
import {TrendSamples} from '../live/trend-samples.js';

const WINDOW_SECONDS = TrendSamples.WINDOW_SECONDS;

class TrendChart extends LightElement {
  static properties = {
    /** @type {import('../live/trend-samples.js').TrendSamples} */
    samples: {attribute: false},
    unitOf: {attribute: false},
    /** changes whenever new samples arrived, so the chart redraws */
    tick: {attribute: false},
    /** the history's state, see TwinPage.loadHistory */
    history: {attribute: false},
    /** reads the history again */
    retry: {attribute: false},
    selected: {state: true},
  };

  constructor() {
    super();
    this.samples = null;
    this.history = null;
    this.selected = null;
    this.plot = null;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = null;
  }

  keys() {
    return this.samples?.keys() ?? [];
  }

  render() {
    const keys = this.keys();
    const selected = this.selected && keys.includes(this.selected) ? this.selected
        : keys.find(k => k.includes('/telemetry/')) ?? keys[0] ?? null;
    this.current = selected;
    return html`
      <section class="panel" aria-labelledby="trend-heading" data-testid="trend">
        <h2 class="section-title mt-0" id="trend-heading">Trend of the last hour</h2>
        ${this.renderHistory()}
        ${keys.length === 0 ? html`<p class="small text-muted">No numeric property has been reported.</p>` : html`
          <label class="form-label small mb-0" for="trend-property">Property</label>
          <select class="form-select form-select-sm mb-2" id="trend-property"
            @change=${e => (this.selected = e.target.value)}>
            ${keys.map(k => html`<option value=${k} ?selected=${k === selected}>${k.replace('features/', '')
                .replace('/properties/', ': ')}</option>`)}
          </select>
          <div class="trend-plot" role="img" aria-label=${`Trend of ${selected}: ${this.summary(selected)}`}
            data-testid="trend-plot" data-values=${this.samples.get(selected).length}></div>`}
      </section>`;
  }

  /** Where the values come from: the history (since when), or why it is missing; then live. */
  renderHistory() {
    const h = this.history;
    if (!h) {
      return null;
    }
    const status = (text, kind = 'text-muted') => html`
      <p class="small ${kind} mb-1" role="status" data-testid="trend-history" data-phase=${h.phase}
        data-count=${h.count ?? ''}>${text}</p>`;
    switch (h.phase) {
      case 'loading':
        return status('Reading the last hour from the twin\'s history…');
      case 'ready':
        return status(`From the twin's history since ${time(h.since)} (${h.count} values), then live.`);
      case 'partial':
        return html`${status(html`The twin API keeps this twin's history only since ${time(h.since)}: older values of
          the last hour are gone. Shown: ${h.count} values since then, then live.`, 'text-warning-emphasis')}
          <details class="small mb-1"><summary>Why</summary>${h.error?.message}
            ${h.error?.description ? html`<div>${h.error.description}</div>` : null}</details>`;
      case 'unavailable':
        return html`${status(html`<strong>No history:</strong> ${h.error?.message} Shown: the values since this
          page opened.`, 'text-warning-emphasis')}`;
      default:
        return html`
          ${status('The twin\'s history could not be read; shown: the values since this page opened.',
              'text-danger')}
          ${errorPanel(h.error, this.retry)}`;
    }
  }

  summary(key) {
    const series = this.samples?.get(key) ?? [];
    if (series.length === 0) {
      return 'no values';
    }
    const last = series[series.length - 1][1];
    return `${series.length} values in the last hour, latest ${last} ${this.unitOf?.(key) ?? ''}`;
  }

  updated() {
    const target = this.querySelector('.trend-plot');
    if (!target || !this.current) {
      this.plot?.destroy();
      this.plot = null;
      return;
    }
    const series = this.samples.get(this.current);
    const data = [series.map(s => s[0]), series.map(s => s[1])];
    const width = Math.max(280, target.clientWidth || 600);
    if (!this.plot || this.plotKey !== this.current || this.plot.root.parentElement !== target) {
      this.plot?.destroy();
      const unit = this.unitOf?.(this.current) ?? '';
      // the time axis always spans the last hour, so a short history does not look like a long one
      const lastHour = () => {
        const now = Date.now() / 1000;
        return [now - WINDOW_SECONDS, now];
      };
      this.plot = new uPlot({width, height: 180, legend: {show: false},
        scales: {x: {time: true, range: lastHour}},
        series: [{}, {label: this.current, stroke: '#0a58ca', width: 2}],
        axes: [{}, {label: unit || undefined}]}, data, target);
      this.plotKey = this.current;
    } else {
      this.plot.setData(data);
    }
  }
}

customElements.define('pm-trend-chart', TrendChart);
