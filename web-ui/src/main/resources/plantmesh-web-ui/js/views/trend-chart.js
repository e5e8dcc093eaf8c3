// A trend of one numeric property of the open twin, from the values the live stream brought since the page opened.
// (The last hour from Ditto's history API needs the twin server to serve it: see docs/ui.md.)

import {html} from 'lit';
import uPlot from 'uplot';
import {LightElement} from '../ui/light-element.js';

class TrendChart extends LightElement {
  static properties = {
    samples: {attribute: false},
    unitOf: {attribute: false},
    /** changes whenever new samples arrived (the twin's revision), so the chart redraws */
    tick: {attribute: false},
    selected: {state: true},
  };

  constructor() {
    super();
    this.samples = new Map();
    this.selected = null;
    this.plot = null;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = null;
  }

  keys() {
    return [...this.samples.keys()].sort();
  }

  render() {
    const keys = this.keys();
    const selected = this.selected && keys.includes(this.selected) ? this.selected
        : keys.find(k => k.includes('/telemetry/')) ?? keys[0] ?? null;
    this.current = selected;
    return html`
      <section class="panel" aria-labelledby="trend-heading">
        <h2 class="section-title mt-0" id="trend-heading">Trend since this page opened</h2>
        ${keys.length === 0 ? html`<p class="small text-muted">No numeric property has been reported yet.</p>` : html`
          <label class="form-label small mb-0" for="trend-property">Property</label>
          <select class="form-select form-select-sm mb-2" id="trend-property"
            @change=${e => (this.selected = e.target.value)}>
            ${keys.map(k => html`<option value=${k} ?selected=${k === selected}>${k.replace('features/', '')
                .replace('/properties/', ': ')}</option>`)}
          </select>
          <div class="trend-plot" role="img" aria-label=${`Trend of ${selected}: ${this.summary(selected)}`}></div>`}
      </section>`;
  }

  summary(key) {
    const series = this.samples.get(key) ?? [];
    if (series.length === 0) {
      return 'no values';
    }
    const last = series[series.length - 1][1];
    return `${series.length} values, latest ${last} ${this.unitOf?.(key) ?? ''}`;
  }

  updated() {
    const target = this.querySelector('.trend-plot');
    if (!target || !this.current) {
      this.plot?.destroy();
      this.plot = null;
      return;
    }
    const series = this.samples.get(this.current) ?? [];
    const data = [series.map(s => s[0]), series.map(s => s[1])];
    const width = Math.max(280, target.clientWidth || 600);
    if (!this.plot || this.plotKey !== this.current || this.plot.root.parentElement !== target) {
      this.plot?.destroy();
      const unit = this.unitOf?.(this.current) ?? '';
      this.plot = new uPlot({width, height: 180, legend: {show: false},
        series: [{}, {label: this.current, stroke: '#0a58ca', width: 2}],
        axes: [{}, {label: unit || undefined}]}, data, target);
      this.plotKey = this.current;
    } else {
      this.plot.setData(data);
    }
  }
}

customElements.define('pm-trend-chart', TrendChart);
