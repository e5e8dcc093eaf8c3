// Machine states and work-order statuses: a word AND a colour (never colour alone), with a description for
// assistive technology.

import {html} from 'lit';

const DESCRIPTIONS = {
  RUNNING: 'running: producing',
  IDLE: 'idle: ready, no job',
  DOWN: 'down: faulted',
  MAINTENANCE: 'under maintenance',
  SETUP: 'setting up for a job',
  RELEASED: 'released: waiting for dispatch',
  DISPATCHED: 'dispatched to a machine',
  HELD: 'held',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
};

const KNOWN = new Set(Object.keys(DESCRIPTIONS));

/** A state badge: the word, coloured. */
export function stateBadge(state) {
  const word = state ?? 'UNKNOWN';
  const css = KNOWN.has(word) ? `state-${word}` : 'state-unknown';
  return html`<span class="state ${css}" title=${DESCRIPTIONS[word] ?? 'state not reported'}>${word}</span>`;
}
