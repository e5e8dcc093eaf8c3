// An API error as a message the engineer can act on, with a Retry button.

import {html} from 'lit';
import {explain} from '../api/errors.js';
import {context} from '../context.js';

/**
 * @param {Error|null} error
 * @param {Function} [retry] called by the Retry button
 */
export function errorPanel(error, retry) {
  if (!error) {
    return null;
  }
  const {title, detail, advice, retry: retryable, signIn} = explain(error, context.auth);
  return html`
    <div class="alert alert-danger" role="alert" data-error-status=${error.status ?? ''}>
      <strong>${title}</strong>
      ${detail ? html`<div class="small">${detail}</div>` : null}
      <div class="small mt-1">${advice}</div>
      ${signIn ? html`
        <button type="button" class="btn btn-sm btn-primary mt-2" data-testid="sign-in-again"
          @click=${() => context.auth.signIn()}>Sign in again</button>` : null}
      ${retry && retryable !== false ? html`
        <button type="button" class="btn btn-sm btn-outline-danger mt-2" @click=${retry}>Retry</button>` : null}
      ${retry && retryable === false && !signIn ? html`
        <button type="button" class="btn btn-sm btn-outline-secondary mt-2" @click=${retry}>Try again</button>`
        : null}
    </div>`;
}
