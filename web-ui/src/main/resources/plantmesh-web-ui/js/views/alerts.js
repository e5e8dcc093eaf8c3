// Alerts: a live feed of machines DOWN, quality holds, stock below the reorder point, devices offline and predicted
// failures, each linked to its twin, with acknowledge (kept in this browser).

import {html} from 'lit';
import {context} from '../context.js';
import {LightElement} from '../ui/light-element.js';
import {time, twinHref} from '../ui/format.js';

const TYPE_LABELS = {'machine-down': 'Machine down', 'quality-hold': 'Quality hold', 'stock-low': 'Stock low',
  'device-offline': 'Device offline', 'predicted-failure': 'Failure predicted'};

class AlertsView extends LightElement {
  connectedCallback() {
    super.connectedCallback();
    this.listener = () => this.requestUpdate();
    context.alerts.addEventListener('change', this.listener);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    context.alerts.removeEventListener('change', this.listener);
  }

  render() {
    const feed = context.alerts;
    const active = feed.list();
    const open = active.filter(a => !feed.isAcknowledged(a));
    const acknowledged = active.filter(a => feed.isAcknowledged(a));
    return html`
      <h1 class="view-title" tabindex="-1">Alerts</h1>
      <p class="small" role="status" data-testid="alert-summary">${open.length} to acknowledge,
        ${acknowledged.length} acknowledged, live.</p>
      <ul class="list-unstyled" data-testid="alerts" aria-label="Active alerts">
        ${[...open, ...acknowledged].map(alert => this.renderAlert(alert, feed.isAcknowledged(alert)))}
      </ul>
      ${active.length === 0 ? html`<p>No active alerts: no machine is down or offline, no failure is predicted, no
        order is on quality hold, no material is below its reorder point.</p>` : null}
      ${feed.resolved.length ? html`
        <h2 class="section-title">Resolved since this page opened</h2>
        <ul class="small" data-testid="resolved-alerts">${feed.resolved.slice(0, 20).map(a => html`
          <li>${time(a.resolvedAt)}: ${a.title} — resolved</li>`)}</ul>` : null}`;
  }

  renderAlert(alert, acknowledged) {
    return html`
      <li class="panel alert-item d-flex gap-3 align-items-start ${acknowledged ? 'acknowledged' : ''}"
        data-alert=${alert.type} data-thing-id=${alert.thingId}>
        <span class="badge ${alert.severity === 'critical' ? 'text-bg-danger' : 'text-bg-warning'}">
          ${alert.severity === 'critical' ? 'CRITICAL' : 'WARNING'}</span>
        <div class="flex-grow-1">
          <div><strong>${TYPE_LABELS[alert.type]}:</strong> <a href=${twinHref(alert.thingId)}>${alert.title}</a></div>
          <div class="small">${alert.detail}${alert.since ? ` Since ${time(alert.since)}.` : ''}</div>
        </div>
        ${acknowledged ? html`<span class="small">acknowledged</span>` : html`
          <button type="button" class="btn btn-outline-secondary btn-sm" @click=${() => context.alerts.acknowledge(alert)}
            aria-label=${`Acknowledge: ${alert.title}`}>Acknowledge</button>`}
      </li>`;
  }
}

customElements.define('pm-alerts', AlertsView);
