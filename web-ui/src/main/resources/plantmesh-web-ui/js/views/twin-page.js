// One twin: definition, policy, revision, modified time; attributes and features as a tree and as raw JSON, kept
// live by an SSE stream on the thing; edits of attributes and desired properties made with If-Match on the revision
// they were made on (a conflict is shown, never overwritten); a live message with its answer or timeout; a trend of
// a numeric property over the last hour, read through Ditto's history API and then kept live by the same stream.

import {html} from 'lit';
import {context} from '../context.js';
import {LightElement} from '../ui/light-element.js';
import {errorPanel} from '../ui/error-panel.js';
import {jsonTree} from '../ui/json-tree.js';
import {stateBadge} from '../ui/states.js';
import {dateTime, shortId} from '../ui/format.js';
import {unitOf} from '../ui/units.js';
import {explain} from '../api/errors.js';
import {EventStream} from '../api/sse.js';
import {THING_FIELDS} from '../api/twins.js';
import {HISTORY_NOT_KEPT, HistoryUnavailable, readHistory} from '../api/history.js';
import {at, mergeInto} from '../live/merge.js';
import {TrendSamples} from '../live/trend-samples.js';
import './trend-chart.js';

const MESSAGE_SUBJECTS = ['startJob', 'holdJob', 'stopJob'];

class TwinPage extends LightElement {
  static properties = {
    thingId: {attribute: false},
    thing: {state: true},
    error: {state: true},
    tab: {state: true},
    edit: {state: true},
    message: {state: true},
    liveState: {state: true},
    history: {state: true},
  };

  constructor() {
    super();
    this.thing = null;
    this.error = null;
    this.tab = 'tree';
    /** {path, text, baseRevision, saving, result: {ok}|{conflict}|{error}} while an edit is open */
    this.edit = null;
    /** {subject, payload, timeout, sending, answer, error} */
    this.message = {subject: 'holdJob', payload: '', timeout: 10};
    this.stream = null;
    this.liveState = null;
    this.samples = new TrendSamples();
    /** the trend's history: {phase: 'loading'|'ready'|'partial'|'unavailable'|'error', since, count, error, note} */
    this.history = null;
    this.historyAbort = null;
  }

  willUpdate(changed) {
    if (changed.has('thingId')) {
      this.open();
    }
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.stream?.stop();
    this.stream = null;
    this.historyAbort?.abort();
  }

  async open() {
    this.stream?.stop();
    this.historyAbort?.abort();
    this.thing = null;
    this.error = null;
    this.edit = null;
    this.samples = new TrendSamples();
    this.history = null;
    this.stream = new EventStream(context.client, 'twin', '/things', {ids: this.thingId, fields: THING_FIELDS});
    this.stream.addEventListener('data', e => this.onChange(e.detail));
    this.stream.addEventListener('state', e => {
      this.liveState = e.detail;
    });
    this.stream.addEventListener('resync', () => this.load());
    this.stream.start();
    await this.load();
    if (this.thing) {
      this.loadHistory();
    }
  }

  async load() {
    try {
      this.thing = await context.twins.thing(this.thingId);
      this.error = null;
      // the values as they are now (the history brings when they changed)
      this.samples.add(this.thing, Date.now() / 1000);
    } catch (e) {
      this.error = e;
    }
  }

