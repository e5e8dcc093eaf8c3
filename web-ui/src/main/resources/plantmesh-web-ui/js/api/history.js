// A thing's history through Eclipse Ditto's history API (Ditto 3.2+; PlantMesh's twin server serves it from its event
// journal): GET /things/{id} with Accept: text/event-stream and from-historical-timestamp / -revision. Each event is
// the changed part of the thing (as on the live stream); the stream ends after the range. A server without the
// history API ignores the parameters and streams live events instead: that is recognised (an event at or after the
// requested end, or no end in time) and reported as HistoryUnavailable.

import {ApiError, parseErrorBody} from './errors.js';

/** The code of Ditto's error for history beyond what it keeps (Ditto 3.2+ and PlantMesh's twin server). */
export const HISTORY_NOT_KEPT = 'things:thing.history.notfound';

/** How long a history stream may stay silent before the server is taken to not serve history at all. */
const SILENCE_MS = 15000;

/** The twin API answered, but not with history: it does not serve Ditto's history API (Ditto before 3.2). */
export class HistoryUnavailable extends Error {
  constructor(message) {
    super(message);
    this.name = 'HistoryUnavailable';
  }
}

/**
 * Reads a part of a thing's history.
 * @param {import('./http.js').ApiClient} client
 * @param {string} thingId
 * @param {object} range {from: Date, to: Date} (by time) or {fromRevision, toRevision} (by revision)
 * @param {object} [options] {fields, signal, onEvent (called per event, for progress)}
 * @returns {Promise<object[]>} the events, oldest first
 */
export async function readHistory(client, thingId, range, options = {}) {
  const path = `/things/${encodeURIComponent(thingId)}`;
  const query = {fields: options.fields ?? 'thingId,features,_revision,_modified'};
  let end = null;
  if (range.from) {
    end = range.to ?? new Date();
    query['from-historical-timestamp'] = range.from.toISOString();
    query['to-historical-timestamp'] = end.toISOString();
  } else {
    query['from-historical-revision'] = range.fromRevision;
    if (range.toRevision !== undefined) {
      query['to-historical-revision'] = range.toRevision;
    }
  }
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort());
  const headers = client.headers('twin', {Accept: 'text/event-stream'});
  let response;
  try {
    response = await fetch(client.url('twin', path, query), {headers, signal: controller.signal, cache: 'no-store'});
  } catch (e) {
    if (e?.name === 'AbortError') {
      throw e;
    }
    throw new ApiError({api: 'twin', method: 'GET', path, status: 0,
      message: `No answer from the web UI server for the history of ${thingId} (${e?.message ?? e}).`});
  }
  if (!response.ok) {
    const text = await response.text();
    let body = text;
    try {
      body = JSON.parse(text);
    } catch {
      // plain text error
    }
    const {code, message, description} = parseErrorBody(body);
    throw new ApiError({api: 'twin', method: 'GET', path, status: response.status, code,
      message: message ?? `the history of ${thingId} answered ${response.status}`, description, body});
  }
  const events = [];
  let silence = null;
  const quiet = () => {
    clearTimeout(silence);
    silence = setTimeout(() => controller.abort('silent'), SILENCE_MS);
  };
  quiet();
  try {
    await readEvents(response.body, event => {
      if (event && typeof event === 'object' && typeof event.error === 'string' && event.status) {
        // an error that ended the stream after it had begun (Ditto reports those as an event)
        throw new ApiError({api: 'twin', method: 'GET', path, status: event.status, code: event.error,
          message: event.message, description: event.description, body: event});
      }
      const at = Date.parse(event?._modified ?? '');
      if (end && !Number.isNaN(at) && at >= end.getTime()) {
        throw new HistoryUnavailable('The twin API answered the history request with live events: it does not'
            + ' serve Ditto\'s history API (Ditto 3.2 or newer, or PlantMesh\'s twin server, do).');
      }
      events.push(event);
      options.onEvent?.(event);
      quiet();
    });
  } catch (e) {
    if (controller.signal.aborted && controller.signal.reason === 'silent') {
      throw new HistoryUnavailable(`The history stream of ${thingId} neither sent history nor ended within `
          + `${SILENCE_MS / 1000} s: the twin API does not seem to serve Ditto's history API (Ditto 3.2 or newer, or`
          + ' PlantMesh\'s twin server, do).');
    }
    throw e;
  } finally {
    clearTimeout(silence);
    controller.abort();
  }
  return events;
}

/** Calls onData with each event's parsed JSON until the stream ends. */
async function readEvents(body, onData) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data = [];
  for (;;) {
    const {value, done} = await reader.read();
    if (done) {
      if (data.length > 0) {
        emit(data.join('\n'), onData);
      }
      return;
    }
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) {
          emit(data.join('\n'), onData);
          data = [];
        }
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
  }
}

function emit(text, onData) {
  if (!text.trim()) {
    return;
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return;
  }
  onData(value);
}
