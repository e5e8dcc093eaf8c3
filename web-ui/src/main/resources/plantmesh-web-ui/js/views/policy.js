// A policy: its entries with subjects, resources, grants and revokes, and "what can this role do here": the READ and
// WRITE an entry's subjects get on the parts of a twin, evaluated as Ditto does (a grant applies to the resource and
// everything below it; a revoke on the resource or above it wins over any grant).

import {html} from 'lit';
import {context} from '../context.js';
import {LightElement} from '../ui/light-element.js';
import {errorPanel} from '../ui/error-panel.js';
import {twinHref} from '../ui/format.js';

const PERMISSIONS = ['READ', 'WRITE'];

class PolicyView extends LightElement {
  static properties = {
    policyId: {attribute: false},
    thingId: {attribute: false},
    policy: {state: true},
    thing: {state: true},
    error: {state: true},
    role: {state: true},
  };

  constructor() {
    super();
    this.policy = null;
    this.thing = null;
    this.error = null;
    this.role = null;
  }

  willUpdate(changed) {
    if (changed.has('policyId') || changed.has('thingId')) {
      this.load();
    }
  }

  async load() {
    this.error = null;
    try {
      const [policy, thing] = await Promise.all([
        context.twins.policy(this.policyId),
        this.thingId ? context.twins.thing(this.thingId).catch(() => null) : Promise.resolve(null),
      ]);
      this.policy = policy;
      this.thing = thing;
      const labels = Object.keys(policy?.entries ?? {});
      this.role = labels.includes(this.role) ? this.role : labels[0] ?? null;
    } catch (e) {
      this.error = e;
    }
  }

  render() {
    return html`
      <h1 class="view-title" tabindex="-1">Policy ${this.policyId}</h1>
      ${this.thingId ? html`<p class="small">Governs <a href=${twinHref(this.thingId)}>${this.thingId}</a> (and every
        twin with this policy id).</p>` : null}
      ${errorPanel(this.error, () => this.load())}
      ${this.policy ? this.renderPolicy() : this.error ? null : html`<p role="status">Loading the policy…</p>`}`;
  }

  renderPolicy() {
    const entries = Object.entries(this.policy.entries ?? {});
    return html`
      <div class="row g-3">
        <div class="col-xl-7">
          <h2 class="section-title mt-0">Entries</h2>
          ${entries.map(([label, entry]) => html`
            <section class="panel" data-policy-entry=${label} aria-label=${`Entry ${label}`}>
              <h3 class="h6">${label}</h3>
              <div class="small mb-1">Subjects:
                ${Object.entries(entry.subjects ?? {}).map(([id, subject]) => html`
                  <code class="me-2" title=${subject?.type ?? ''}>${id}</code>`)}</div>
              <table class="table table-sm mb-0">
                <caption class="visually-hidden">Resources of entry ${label}</caption>
                <thead><tr><th scope="col">Resource</th><th scope="col">Grant</th><th scope="col">Revoke</th></tr></thead>
                <tbody>${Object.entries(entry.resources ?? {}).map(([resource, rights]) => html`
                  <tr><td><code>${resource}</code></td><td>${(rights.grant ?? []).join(', ') || '—'}</td>
                    <td>${(rights.revoke ?? []).join(', ') || '—'}</td></tr>`)}</tbody>
              </table>
            </section>`)}
        </div>
        <div class="col-xl-5">${this.renderRole(entries)}</div>
      </div>`;
  }

  renderRole(entries) {
    const entry = this.policy.entries?.[this.role];
    if (!entry) {
      return null;
    }
    const subjects = new Set(Object.keys(entry.subjects ?? {}));
    // every entry that names one of this role's subjects counts, as in Ditto
    const applicable = entries.filter(([, e]) => Object.keys(e.subjects ?? {}).some(s => subjects.has(s)))
        .map(([, e]) => e);
    const resources = this.resourcesOfInterest();
    return html`
      <section class="panel" aria-labelledby="role-heading" data-testid="role-view">
        <h2 class="section-title mt-0" id="role-heading">What can this role see and do here?</h2>
        <label class="form-label small mb-0" for="policy-role">Role (policy entry)</label>
        <select class="form-select form-select-sm mb-2" id="policy-role" @change=${e => (this.role = e.target.value)}>
          ${entries.map(([label]) => html`<option ?selected=${label === this.role}>${label}</option>`)}
        </select>
        <table class="table table-sm mb-1">
          <caption class="small">Subjects ${[...subjects].join(', ')}</caption>
          <thead><tr><th scope="col">Part</th>${PERMISSIONS.map(p => html`<th scope="col">${p}</th>`)}</tr></thead>
          <tbody>${resources.map(resource => html`<tr>
            <td><code>${resource}</code></td>
            ${PERMISSIONS.map(p => html`<td>${this.verdict(applicable, resource, p)}</td>`)}
          </tr>`)}</tbody>
        </table>
        <p class="small text-muted mb-0">"partly": allowed here, but revoked on something below.</p>
      </section>`;
  }

  resourcesOfInterest() {
    const list = ['thing:/', 'thing:/attributes'];
    const features = this.thing ? Object.keys(this.thing.features ?? {}) : [];
    for (const feature of features) {
      list.push(`thing:/features/${feature}`);
      if (this.thing.features[feature]?.desiredProperties) {
        list.push(`thing:/features/${feature}/desiredProperties`);
      }
    }
    for (const entry of Object.values(this.policy.entries ?? {})) {
      for (const resource of Object.keys(entry.resources ?? {})) {
        if (!list.includes(resource) && resource.startsWith('thing:')) {
          list.push(resource);
        }
      }
    }
    list.push('policy:/', 'message:/');
    return list;
  }

  verdict(entries, resource, permission) {
    const {allowed, partly} = evaluate(entries, resource, permission);
    if (!allowed) {
      return html`<span class="badge text-bg-secondary">no</span>`;
    }
    return partly ? html`<span class="badge text-bg-warning">partly</span>`
        : html`<span class="badge text-bg-success">yes</span>`;
  }
}

/** The permission on a resource for the subjects of these entries: granted at or above, not revoked at or above. */
export function evaluate(entries, resource, permission) {
  const [type, path] = split(resource);
  let granted = false;
  let revoked = false;
  let revokedBelow = false;
  for (const entry of entries) {
    for (const [key, rights] of Object.entries(entry.resources ?? {})) {
      const [keyType, keyPath] = split(key);
      if (keyType !== type) {
        continue;
      }
      const above = isAtOrAbove(keyPath, path);
      if (above && (rights.grant ?? []).includes(permission)) {
        granted = true;
      }
      if (above && (rights.revoke ?? []).includes(permission)) {
        revoked = true;
      }
      if (!above && isAtOrAbove(path, keyPath) && (rights.revoke ?? []).includes(permission)) {
        revokedBelow = true;
      }
    }
  }
  return {allowed: granted && !revoked, partly: granted && !revoked && revokedBelow};
}

function split(resource) {
  const colon = resource.indexOf(':');
  const path = resource.slice(colon + 1).replace(/\/+$/, '');
  return [resource.slice(0, colon), path === '' ? '/' : path];
}

function isAtOrAbove(ancestor, path) {
  return ancestor === '/' || path === ancestor || path.startsWith(`${ancestor}/`);
}

customElements.define('pm-policy', PolicyView);