  /**
   * The last hour of the trend from the twin's history (the live stream, opened before, adds what follows). If the
   * twin API keeps less than an hour, what it keeps, and says so; if it has no history API, says that.
   */
  async loadHistory() {
    this.historyAbort?.abort();
    const abort = new AbortController();
    this.historyAbort = abort;
    const thingId = this.thingId;
    const to = new Date();
    const from = new Date(to.getTime() - TrendSamples.WINDOW_SECONDS * 1000);
    this.history = {phase: 'loading'};
    try {
      let events;
      let note = null;
      try {
        events = await readHistory(context.client, thingId, {from, to}, {signal: abort.signal});
      } catch (e) {
        if (e?.code !== HISTORY_NOT_KEPT) {
          throw e;
        }
        // less than an hour is kept: take what is (from the oldest kept event up to the revision shown)
        note = e;
        events = await readHistory(context.client, thingId, {fromRevision: 0, toRevision: this.thing._revision},
            {signal: abort.signal});
      }
      if (abort.signal.aborted || thingId !== this.thingId) {
        return;
      }
      const count = this.samples.addHistory(events);
      const first = events.find(e => e._modified)?._modified ?? null;
      this.history = {phase: note ? 'partial' : 'ready', count, since: note ? first : from.toISOString(),
        error: note};
    } catch (e) {
      if (e?.name === 'AbortError' || abort.signal.aborted) {
        return;
      }
      this.history = {phase: e instanceof HistoryUnavailable ? 'unavailable' : 'error', error: e};
    }
  }

  onChange(change) {
    if (!this.thing || change.thingId !== this.thingId) {
      return;
    }
    if (typeof change._revision === 'number' && change._revision <= (this.thing._revision ?? -1)) {
      return;
    }
    mergeInto(this.thing, change);
    const changedAt = Date.parse(change._modified ?? '');
    this.samples.add(change, Number.isNaN(changedAt) ? Date.now() / 1000 : changedAt / 1000,
        change._revision ?? null);
    this.requestUpdate();
  }

  unitAt(path) {
    // ['features', 'telemetry', 'properties', 'spindleSpeed']
    if (path[0] === 'features' && (path[2] === 'properties' || path[2] === 'desiredProperties') && path.length === 4) {
      return unitOf(this.thing?.definition, path[1], path[3]);
    }
    return '';
  }

  render() {
    if (this.error && !this.thing) {
      return html`<h1 class="view-title" tabindex="-1">${this.thingId}</h1>${errorPanel(this.error, () => this.open())}`;
    }
    if (!this.thing) {
      return html`<h1 class="view-title" tabindex="-1">${this.thingId}</h1><p role="status">Loading the twin…</p>`;
    }
    const t = this.thing;
    const state = t.features?.state?.properties?.state ?? t.features?.status?.properties?.status;
    return html`
      <div class="d-flex flex-wrap align-items-baseline gap-2 mb-2">
        <h1 class="view-title mb-0" tabindex="-1">${t.attributes?.name ?? shortId(t.thingId)}</h1>
        ${state ? stateBadge(state) : null}
        <span class="small ${this.liveState?.phase === 'live' ? 'text-success' : 'text-danger'}" role="status"
          data-testid="twin-live">${this.liveState?.phase === 'live' ? 'live' : 'live updates down, reconnecting'}</span>
      </div>
      <dl class="row small panel mb-2">
        <dt class="col-sm-2">Thing id</dt><dd class="col-sm-4 font-monospace">${t.thingId}</dd>
        <dt class="col-sm-2">Definition</dt><dd class="col-sm-4 font-monospace">${t.definition ?? '—'}</dd>
        <dt class="col-sm-2">Policy</dt><dd class="col-sm-4">${t.policyId ? html`<a href=${`#/policy/${
            encodeURIComponent(t.policyId)}?thing=${encodeURIComponent(t.thingId)}`}>${t.policyId}</a>` : '—'}</dd>
        <dt class="col-sm-2">Revision</dt><dd class="col-sm-4" data-testid="revision">${t._revision}</dd>
        <dt class="col-sm-2">Modified</dt><dd class="col-sm-4">${dateTime(t._modified)}</dd>
        <dt class="col-sm-2">Created</dt><dd class="col-sm-4">${dateTime(t._created)}</dd>
      </dl>
      ${this.error ? errorPanel(this.error, () => this.load()) : null}
      <div class="row g-3">
        <div class="col-xl-7">
          <div class="btn-group btn-group-sm mb-2" role="group" aria-label="Show the twin as">
            <button type="button" class="btn ${this.tab === 'tree' ? 'btn-secondary' : 'btn-outline-secondary'}"
              aria-pressed=${this.tab === 'tree'} @click=${() => (this.tab = 'tree')}>Tree</button>
            <button type="button" class="btn ${this.tab === 'raw' ? 'btn-secondary' : 'btn-outline-secondary'}"
              aria-pressed=${this.tab === 'raw'} @click=${() => (this.tab = 'raw')} id="raw-json-tab">Raw JSON</button>
          </div>
          ${this.tab === 'tree' ? html`
            <div class="panel" data-testid="twin-tree">
              <h2 class="section-title mt-0">Attributes</h2>
              ${jsonTree(t.attributes ?? {}, path => this.unitAt(['attributes', ...path]))}
              <h2 class="section-title">Features</h2>
              ${jsonTree(t.features ?? {}, path => this.unitAt(['features', ...path]))}
            </div>` : html`
            <pre class="json-raw" data-testid="twin-raw" tabindex="0" aria-label="The twin as JSON">${
              JSON.stringify(t, null, 2)}</pre>`}
          <pm-trend-chart .samples=${this.samples} .tick=${`${t._revision}/${this.samples.version}`}
            .history=${this.history} .retry=${() => this.loadHistory()}
            .unitOf=${key => this.unitAt(key.split('/'))}></pm-trend-chart>
        </div>
        <div class="col-xl-5">
          ${this.renderEdit()}
          ${this.renderMessage()}
        </div>
      </div>`;
  }

