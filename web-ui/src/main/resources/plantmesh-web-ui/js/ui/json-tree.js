// A JSON value as a readable, keyboard-navigable tree (details/summary), with units where the model has them.

import {html} from 'lit';

/**
 * @param {*} value
 * @param {(path: string[]) => string} [unitAt] the unit of the leaf at a path, or ''
 * @param {string[]} [path]
 */
export function jsonTree(value, unitAt, path = []) {
  if (value === null || typeof value !== 'object') {
    const unit = unitAt ? unitAt(path) : '';
    return html`<span class="value">${JSON.stringify(value)}</span>${unit ? html` <span class="text-muted">${unit}</span>`
        : null}`;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length === 0) {
    return html`<span class="value">${Array.isArray(value) ? '[]' : '{}'}</span>`;
  }
  return html`<ul class=${path.length === 0 ? 'tree' : ''}>
    ${entries.map(([key, child]) => child !== null && typeof child === 'object'
        ? html`<li><details ?open=${path.length < 2}><summary><span class="key">${key}</span>
              <span class="text-muted small">${Array.isArray(child) ? `[${child.length}]` : ''}</span></summary>
              ${jsonTree(child, unitAt, [...path, key])}</details></li>`
        : html`<li><span class="key">${key}</span>: ${jsonTree(child, unitAt, [...path, key])}</li>`)}
  </ul>`;
}
