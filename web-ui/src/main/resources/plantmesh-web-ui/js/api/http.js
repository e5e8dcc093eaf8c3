// The page's one HTTP client for the twin, MES and ERP APIs: base URLs from config.json, credentials from Auth,
// every failure as an ApiError.

import {ApiError, parseErrorBody} from './errors.js';

export class ApiClient {
  /**
   * @param {object} config the page's config.json
   * @param {import('./auth.js').Auth} auth
   */
  constructor(config, auth) {
    this.apis = config.apis;
    this.auth = auth;
  }

  /** Whether the web UI was started with this API ('twin', 'mes', 'erp'). */
  available(api) {
    return Boolean(this.apis[api]?.available);
  }

  /** The URL of a path of an API, with query parameters (undefined and null ones left out). */
  url(api, path, query) {
    const base = this.apis[api]?.base ?? '';
    const url = new URL(base + path, window.location.origin);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') {
        url.searchParams.append(name, String(value));
      }
    }
    return url;
  }

  /** The headers of a request to an API, with credentials. */
  headers(api, extra) {
    const headers = new Headers(extra ?? {});
    this.auth.authorize(api, headers);
    return headers;
  }

  /**
   * One request. Resolves with {status, headers, body} for 2xx (and 304); rejects with an ApiError otherwise.
   * @param {string} api 'twin', 'mes' or 'erp'
   * @param {string} path below the API's base, e.g. '/things/plant1:machine-1-01'
   * @param {object} [options] {method, query, headers, json (a value sent as JSON), body, contentType, ifMatch,
   *     signal}
   */
  async request(api, path, options = {}) {
    const method = options.method ?? 'GET';
    const headers = this.headers(api, options.headers);
    if (!headers.has('Accept')) {
      headers.set('Accept', 'application/json');
    }
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers.set('Content-Type', options.contentType ?? 'application/json');
    }
    if (options.ifMatch) {
      headers.set('If-Match', options.ifMatch);
    }
    const url = this.url(api, path, options.query);
    let response;
    try {
      response = await fetch(url, {method, headers, body, signal: options.signal, cache: 'no-store'});
    } catch (e) {
      if (e?.name === 'AbortError') {
        throw e;
      }
      throw new ApiError({api, method, path, status: 0,
        message: `No answer from the web UI server for ${method} ${url.pathname} (${e?.message ?? e}).`});
    }
    const text = await response.text();
    const parsed = parse(text, response.headers.get('Content-Type'));
    if (!response.ok && response.status !== 304) {
      const {code, message, description} = parseErrorBody(parsed);
      throw new ApiError({api, method, path, status: response.status, code,
        message: message ?? `${method} ${url.pathname} answered ${response.status} ${response.statusText}`,
        description, body: parsed});
    }
    return {status: response.status, headers: response.headers, body: parsed};
  }

  /** GET and return only the body. */
  async get(api, path, query) {
    return (await this.request(api, path, {query})).body;
  }
}

function parse(text, contentType) {
  if (!text) {
    return null;
  }
  const json = (contentType ?? '').includes('json') || /^[[{"]/.test(text.trim());
  if (json) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
