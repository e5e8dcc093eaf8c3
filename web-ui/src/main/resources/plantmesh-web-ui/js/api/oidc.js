// Sign-in with OpenID Connect: the authorization code flow with PKCE (S256) against the identity provider named in
// config.json (PlantMesh's Keycloak realm, public client plantmesh-ui). No library: the page redirects to the
// provider's login page, takes the code back on its own address, exchanges it for tokens, and renews the access token
// with the refresh token before it expires. Tokens live in memory and in this tab's sessionStorage (a reload keeps
// the session, closing the tab ends it; never localStorage, never a cookie of the web UI server).

const SESSION_KEY = 'plantmesh.oidc.session';
const PENDING_KEY = 'plantmesh.oidc.pending';
/** Renew this long before expiry, but at most half the token's life before it (as the services' TokenClient does). */
const RENEW_BEFORE_MS = 30000;
const RETRY_RENEWAL_MS = 10000;
/** Keycloak's own roles every user holds; the page does not list them as the user's roles. */
const KEYCLOAK_DEFAULT_ROLES = /^(default-roles-.+|offline_access|uma_authorization)$/;

/** What went wrong with signing in, in words, with what to do (shown on the sign-in screen and in the header). */
export class SignInError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SignInError';
  }
}

/**
 * One user's session with the identity provider. Events: 'change' (signed in, renewed, signed out), 'ended' (the
 * session ended on the provider's side or could not be renewed: the user has to sign in again).
 */
export class OidcSession extends EventTarget {
  /** @param {{issuer: string, clientId: string}} provider */
  constructor(provider) {
    super();
    this.issuer = String(provider.issuer ?? '').replace(/\/+$/, '');
    this.clientId = provider.clientId;
    /** @type {{accessToken: string, refreshToken: string|null, idToken: string|null, expiresAt: number,
     *     refreshExpiresAt: number|null}|null} */
    this.tokens = null;
    this.claims = null;
    this.renewTimer = null;
    this.endpointsPromise = null;
    this.ended = false;
  }

  /** The page's redirect URI: its own address without query or fragment. */
  static redirectUri() {
    return `${window.location.origin}${window.location.pathname}`;
  }

  /** The provider's endpoints, from its discovery document (Keycloak's well-known paths if that cannot be read). */
  endpoints() {
    if (!this.endpointsPromise) {
      const conventional = {
        authorization_endpoint: `${this.issuer}/protocol/openid-connect/auth`,
        token_endpoint: `${this.issuer}/protocol/openid-connect/token`,
        end_session_endpoint: `${this.issuer}/protocol/openid-connect/logout`,
      };
      this.endpointsPromise = fetch(`${this.issuer}/.well-known/openid-configuration`, {cache: 'no-store'})
          .then(response => (response.ok ? response.json() : {}))
          .catch(() => ({}))
          .then(discovered => ({...conventional, ...pick(discovered, Object.keys(conventional))}));
    }
    return this.endpointsPromise;
  }

  /**
   * At page start: completes a sign-in the provider redirected back from, else restores this tab's session (renewing
   * it if its access token expired meanwhile).
   * @returns {Promise<boolean>} whether the user is signed in
   * @throws {SignInError} when the provider refused the sign-in or the code could not be exchanged
   */
  async start() {
    const params = new URLSearchParams(window.location.search);
    if (params.has('state') && (params.has('code') || params.has('error'))) {
      return this.completeRedirect(params);
    }
    const stored = readJson(SESSION_KEY);
    if (!stored?.accessToken) {
      return false;
    }
    this.accept(stored);
    if (this.tokens.expiresAt - Date.now() < RENEW_BEFORE_MS) {
      return this.renew();
    }
    this.scheduleRenewal();
    return true;
  }

