// Whether the live stream is up, in the header, and a banner with the reason and the next retry while it is down.

import {html} from 'lit';
import {context} from '../context.js';
import {LightElement} from './light-element.js';
import {explain} from '../api/errors.js';
import {time} from './format.js';

class LiveStatus extends LightElement {
  static properties = {banner: {type: Boolean}};

  connectedCallback() {
    super.connectedCallback();
    this.listener = () => this.requestUpdate();
    context.plant.stream.addEventListener('state', this.listener);
    // while down, the countdown to the next retry changes every second
    this.ticker = setInterval(() => {
      if (context.plant.stream.state.phase === 'down') {
        this.requestUpdate();
      }
    }, 1000);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    context.plant.stream.removeEventListener('state', this.listener);
    clearInterval(this.ticker);
  }

  render() {
    const state = context.plant.stream.state;
    if (this.banner) {
      if (state.phase !== 'down') {
        return null;
      }
      const seconds = Math.max(0, Math.ceil(((state.nextRetryAt?.getTime() ?? Date.now()) - Date.now()) / 1000));
      const why = state.error ? explain(state.error, context.auth) : null;
      return html`<div class="alert alert-warning live-banner py-1 small" role="alert" data-testid="live-down">
        <strong>Live updates are down</strong> since ${time(state.downSince)}: ${why?.title ?? 'connection lost'}.
        ${why?.detail ?? ''} Values on screen may be stale. Reconnecting in ${seconds} s (attempt ${state.attempt}).
        <button type="button" class="btn btn-sm btn-outline-dark py-0 ms-2"
          @click=${() => context.plant.stream.reconnectNow()}>Reconnect now</button></div>`;
    }
    const words = {live: 'Live', connecting: 'Connecting…', down: 'Reconnecting…', stopped: 'Not live'};
    const dot = state.phase === 'live' ? 'live' : state.phase === 'down' ? 'down' : 'connecting';
    return html`<span class="live-status text-white" role="status" data-testid="live-status"
      data-phase=${state.phase}><span class="live-dot ${dot}" aria-hidden="true"></span>${words[state.phase]}</span>`;
  }
}

customElements.define('pm-live-status', LiveStatus);
