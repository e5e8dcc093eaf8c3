// Twin browser: search with an RQL filter (ready-made filters to start from), namespaces, sort, page size, paging by
// cursor and the number of matches. The query is kept in the address (#/twins?filter=...), so a search can be shared.

import {html} from 'lit';
import {context} from '../context.js';
import {LightElement} from '../ui/light-element.js';
import {errorPanel} from '../ui/error-panel.js';
import {stateBadge} from '../ui/states.js';
import {dateTime, shortId, twinHref} from '../ui/format.js';
import {kindOf} from '../live/plant-store.js';

export const READY_FILTERS = [
  {label: 'Machines that are DOWN', filter: 'and(eq(definition,"io.plantmesh:machine:1.0.0"),'
      + 'eq(features/state/properties/state,"DOWN"))'},
  {label: 'Machines that are RUNNING', filter: 'and(eq(definition,"io.plantmesh:machine:1.0.0"),'
      + 'eq(features/state/properties/state,"RUNNING"))'},
  {label: 'Machines of line 1', filter: 'and(eq(definition,"io.plantmesh:machine:1.0.0"),'
      + 'eq(attributes/line,"plant1:line-1"))'},
  {label: 'All lines', filter: 'eq(definition,"io.plantmesh:line:1.0.0")'},
  {label: 'Work orders on hold', filter: 'and(eq(definition,"io.plantmesh:work-order:1.0.0"),'
      + 'eq(features/status/properties/status,"HELD"))'},
  {label: 'Work orders running', filter: 'and(eq(definition,"io.plantmesh:work-order:1.0.0"),'
      + 'eq(features/status/properties/status,"RUNNING"))'},
  {label: 'Urgent work orders (priority 1-2)', filter: 'and(eq(definition,"io.plantmesh:work-order:1.0.0"),'
      + 'le(attributes/priority,2))'},
  {label: 'Raw materials', filter: 'and(eq(definition,"io.plantmesh:material:1.0.0"),'
      + 'like(attributes/materialNumber,"RAW-*"))'},
];

const SORTS = [
  {value: '+thingId', label: 'Thing id, A to Z'},
  {value: '-thingId', label: 'Thing id, Z to A'},
  {value: '-_modified', label: 'Last modified first'},
  {value: '+_modified', label: 'Least recently modified first'},
];

const SEARCH_FIELDS = 'thingId,policyId,definition,attributes/name,attributes/line,attributes/materialNumber,'
    + 'features/state/properties/state,features/status/properties/status,_revision,_modified';

class TwinSearch extends LightElement {
  static properties = {
    query: {attribute: false},
    result: {state: true},
    error: {state: true},
    busy: {state: true},
  };

  constructor() {
    super();
    this.query = {};
    this.result = null;
    this.error = null;
    this.busy = false;
    /** cursors of the pages before the current one, for "Previous page" */
    this.previous = [];
    this.cursor = null;
  }

  willUpdate(changed) {
    if (changed.has('query')) {
      this.previous = [];
      this.cursor = null;
      this.run();
    }
  }

  form() {
    return {
      filter: this.query.filter ?? '',
      namespaces: this.query.namespaces ?? context.config.namespaces.join(','),
      sort: this.query.sort ?? '+thingId',
      size: Number(this.query.size ?? 25),
    };
  }

  async run() {
    const q = this.form();
    this.busy = true;
    this.error = null;
    try {
      const [page, count] = await Promise.all([
        context.twins.search({...q, cursor: this.cursor, fields: SEARCH_FIELDS}),
        context.twins.count(q),
      ]);
      this.result = {...page, count};
    } catch (e) {
      this.error = e;
      this.result = null;
    } finally {
      this.busy = false;
    }
  }

  submit(event) {
    event.preventDefault();
    const data = new FormData(event.target);
    const params = new URLSearchParams();
    for (const name of ['filter', 'namespaces', 'sort', 'size']) {
      const value = String(data.get(name) ?? '').trim();
      if (value) {
        params.set(name, value);
      }
    }
    const target = `#/twins?${params}`;
    if (window.location.hash === target) {
      this.previous = [];
      this.cursor = null;
      this.run();
    } else {
      window.location.hash = target;
    }
  }

  pickReady(event) {
    const filter = event.target.value;
    if (filter) {
      this.querySelector('#rql-filter').value = filter;
    }
  }

  nextPage() {
    this.previous.push(this.cursor);
    this.cursor = this.result.cursor;
    this.run();
  }