  /** Sends the browser to the provider's login page; it comes back to this page at the current view. */
  async signIn() {
    if (!window.crypto?.subtle) {
      throw new SignInError('Signing in needs a secure page (PKCE hashes the code verifier with the browser\'s Web'
          + ' Crypto, which browsers offer only to https pages and to http://localhost or 127.0.0.1). Open the web'
          + ' UI over https or on this machine\'s loopback address.');
    }
    const {authorization_endpoint: authorization} = await this.endpoints();
    const verifier = randomText(48);
    const state = randomText(24);
    const nonce = randomText(24);
    const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256',
        new TextEncoder().encode(verifier))));
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({state, nonce, verifier,
      returnTo: window.location.hash || '#/overview', redirectUri: OidcSession.redirectUri()}));
    const url = new URL(authorization);
    url.search = new URLSearchParams({client_id: this.clientId, response_type: 'code', response_mode: 'query',
      scope: 'openid', redirect_uri: OidcSession.redirectUri(), state, nonce, code_challenge: challenge,
      code_challenge_method: 'S256'}).toString();
    window.location.assign(url.toString());
  }

  /** Forgets the tokens and ends the session at the provider, which sends the browser back to this page. */
  async signOut() {
    const idToken = this.tokens?.idToken;
    this.forget();
    const {end_session_endpoint: endSession} = await this.endpoints();
    const url = new URL(endSession);
    url.search = new URLSearchParams({client_id: this.clientId,
      post_logout_redirect_uri: OidcSession.redirectUri(), ...(idToken ? {id_token_hint: idToken} : {})}).toString();
    window.location.assign(url.toString());
  }

  /** The current access token, or null. */
  get accessToken() {
    return this.tokens?.accessToken ?? null;
  }

  /** Who is signed in: {username, name, roles} from the access token (roles without Keycloak's default roles). */
  get user() {
    if (!this.claims) {
      return null;
    }
    const roles = (this.claims.realm_access?.roles ?? []).filter(r => !KEYCLOAK_DEFAULT_ROLES.test(r)).sort();
    const username = this.claims.preferred_username ?? this.claims.sub;
    return {username, name: this.claims.name ?? username, roles};
  }

  async completeRedirect(params) {
    const pending = readJson(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    const returnTo = pending?.returnTo ?? '#/overview';
    // take code and state out of the address at once: a reload must not send the code again
    window.history.replaceState(null, '', `${window.location.pathname}${returnTo}`);
    if (params.has('error')) {
      throw new SignInError(`The identity provider did not sign you in: ${params.get('error_description')
          ?? params.get('error')}. Sign in again.`);
    }
    if (!pending || pending.state !== params.get('state')) {
      throw new SignInError('This sign-in was not started by this browser tab (its state does not match), so it'
          + ' was ignored. Sign in again.');
    }
    const tokens = await this.tokenRequest({grant_type: 'authorization_code', code: params.get('code'),
      redirect_uri: pending.redirectUri, code_verifier: pending.verifier});
    const idClaims = tokens.id_token ? decodeJwt(tokens.id_token) : null;
    if (idClaims && idClaims.nonce !== pending.nonce) {
      throw new SignInError('The identity provider answered for another sign-in (nonce mismatch). Sign in again.');
    }
    this.store(tokens);
    return true;
  }

  /** Renews the access token with the refresh token. Resolves false (and emits 'ended') if the session is over. */
  async renew() {
    if (!this.tokens?.refreshToken) {
      this.end('The session cannot be renewed (no refresh token).');
      return false;
    }
    try {
      this.store(await this.tokenRequest({grant_type: 'refresh_token', refresh_token: this.tokens.refreshToken}));
      return true;
    } catch (e) {
      if (e instanceof SignInError && e.refused) {
        this.end(e.message);
        return false;
      }
      // provider unreachable: keep the token while it is valid and try again
      if (this.tokens.expiresAt > Date.now()) {
        clearTimeout(this.renewTimer);
        this.renewTimer = setTimeout(() => this.renew(), RETRY_RENEWAL_MS);
        return true;
      }
      this.end(e.message);
      return false;
    }
  }

  async tokenRequest(form) {
    const {token_endpoint: tokenEndpoint} = await this.endpoints();
    let response;
    try {
      response = await fetch(tokenEndpoint, {method: 'POST', cache: 'no-store',
        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({client_id: this.clientId, ...form})});
    } catch (e) {
      throw new SignInError(`The identity provider at ${this.issuer} cannot be reached (${e?.message ?? e}). Check`
          + ' that Keycloak runs (./plantmesh up starts it) and that it lists this page\'s address among the web'
          + ' origins of the client ' + this.clientId + ' (plantmesh security apply --ui-origin).');
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new SignInError(`The identity provider refused the ${form.grant_type === 'refresh_token'
          ? 'renewal of your session' : 'sign-in'}: ${body.error_description ?? body.error ?? response.status}.`
          + ' Sign in again.');
      error.refused = response.status === 400 || response.status === 401;
      throw error;
    }
    return body;
  }

  store(tokens) {
    const now = Date.now();
    const session = {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? this.tokens?.refreshToken ?? null,
      idToken: tokens.id_token ?? this.tokens?.idToken ?? null,
      expiresAt: now + Number(tokens.expires_in ?? 60) * 1000,
      lifetimeMs: Number(tokens.expires_in ?? 60) * 1000,
    };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    this.accept(session);
    this.scheduleRenewal();
  }

  accept(session) {
    this.tokens = session;
    this.claims = decodeJwt(session.accessToken);
    this.ended = false;
    this.dispatchEvent(new CustomEvent('change'));
  }

  scheduleRenewal() {
    clearTimeout(this.renewTimer);
    const life = this.tokens.lifetimeMs ?? (this.tokens.expiresAt - Date.now());
    const before = Math.min(RENEW_BEFORE_MS, life / 2);
    this.renewTimer = setTimeout(() => this.renew(), Math.max(1000, this.tokens.expiresAt - before - Date.now()));
  }

  end(reason) {
    this.forget();
    this.ended = true;
    this.dispatchEvent(new CustomEvent('ended', {detail: reason}));
  }

  forget() {
    clearTimeout(this.renewTimer);
    sessionStorage.removeItem(SESSION_KEY);
    this.tokens = null;
    this.claims = null;
    this.dispatchEvent(new CustomEvent('change'));
  }
}

/** The claims of a JWT (not verified: the APIs verify it; the page only shows the name and roles). */
export function decodeJwt(jwt) {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')), c => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

function randomText(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(bytes) {
  let text = '';
  bytes.forEach(b => {
    text += String.fromCharCode(b);
  });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function readJson(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

function pick(object, keys) {
  return Object.fromEntries(keys.filter(k => typeof object?.[k] === 'string').map(k => [k, object[k]]));
}
