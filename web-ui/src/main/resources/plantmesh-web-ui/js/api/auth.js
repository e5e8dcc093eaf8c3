// Authentication of the page's API calls: the ONE place that adds credentials to a request (authorize) and the ONE
// place that reacts to 401 and 403 (denied). Today (security off) it sends the development logins from config.json
// as HTTP basic; with security on, this is where the Keycloak access token (OpenID Connect, authorization code with
// PKCE) is added, refreshed on 401 and its roles named in 403 messages.

export class Auth extends EventTarget {
  /** @param {object} config the page's config.json */
  constructor(config) {
    super();
    this.mode = config.auth?.mode ?? 'basic';
    this.logins = config.auth?.logins ?? {};
    this.identityProvider = config.identityProvider ?? {enabled: false};
    /** @type {string|null} the access token once OpenID Connect login is in (security issue) */
    this.accessToken = null;
    /** @type {{status:number, api:string, message:string}|null} the last refusal, for the header */
    this.lastDenial = null;
  }

  /**
   * Adds the credentials for one API to the request headers.
   * @param {string} api 'twin', 'mes' or 'erp'
   * @param {Headers} headers
   */
  authorize(api, headers) {
    if (this.mode === 'oidc') {
      if (this.accessToken) {
        headers.set('Authorization', `Bearer ${this.accessToken}`);
      }
      return;
    }
    const login = this.logins[api];
    if (login) {
      headers.set('Authorization', `Basic ${btoa(`${login.user}:${login.password}`)}`);
    }
  }

  /** Who the page acts as towards an API, in words: "the development user ditto". */
  actor(api) {
    if (this.mode === 'oidc') {
      return 'your login';
    }
    const login = this.logins[api];
    return login ? `the development user ${login.user}` : 'the web UI (no login)';
  }

  /**
   * Called for every 401 and 403 from an API. Returns advice for the message the page shows; announces the refusal
   * so that the header can show it. With OpenID Connect, a 401 is where the token is refreshed or the login started.
   * @param {import('./errors.js').ApiError} error
   * @returns {string} what the user can do
   */
  denied(error) {
    this.lastDenial = {status: error.status, api: error.api, message: error.message};
    this.dispatchEvent(new CustomEvent('denied', {detail: error}));
    if (error.status === 401) {
      return this.mode === 'oidc'
          ? 'Your session has ended: sign in again.'
          : `The ${error.apiTitle} did not accept ${this.actor(error.api)}. If PlantMesh runs with other users or`
            + ' security on, the web UI needs that login; otherwise restart PlantMesh and reload the page.';
    }
    return `Ask an administrator for the permission, or use a user or role that has it. The ${error.apiTitle}`
        + ` decides by the twin's policy (see the Policy view of the twin).`;
  }
}
