// Errors of the APIs in one shape, and their explanation in words the plant engineer can act on.

const API_TITLES = {twin: 'twin API', mes: 'MES API', erp: 'ERP API'};

const VERBS = {GET: 'read', HEAD: 'read', PUT: 'change', PATCH: 'change', POST: 'send or post', DELETE: 'delete'};

/** An API call that did not succeed: network failure (status 0) or an HTTP error status. */
export class ApiError extends Error {
  /**
   * @param {object} init {api, method, path, status, code, message, description, body}
   */
  constructor({api, method, path, status, code, message, description, body}) {
    super(message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.api = api;
    this.apiTitle = API_TITLES[api] ?? api;
    this.method = method;
    this.path = path;
    this.status = status;
    this.code = code ?? null;
    this.description = description ?? null;
    this.body = body ?? null;
  }

  /** True when the request never got an HTTP answer from the web UI server. */
  get network() {
    return this.status === 0;
  }
}

/**
 * Reads an error body of any of the APIs: Ditto's and the MES's {status, error, message, description}, the OData
 * {error: {code, message: {value}}}, or plain text.
 */
export function parseErrorBody(body) {
  if (body && typeof body === 'object') {
    if (body.error && typeof body.error === 'object') {
      const odata = body.error;
      return {code: odata.code ?? null, message: odata.message?.value ?? odata.message ?? null, description: null};
    }
    return {code: body.error ?? null, message: body.message ?? null, description: body.description ?? null};
  }
  if (typeof body === 'string' && body.trim()) {
    return {code: null, message: body.trim().slice(0, 300), description: null};
  }
  return {code: null, message: null, description: null};
}

/**
 * What to show for an error: a title, the server's message, and what to do. Every status the issue names (network,
 * 401, 403, 404, 412, 5xx) has its own wording.
 * @param {ApiError|Error} error
 * @param {import('./auth.js').Auth} auth
 * @returns {{title: string, detail: string|null, advice: string, retry: boolean, signIn: (boolean|undefined)}}
 *     signIn: offer "Sign in again" (the Keycloak session ended)
 */
export function explain(error, auth) {
  if (!(error instanceof ApiError)) {
    return {title: 'Something went wrong in the page', detail: String(error?.message ?? error),
      advice: 'Retry; if it happens again, reload the page.', retry: true};
  }
  const api = error.apiTitle;
  const detail = [error.message, error.code ? `(${error.code})` : null].filter(Boolean).join(' ');
  const verb = VERBS[error.method] ?? 'use';
  if (error.network && error.code === 'webui:stream.closed') {
    return {title: 'The live event stream was closed', detail: error.message,
      advice: 'The page reconnects by itself; if it keeps failing, check that PlantMesh is running.', retry: true};
  }
  if (error.network) {
    return {title: 'The web UI server cannot be reached', detail: error.message,
      advice: 'Check that PlantMesh is running (./plantmesh up) and that this machine can reach it, then retry.',
      retry: true};
  }
  switch (true) {
    case error.status === 401 && auth.oidc:
      return {title: 'Your session ended, sign in again (401)', detail, advice: auth.denied(error), retry: false,
        signIn: true};
    case error.status === 401:
      return {title: `Not signed in to the ${api} (401)`, detail, advice: auth.denied(error), retry: true};
    case error.status === 403:
      return {title: `${capitalise(auth.actor(error.api))} may not ${verb} this in the ${api} (403)`, detail,
        advice: auth.denied(error), retry: false};
    case error.status === 404:
      return {title: `Not found in the ${api} (404)`, detail,
        advice: 'It does not exist, or its policy hides it from you: a twin you may not read looks missing.',
        retry: true};
    case error.status === 408:
      return {title: `No answer in time from the ${api} (408)`, detail,
        advice: 'Whoever should answer did not within the timeout: retry, or give it a longer timeout.', retry: true};
    case error.status === 409:
      return {title: `Refused by the ${api} (409)`, detail, advice: error.description ?? 'Reload and try again.',
        retry: true};
    case error.status === 412:
      return {title: `Changed meanwhile (412)`, detail,
        advice: 'Someone or something changed it after you read it; nothing was overwritten. Reload, check the new'
            + ' value and make your change again.', retry: true};
    case error.status === 502 || error.status === 503 && error.code === 'webui:api.notconfigured':
      return {title: `The ${api} is not available (${error.status})`, detail: error.message,
        advice: error.description ?? 'Start it and retry.', retry: true};
    case error.status >= 500:
      return {title: `The ${api} failed (${error.status})`, detail,
        advice: (error.description ? `${error.description} ` : '') + 'This is on the server side: retry in a moment.',
        retry: true};
    default:
      return {title: `The ${api} refused the request (${error.status})`, detail,
        advice: error.description ?? 'Check the input and try again.', retry: false};
  }
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