  /** Paths a user may edit here: attributes and desired properties. */
  editablePaths() {
    const t = this.thing;
    const paths = Object.keys(t.attributes ?? {}).map(k => `attributes/${k}`);
    for (const [featureId, feature] of Object.entries(t.features ?? {})) {
      for (const k of Object.keys(feature?.desiredProperties ?? {})) {
        paths.push(`features/${featureId}/desiredProperties/${k}`);
      }
    }
    return paths;
  }

  startEdit(event) {
    event.preventDefault();
    const path = String(new FormData(event.target).get('path') ?? '').trim().replace(/^\/+/, '');
    const value = at(this.thing, path);
    this.edit = {path, text: value === undefined ? '' : JSON.stringify(value, null, 2),
      baseRevision: this.thing._revision, saving: false, result: null};
  }

  async save(event) {
    event.preventDefault();
    const text = this.querySelector('#edit-value').value;
    const edit = {...this.edit, text};
    const editable = /^attributes\/.+/.test(edit.path) || /^features\/[^/]+\/desiredProperties\/.+/.test(edit.path);
    let value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.edit = {...edit, result: {invalid: `The value is not JSON (${e.message}). Strings need quotes: "Hall 2".`}};
      return;
    }
    if (!editable) {
      this.edit = {...edit, result: {invalid: 'Only attributes/… and features/<feature>/desiredProperties/… can be'
          + ' edited here.'}};
      return;
    }
    this.edit = {...edit, saving: true, result: null};
    const patch = {};
    const parts = edit.path.split('/');
    let node = patch;
    parts.slice(0, -1).forEach(part => {
      node = node[part] = {};
    });
    node[parts.at(-1)] = value;
    try {
      await context.twins.mergeAtRevision(this.thingId, patch, edit.baseRevision);
      this.edit = {...edit, saving: false, result: {ok: true}};
      await this.load();
    } catch (e) {
      if (e.status === 412) {
        const current = await context.twins.thing(this.thingId).catch(() => null);
        this.edit = {...edit, saving: false, result: {conflict: {
          revision: current?._revision ?? '?', value: current ? at(current, edit.path) : undefined}}};
      } else {
        this.edit = {...edit, saving: false, result: {error: e}};
      }
    }
  }

  renderEdit() {
    const paths = this.editablePaths();
    const edit = this.edit;
    // the twin's policy decides; a user whose roles edit nothing is not offered the form (see Auth.may)
    const mayEdit = context.auth.may('twin.edit');
    return html`
      <section class="panel" aria-labelledby="edit-heading" data-testid="edit-panel">
        <h2 class="section-title mt-0" id="edit-heading">Edit an attribute or desired property</h2>
        ${mayEdit ? null : html`<p class="small text-secondary" data-testid="edit-not-allowed">
          ${context.auth.notAllowed('twin.edit')}</p>`}
        <fieldset ?disabled=${!mayEdit}>
        ${!edit ? html`
          <form @submit=${e => this.startEdit(e)}>
            <label class="form-label small mb-0" for="edit-path">Path</label>
            <input class="form-control form-control-sm font-monospace" id="edit-path" name="path" list="edit-paths"
              placeholder="attributes/location" required>
            <datalist id="edit-paths">${paths.map(p => html`<option value=${p}></option>`)}</datalist>
            <div class="form-text">The edit is saved only if the twin is still at the revision you start on.</div>
            <button class="btn btn-outline-primary btn-sm mt-1" type="submit" id="edit-start">Edit</button>
          </form>` : html`
          <form @submit=${e => this.save(e)}>
            <p class="small mb-1">Editing <code>${edit.path}</code> on revision
              <b data-testid="edit-base-revision">${edit.baseRevision}</b>.</p>
            <label class="form-label small mb-0" for="edit-value">New value (JSON)</label>
            <textarea class="form-control form-control-sm font-monospace" id="edit-value" rows="3"
              .value=${edit.text}></textarea>
            <div class="d-flex gap-2 mt-1">
              <button class="btn btn-primary btn-sm" type="submit" id="edit-save" ?disabled=${edit.saving}>
                Save</button>
              <button class="btn btn-outline-secondary btn-sm" type="button" @click=${() => (this.edit = null)}>
                Close</button>
            </div>
          </form>
          ${this.renderEditResult(edit)}`}
        </fieldset>
      </section>`;
  }

  renderEditResult(edit) {
    const result = edit.result;
    if (!result) {
      return edit.saving ? html`<p class="small" role="status">Saving…</p>` : null;
    }
    if (result.ok) {
      return html`<div class="alert alert-success small mt-2" role="status">Saved. The twin is now at revision
        ${this.thing._revision}.</div>`;
    }
    if (result.invalid) {
      return html`<div class="alert alert-warning small mt-2" role="alert">${result.invalid}</div>`;
    }
    if (result.conflict) {
      return html`<div class="alert alert-warning small mt-2" role="alert" data-testid="edit-conflict">
        <strong>Not saved: the twin changed meanwhile (412).</strong>
        You edited revision ${edit.baseRevision}; it is now at revision ${result.conflict.revision}. Nothing was
        overwritten. The current value of <code>${edit.path}</code> is
        <code>${result.conflict.value === undefined ? 'not set' : JSON.stringify(result.conflict.value)}</code>.
        <div class="mt-1"><button type="button" class="btn btn-sm btn-outline-dark" @click=${() => {
          this.edit = {path: edit.path, text: JSON.stringify(result.conflict.value ?? null, null, 2),
            baseRevision: this.thing._revision, saving: false, result: null};
        }}>Edit again on the current revision</button></div></div>`;
    }
    return html`<div class="mt-2">${errorPanel(result.error)}</div>`;
  }

  async send(event) {
    event.preventDefault();
    const data = new FormData(event.target);
    const subject = String(data.get('subject') ?? '').trim();
    const payloadText = String(data.get('payload') ?? '').trim();
    const timeout = Number(data.get('timeout') ?? 10);
    let payload;
    if (payloadText) {
      try {
        payload = JSON.parse(payloadText);
      } catch (e) {
        this.message = {subject, payload: payloadText, timeout, invalid: `The payload is not JSON (${e.message}).`};
        return;
      }
    }
    this.message = {subject, payload: payloadText, timeout, sending: true};
    const started = performance.now();
    try {
      const answer = await context.twins.sendMessage(this.thingId, subject, payload, timeout);
      this.message = {subject, payload: payloadText, timeout,
        answer: {status: answer.status, body: answer.body, millis: Math.round(performance.now() - started)}};
    } catch (e) {
      // a device may answer with any status: only the twin API's own errors (and the timeout) are errors here
      const fromApi = e.network || e.status === 408 || (typeof e.body?.error === 'string' && e.body.error.includes(':'));
      this.message = fromApi ? {subject, payload: payloadText, timeout, error: e}
          : {subject, payload: payloadText, timeout,
            answer: {status: e.status, body: e.body, millis: Math.round(performance.now() - started)}};
    }
  }

  renderMessage() {
    const m = this.message;
    const maySend = context.auth.may('message.send');
    return html`
      <section class="panel" aria-labelledby="message-heading" data-testid="message-panel">
        <h2 class="section-title mt-0" id="message-heading">Send a live message</h2>
        ${maySend ? null : html`<p class="small text-secondary" data-testid="message-not-allowed">
          ${context.auth.notAllowed('message.send')}</p>`}
        <form @submit=${e => this.send(e)}><fieldset ?disabled=${!maySend}>
          <div class="row g-2">
            <div class="col-7">
              <label class="form-label small mb-0" for="message-subject">Subject</label>
              <input class="form-control form-control-sm" id="message-subject" name="subject" list="message-subjects"
                .value=${m.subject} required>
              <datalist id="message-subjects">${MESSAGE_SUBJECTS.map(s => html`<option value=${s}></option>`)}
              </datalist>
            </div>
            <div class="col-5">
              <label class="form-label small mb-0" for="message-timeout">Timeout</label>
              <select class="form-select form-select-sm" id="message-timeout" name="timeout">
                ${[5, 10, 30, 60].map(s => html`<option value=${s} ?selected=${s === m.timeout}>${s} s</option>`)}
              </select>
            </div>
          </div>
          <label class="form-label small mb-0 mt-1" for="message-payload">Payload (JSON, optional)</label>
          <textarea class="form-control form-control-sm font-monospace" id="message-payload" name="payload" rows="2"
            placeholder='{"workOrder": "plant1:wo-100001", "operation": "10"}' .value=${m.payload}></textarea>
          <button class="btn btn-outline-primary btn-sm mt-1" type="submit" id="message-send" ?disabled=${m.sending}>
            Send to inbox</button>
        </fieldset></form>
        <div role="status" data-testid="message-result">
          ${m.sending ? html`<p class="small mt-2">Waiting for the answer (at most ${m.timeout} s)…</p>` : null}
          ${m.invalid ? html`<div class="alert alert-warning small mt-2">${m.invalid}</div>` : null}
          ${m.answer ? html`<div class="alert ${m.answer.status < 300 ? 'alert-success' : 'alert-info'} small mt-2"
              data-testid="message-answer" data-status=${m.answer.status}>
              <strong>Answer ${m.answer.status}</strong> after ${m.answer.millis} ms
              <pre class="mb-0 mt-1">${m.answer.body === null ? '(no payload)'
                  : JSON.stringify(m.answer.body, null, 2)}</pre></div>` : null}
          ${m.error?.status === 408 ? html`<div class="alert alert-warning small mt-2" data-testid="message-timeout">
              <strong>No answer within ${m.timeout} s (timeout).</strong> ${explain(m.error, context.auth).detail}
              </div>` : m.error ? html`<div class="mt-2">${errorPanel(m.error)}</div>` : null}
        </div>
      </section>`;
  }
}

customElements.define('pm-twin-page', TwinPage);
