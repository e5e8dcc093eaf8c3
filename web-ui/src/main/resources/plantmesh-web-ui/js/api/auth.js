// Authentication of the page's API calls: the ONE place that adds credentials to a request (authorize), the ONE place
// that reacts to 401 and 403 (denied), and the one place that says what the signed-in user's roles let the page offer
// (may). With security off ("basic") it sends the development logins from config.json as HTTP basic; with Keycloak
// ("oidc") it sends the signed-in user's access token (OidcSession: authorization code with PKCE, renewed before
// expiry) to every API.

import {OidcSession} from './oidc.js';

/**
 * What each action of the page needs, by realm role. The APIs decide (the twins' policies, the MES and ERP role
 * tables in docs/security.md); this only keeps the page from offering what the user's roles cannot do there.
 */
const ACTION_ROLES = {
  // MES API POST /work-orders/{id}/hold|release|resume|cancel
  'orders.change': ['production-supervisor', 'planner', 'it-admin'],
  // a work order twin's attributes/priority (Ditto API, If-Match on the revision shown)
  'orders.reprioritise': ['planner', 'it-admin'],
  // attributes and desired properties: planners (order priority, due date), finance (reorder points), admins
  'twin.edit': ['planner', 'erp-finance', 'it-admin'],
  // live messages to machines (holdJob, stopJob)
  'message.send': ['production-supervisor', 'it-admin'],
  // the ERP's order costs (ZPLANTMESH_ORDER_COST_SRV)
  'erp.costs': ['erp-finance', 'it-admin'],
};

const ACTION_WORDS = {
  'orders.change': 'hold, release or cancel work orders',
  'orders.reprioritise': 'change the priority of work orders',
  'twin.edit': 'edit twins',
  'message.send': 'send messages to machines',
  'erp.costs': 'read order costs',
};

export class Auth extends EventTarget {
  /** @param {object} config the page's config.json */
  constructor(config) {
    super();
    this.mode = config.auth?.mode ?? 'basic';
    this.logins = config.auth?.logins ?? {};
    this.identityProvider = config.identityProvider ?? {enabled: false};
    /** @type {OidcSession|null} the Keycloak session in "oidc" mode */
    this.session = this.mode === 'oidc' ? new OidcSession(this.identityProvider) : null;
    /** @type {{status:number, api:string, message:string}|null} the last refusal, for the header */
    this.lastDenial = null;
    this.session?.addEventListener('change', () => this.dispatchEvent(new CustomEvent('change')));
    this.session?.addEventListener('ended', e => this.dispatchEvent(new CustomEvent('ended', {detail: e.detail})));
  }

  /** Whether the page signs users in (Keycloak) rather than using the development logins. */
  get oidc() {
    return this.mode === 'oidc';
  }

  /** The signed-in user {username, name, roles}, or null (also with the development logins). */
  get user() {
    return this.session?.user ?? null;
  }

  /** Whether a request can be made: always with development logins; with Keycloak, once signed in. */
  get signedIn() {
    return !this.oidc || Boolean(this.session.accessToken);
  }

  /** Completes or restores the sign-in at page start; resolves whether the user is signed in. */
  start() {
    return this.oidc ? this.session.start() : Promise.resolve(true);
  }

  signIn() {
    return this.session?.signIn();
  }

  signOut() {
    return this.session?.signOut();
  }

  /**
   * Adds the credentials for one API to the request headers.
   * @param {string} api 'twin', 'mes' or 'erp'
   * @param {Headers} headers
   */
  authorize(api, headers) {
    if (this.oidc) {
      const token = this.session.accessToken;
      if (token) {
        headers.set('Authorization', `Bearer ${token}`);
      }
      return;
    }
    const login = this.logins[api];
    if (login) {
      headers.set('Authorization', `Basic ${btoa(`${login.user}:${login.password}`)}`);
    }
  }

  /**
   * Whether the signed-in user's roles allow an action of ACTION_ROLES (always true with the development logins,
   * which may do everything in the embedded footprint).
   */
  may(action) {
    if (!this.oidc) {
      return true;
    }
    const roles = this.user?.roles ?? [];
    return (ACTION_ROLES[action] ?? []).some(role => roles.includes(role));
  }

  /** Why an action is not offered, in words: "Your role (plant-viewer) may not edit twins." */
  notAllowed(action) {
    const needed = (ACTION_ROLES[action] ?? []).join(', ');
    return `${capitalise(this.actor())} may not ${ACTION_WORDS[action] ?? action}. Roles that may: ${needed}.`;
  }

  /** Who the page acts as towards an API, in words: "your role (plant-viewer)", "the development user ditto". */
  actor(api) {
    if (this.oidc) {
      const roles = this.user?.roles ?? [];
      if (roles.length === 0) {
        return 'your user (no PlantMesh role)';
      }
      return roles.length === 1 ? `your role (${roles[0]})` : `your roles (${roles.join(', ')})`;
    }
    const login = this.logins[api];
    return login ? `the development user ${login.user}` : 'the web UI (no login)';
  }

  /**
   * Called for every 401 and 403 from an API. Returns advice for the message the page shows; announces the refusal
   * so that the header can show it.
   * @param {import('./errors.js').ApiError} error
   * @returns {string} what the user can do
   */
  denied(error) {
    this.lastDenial = {status: error.status, api: error.api, message: error.message};
    this.dispatchEvent(new CustomEvent('denied', {detail: error}));
    if (error.status === 401) {
      return this.oidc
          ? `The ${error.apiTitle} did not accept your sign-in any more. Sign in again: the page comes back here.`
          : `The ${error.apiTitle} did not accept ${this.actor(error.api)}. If PlantMesh runs with other users or`
            + ' security on, the web UI needs that login; otherwise restart PlantMesh and reload the page.';
    }
    return this.oidc
        ? `Ask an administrator for a role that may, or sign in as a user who has it. The ${error.apiTitle} decides`
          + ' by its rules for your roles (for twins: the twin\'s policy).'
        : `Ask an administrator for the permission, or use a user or role that has it. The ${error.apiTitle}`
          + ' decides by the twin\'s policy (see the Policy view of the twin).';
  }
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