  previousPage() {
    this.cursor = this.previous.pop() ?? null;
    this.run();
  }

  render() {
    const q = this.form();
    return html`
      <h1 class="view-title" tabindex="-1">Twin browser</h1>
      <form class="panel" @submit=${e => this.submit(e)} aria-label="Search twins">
        <div class="row g-2">
          <div class="col-lg-8">
            <label class="form-label small mb-0" for="rql-filter">RQL filter</label>
            <textarea class="form-control form-control-sm font-monospace" id="rql-filter" name="filter" rows="2"
              placeholder='e.g. eq(features/state/properties/state,"DOWN")' .value=${q.filter}></textarea>
          </div>
          <div class="col-lg-4">
            <label class="form-label small mb-0" for="ready-filter">Ready-made filters</label>
            <select class="form-select form-select-sm" id="ready-filter" @change=${e => this.pickReady(e)}>
              <option value="">Choose one to fill the filter…</option>
              ${READY_FILTERS.map(r => html`<option value=${r.filter}>${r.label}</option>`)}
            </select>
          </div>
          <div class="col-md-4">
            <label class="form-label small mb-0" for="namespaces">Namespaces (comma-separated, empty for all)</label>
            <input class="form-control form-control-sm" id="namespaces" name="namespaces" .value=${q.namespaces}>
          </div>
          <div class="col-md-4">
            <label class="form-label small mb-0" for="sort">Sort</label>
            <select class="form-select form-select-sm" id="sort" name="sort">
              ${SORTS.map(s => html`<option value=${s.value} ?selected=${s.value === q.sort}>${s.label}</option>`)}
            </select>
          </div>
          <div class="col-md-2">
            <label class="form-label small mb-0" for="size">Page size</label>
            <select class="form-select form-select-sm" id="size" name="size">
              ${[10, 25, 50, 100, 200].map(n => html`<option ?selected=${n === q.size}>${n}</option>`)}
            </select>
          </div>
          <div class="col-md-2 d-flex align-items-end">
            <button class="btn btn-primary btn-sm w-100" type="submit" id="search-button">Search</button>
          </div>
        </div>
      </form>
      ${errorPanel(this.error, () => this.run())}
      ${this.busy ? html`<p role="status" class="small">Searching…</p>` : null}
      ${this.result ? this.renderResult() : null}`;
  }

  renderResult() {
    const {items, count, cursor} = this.result;
    return html`
      <p class="small mb-1" role="status" data-testid="result-count">
        ${count === 1 ? '1 twin matches' : `${count} twins match`}; showing ${items.length} on this page.</p>
      <table class="table table-sm table-hover bg-white" data-testid="search-results">
        <caption class="visually-hidden">Twins matching the search</caption>
        <thead><tr><th scope="col">Thing id</th><th scope="col">Kind</th><th scope="col">Name</th>
          <th scope="col">State / status</th><th scope="col" class="num">Revision</th>
          <th scope="col">Modified</th><th scope="col">Policy</th></tr></thead>
        <tbody>
          ${items.map(t => html`<tr data-thing-id=${t.thingId}>
            <td><a href=${twinHref(t.thingId)}>${t.thingId}</a></td>
            <td>${kindOf(t) ?? t.definition ?? '—'}</td>
            <td>${t.attributes?.name ?? t.attributes?.materialNumber ?? shortId(t.attributes?.line ?? '')}</td>
            <td>${t.features?.state?.properties?.state ? stateBadge(t.features.state.properties.state)
                : t.features?.status?.properties?.status ? stateBadge(t.features.status.properties.status) : '—'}</td>
            <td class="num">${t._revision ?? '—'}</td>
            <td>${dateTime(t._modified)}</td>
            <td>${t.policyId ? html`<a href=${`#/policy/${encodeURIComponent(t.policyId)}?thing=${
                encodeURIComponent(t.thingId)}`}>${t.policyId}</a>` : '—'}</td>
          </tr>`)}
        </tbody>
      </table>
      <nav aria-label="Result pages" class="d-flex gap-2">
        <button class="btn btn-outline-secondary btn-sm" type="button" ?disabled=${this.previous.length === 0}
          @click=${() => this.previousPage()}>Previous page</button>
        <button class="btn btn-outline-secondary btn-sm" type="button" id="next-page" ?disabled=${!cursor}
          @click=${() => this.nextPage()}>Next page</button>
        <span class="small align-self-center">Page ${this.previous.length + 1}</span>
      </nav>`;
  }
}

customElements.define('pm-twin-search', TwinSearch);
