// Server-Sent Events read with fetch (EventSource cannot send an Authorization header): Ditto's SSE on
// /api/2/things. Reconnects by itself with a growing delay and reports its state, so the page can say while it is
// down, and asks for a fresh snapshot after a reconnect (events in the gap are lost).

import {ApiError, parseErrorBody} from './errors.js';

const RETRY_DELAYS_MS = [1000, 2000, 5000, 10000, 15000];

/** The code of the error an event stream ends with when its server closed it. */
export const STREAM_CLOSED = 'webui:stream.closed';

/**
 * @typedef {object} StreamState
 * @property {'connecting'|'live'|'down'|'stopped'} phase
 * @property {number} attempt reconnect attempts since it was last live
 * @property {Date|null} downSince
 * @property {Date|null} nextRetryAt
 * @property {ApiError|null} error
 */

export class EventStream extends EventTarget {
  /**
   * @param {import('./http.js').ApiClient} client
   * @param {string} api
   * @param {string} path e.g. '/things'
   * @param {object} [query] e.g. {namespaces: 'plant1', fields: '...'}
   */
  constructor(client, api, path, query) {
    super();
    this.client = client;
    this.api = api;
    this.path = path;
    this.query = query ?? {};
    /** @type {StreamState} */
    this.state = {phase: 'stopped', attempt: 0, downSince: null, nextRetryAt: null, error: null};
    this.controller = null;
    this.retryTimer = null;
    this.wasLive = false;
  }

  /** Opens the stream (and keeps it open until stop()). Events: 'data' (detail: parsed JSON), 'state', 'resync'. */
  start() {
    if (this.state.phase !== 'stopped') {
      return;
    }
    this.connect();
  }

  stop() {
    clearTimeout(this.retryTimer);
    this.controller?.abort();
    this.controller = null;
    this.setState({phase: 'stopped', nextRetryAt: null});
  }

  /** Drops the connection and connects again at once (the user's "reconnect now"). */
  reconnectNow() {
    clearTimeout(this.retryTimer);
    this.controller?.abort();
    this.controller = null;
    this.connect();
  }

  async connect() {
    const controller = new AbortController();
    this.controller = controller;
    this.setState({phase: this.state.phase === 'down' ? 'down' : 'connecting', nextRetryAt: null});
    const headers = this.client.headers(this.api, {Accept: 'text/event-stream'});
    const url = this.client.url(this.api, this.path, this.query);
    let failure = null;
    try {
      const response = await fetch(url, {headers, signal: controller.signal, cache: 'no-store'});
      if (!response.ok) {
        const text = await response.text();
        let body = text;
        try {
          body = JSON.parse(text);
        } catch {
          // plain text error
        }
        const {code, message, description} = parseErrorBody(body);
        throw new ApiError({api: this.api, method: 'GET', path: this.path, status: response.status, code,
          message: message ?? `the event stream answered ${response.status}`, description, body});
      }
      const reconnected = this.wasLive;
      this.wasLive = true;
      this.setState({phase: 'live', attempt: 0, downSince: null, error: null});
      if (reconnected) {
        this.dispatchEvent(new CustomEvent('resync'));
      }
      await this.read(response.body, controller);
      failure = new ApiError({api: this.api, method: 'GET', path: this.path, status: 0, code: STREAM_CLOSED,
        message: 'The server or a proxy on the way closed the live event stream.'});
    } catch (e) {
      if (controller.signal.aborted) {
        return;
      }
      failure = e instanceof ApiError ? e : new ApiError({api: this.api, method: 'GET', path: this.path, status: 0,
        message: `The live event stream broke (${e?.message ?? e}).`});
    }
    if (this.controller !== controller) {
      return;
    }
    this.scheduleRetry(failure);
  }

  scheduleRetry(error) {
    const attempt = this.state.attempt + 1;
    const delay = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)];
    this.setState({phase: 'down', attempt, downSince: this.state.downSince ?? new Date(), error,
      nextRetryAt: new Date(Date.now() + delay)});
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  async read(body, controller) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let data = [];
    while (!controller.signal.aborted) {
      const {value, done} = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) {
            this.emit(data.join('\n'));
            data = [];
          }
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
        // comments (':' keep-alives), 'event:', 'id:' and 'retry:' lines are not used by Ditto's thing events
      }
    }
  }

  emit(text) {
    if (!text.trim()) {
      return;
    }
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    this.dispatchEvent(new CustomEvent('data', {detail: value}));
  }

  setState(change) {
    this.state = {...this.state, ...change};
    this.dispatchEvent(new CustomEvent('state', {detail: this.state}));
  }
}
