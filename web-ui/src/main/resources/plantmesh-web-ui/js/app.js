// The page's shell: navigation, live status and the view of the current address (#/overview, #/twins?...,
// #/twin/<id>, #/policy/<id>?thing=<id>, #/production, #/inventory, #/alerts).

import {html} from 'lit';
import {context} from './context.js';
import {LightElement} from './ui/light-element.js';
import './ui/live-status.js';
import './views/overview.js';
import './views/twin-search.js';
import './views/twin-page.js';
import './views/policy.js';
import './views/production.js';
import './views/inventory.js';
import './views/alerts.js';

const NAV = [
  {view: 'overview', href: '#/overview', label: 'Plant overview'},
  {view: 'twins', href: '#/twins', label: 'Twin browser'},
  {view: 'production', href: '#/production', label: 'Production'},
  {view: 'inventory', href: '#/inventory', label: 'Inventory'},
  {view: 'alerts', href: '#/alerts', label: 'Alerts'},
];

/** The route of an address hash. */
export function route(hash) {
  const [path, search] = (hash || '#/overview').replace(/^#/, '').split('?');
  const query = Object.fromEntries(new URLSearchParams(search ?? ''));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'twins':
      return {view: 'twins', query};
    case 'twin':
      return {view: 'twin', id: parts.slice(1).join('/'), query};
    case 'policy':
      return {view: 'policy', id: parts.slice(1).join('/'), query};
    case 'production':
    case 'inventory':
    case 'alerts':
      return {view: parts[0], query};
    default:
      return {view: 'overview', query};
  }
}

class PlantMeshApp extends LightElement {
  static properties = {route: {state: true}, sessionEnded: {state: true}};

  constructor() {
    super();
    this.route = route(window.location.hash);
    /** @type {string|null} why the Keycloak session ended, while the user has not signed in again */
    this.sessionEnded = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this.onHash = () => {
      this.route = route(window.location.hash);
    };
    window.addEventListener('hashchange', this.onHash);
    this.onAlerts = () => this.requestUpdate();
    context.alerts.addEventListener('change', this.onAlerts);
    this.onSessionEnded = e => {
      this.sessionEnded = e.detail ?? '';
    };
    this.onSessionChange = () => {
      if (context.auth.signedIn) {
        this.sessionEnded = null;
      }
      this.requestUpdate();
    };
    context.auth.addEventListener('ended', this.onSessionEnded);
    context.auth.addEventListener('change', this.onSessionChange);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    context.alerts.removeEventListener('change', this.onAlerts);
    context.auth.removeEventListener('ended', this.onSessionEnded);
    context.auth.removeEventListener('change', this.onSessionChange);
  }

  updated(changed) {
    if (changed.has('route') && changed.get('route') !== undefined) {
      // move focus to the new view's heading, so keyboard and screen reader users land on it
      requestAnimationFrame(() => this.querySelector('main h1')?.focus());
    }
  }

  render() {
    const current = this.route.view === 'twin' || this.route.view === 'policy' ? 'twins' : this.route.view;
    const alerts = context.alerts.unacknowledgedCount();
    return html`
      <header>
        <nav class="navbar navbar-expand navbar-dark bg-dark pm-nav px-3 py-1" aria-label="Main">
          <a class="navbar-brand fw-semibold" href="#/overview">PlantMesh</a>
          <ul class="navbar-nav me-auto flex-wrap">
            ${NAV.map(item => html`<li class="nav-item"><a class="nav-link" href=${item.href}
              aria-current=${current === item.view ? 'page' : 'false'} data-nav=${item.view}>${item.label}${
              item.view === 'alerts' && alerts > 0 ? html` <span class="badge text-bg-danger"
                data-testid="alert-count" aria-label=${`${alerts} to acknowledge`}>${alerts}</span>` : null}</a></li>`)}
          </ul>
          ${this.renderUser()}
          <pm-live-status></pm-live-status>
        </nav>
        <pm-live-status banner></pm-live-status>
        ${this.sessionEnded !== null ? html`<div class="alert alert-warning py-1 small mb-0" role="alert"
          data-testid="session-ended"><strong>Your session ended, sign in again.</strong> ${this.sessionEnded}
          <button type="button" class="btn btn-sm btn-primary py-0 ms-2" @click=${() => context.auth.signIn()}>
            Sign in again</button></div>` : null}
      </header>
      <main id="main" tabindex="-1">${this.renderView()}</main>`;
  }

  /** Who is signed in: name and roles with a sign-out button (Keycloak), or the development login. */
  renderUser() {
    const auth = context.auth;
    const user = auth.user;
    if (!auth.oidc || !user) {
      return html`<span class="text-white-50 small me-3 d-none d-md-inline">${auth.actor('twin')}</span>`;
    }
    return html`<div class="d-flex align-items-center gap-2 me-3 small text-white" data-testid="user">
      <span class="visually-hidden">Signed in as</span>
      <b data-testid="user-name" title=${user.username}>${user.name}</b>
      <span class="visually-hidden">with the roles</span>
      <span class="text-white-50" data-testid="user-roles">${
        user.roles.length ? user.roles.join(', ') : 'no PlantMesh role'}</span>
      <button type="button" class="btn btn-sm btn-outline-light py-0" id="sign-out"
        @click=${() => auth.signOut()}>Sign out</button>
    </div>`;
  }

  renderView() {
    const r = this.route;
    switch (r.view) {
      case 'twins':
        return html`<pm-twin-search .query=${r.query}></pm-twin-search>`;
      case 'twin':
        return html`<pm-twin-page .thingId=${r.id}></pm-twin-page>`;
      case 'policy':
        return html`<pm-policy .policyId=${r.id} .thingId=${r.query.thing ?? null}></pm-policy>`;
      case 'production':
        return html`<pm-production></pm-production>`;
      case 'inventory':
        return html`<pm-inventory></pm-inventory>`;
      case 'alerts':
        return html`<pm-alerts></pm-alerts>`;
      default:
        return html`<pm-overview></pm-overview>`;
    }
  }
}

customElements.define('pm-app', PlantMeshApp);
