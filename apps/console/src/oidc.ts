/**
 * Sign-in with the organisation's identity provider: OpenID Connect authorization code flow with PKCE
 * (RFC 7636, S256), the console being a public client (no secret). What travels where:
 *  - the code verifier, state and nonce are made with crypto.getRandomValues and kept in this tab's
 *    sessionStorage only until the callback, which removes them whatever happens;
 *  - the browser goes to the provider's authorization endpoint and comes back to /auth/callback with a
 *    one-time code, which is wiped from the address before anything else is done with it;
 *  - the code is exchanged at the token endpoint (from discovery, on the issuer's origin: the only other
 *    origin the console's Content-Security-Policy lets it reach); the access token, a JWT for the API, is
 *    kept like a pasted token (session.ts), never in a URL.
 * The ID token arrives straight from the token endpoint over the connection the browser checked, so its
 * claims are checked (issuer, audience, nonce, expiry) without its signature (OpenID Connect Core 3.1.3.7).
 */
import { ApiProblem } from './api/client';

export const CALLBACK_PATH = '/auth/callback';
const PENDING_KEY = 'aims.console.oidc';

/** What GET /v1/auth/oidc says, when enabled. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scopes: string[];
  audience: string | null;
}

interface Pending {
  issuer: string;
  clientId: string;
  state: string;
  nonce: string;
  verifier: string;
  tokenEndpoint: string;
  redirectUri: string;
  resource: string | null;
}

/** A sign-in failure in plain words (shown by ProblemNotice like an API refusal). */
function failure(title: string, detail: string): ApiProblem {
  return new ApiProblem({ title, status: 0, detail });
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomValue(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** RFC 8707 asks for an absolute URI as the resource; an audience that is not one is left to the provider. */
function resourceFor(audience: string | null): string | null {
  if (audience === null) return null;
  try {
    const url = new URL(audience);
    return url.hash === '' ? audience : null;
  } catch {
    return null;
  }
}

interface Discovery {
  authorizationEndpoint: string;
  tokenEndpoint: string;
}

async function discover(issuer: string): Promise<Discovery> {
  const where = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let doc: Record<string, unknown>;
  try {
    const response = await fetch(where, { credentials: 'omit', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    doc = (await response.json()) as Record<string, unknown>;
  } catch (err) {
    throw failure(
      'The identity provider could not be reached',
      `Its discovery document (${where}) did not load: ${err instanceof Error ? err.message : String(err)}.`,
    );
  }
  const authorizationEndpoint = doc.authorization_endpoint;
  const tokenEndpoint = doc.token_endpoint;
  const methods = doc.code_challenge_methods_supported;
  // OpenID Connect Discovery 4.3: the document must name exactly the issuer it was fetched for.
  if (doc.issuer !== issuer)
    throw failure(
      'The identity provider is misconfigured',
      `Its discovery document names the issuer ${String(doc.issuer)}, not ${issuer}.`,
    );
  if (typeof authorizationEndpoint !== 'string' || typeof tokenEndpoint !== 'string')
    throw failure('The identity provider is misconfigured', 'Its discovery document names no authorization or token endpoint.');
  if (Array.isArray(methods) && !methods.includes('S256'))
    throw failure('The identity provider does not support PKCE', 'Its discovery document does not offer the S256 code challenge method.');
  if (new URL(tokenEndpoint).origin !== new URL(issuer).origin)
    throw failure(
      'The identity provider is not supported',
      `Its token endpoint (${tokenEndpoint}) is not on the issuer's origin, the only one the console may reach.`,
    );
  return { authorizationEndpoint, tokenEndpoint };
}

/** Starts the sign-in: discovery, then the browser leaves for the provider's authorization endpoint. */
export async function beginOidcSignIn(settings: OidcSettings): Promise<void> {
  const { authorizationEndpoint, tokenEndpoint } = await discover(settings.issuer);
  const pending: Pending = {
    issuer: settings.issuer,
    clientId: settings.clientId,
    state: randomValue(),
    nonce: randomValue(),
    verifier: randomValue(),
    tokenEndpoint,
    redirectUri: `${window.location.origin}${CALLBACK_PATH}`,
    resource: resourceFor(settings.audience),
  };
  const url = new URL(authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', pending.clientId);
  url.searchParams.set('redirect_uri', pending.redirectUri);
  url.searchParams.set('scope', settings.scopes.join(' '));
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', await s256(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (pending.resource !== null) url.searchParams.set('resource', pending.resource);
  window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  window.location.assign(url.toString());
}

/** RFC 6749 4.1.2.1 errors, in the words a person needs. */
const IDP_ERRORS: Record<string, string> = {
  access_denied: 'The sign-in was declined (at the identity provider).',
  login_required: 'The identity provider needs you to sign in there first.',
  consent_required: 'The identity provider needs your consent before aims may use your identity.',
  interaction_required: 'The identity provider needs you to complete a step there first.',
  invalid_scope: 'The identity provider does not offer the scopes aims asks for (AIMS_OIDC_SCOPES).',
  unauthorized_client: 'The identity provider does not let this console sign people in (check AIMS_OIDC_CLIENT_ID).',
  invalid_request: 'The identity provider refused the sign-in request (check its client settings for the console).',
  invalid_target: "The identity provider does not issue tokens for the API's audience (AIMS_JWT_AUDIENCE).",
  server_error: 'The identity provider failed while signing you in.',
  temporarily_unavailable: 'The identity provider is unavailable right now; try again in a moment.',
};

function takePending(): Pending | null {
  const raw = window.sessionStorage.getItem(PENDING_KEY);
  window.sessionStorage.removeItem(PENDING_KEY);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as Pending;
  } catch {
    return null;
  }
}

function idTokenClaims(idToken: string): Record<string, unknown> {
  const payload = idToken.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

function checkIdToken(idToken: unknown, pending: Pending): void {
  let claims: Record<string, unknown>;
  try {
    if (typeof idToken !== 'string') throw new Error('no ID token');
    claims = idTokenClaims(idToken);
  } catch {
    throw failure('The identity provider answered oddly', 'Its answer holds no readable ID token; nothing was kept.');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const fresh = typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() - 60_000;
  if (claims.iss !== pending.issuer || !audiences.includes(pending.clientId) || claims.nonce !== pending.nonce || !fresh)
    throw failure(
      'The sign-in could not be confirmed',
      'The ID token is not for this sign-in (issuer, audience, nonce or expiry differ); nothing was kept. Start again.',
    );
}

/**
 * Finishes the sign-in from the callback's query (already wiped from the address by the caller): checks
 * the state, exchanges the code, checks the ID token; returns the access token for the API.
 */
export async function completeOidcSignIn(query: string): Promise<string> {
  const params = new URLSearchParams(query);
  const pending = takePending();
  if (pending === null)
    throw failure('No sign-in was started in this tab', 'Start again from the sign-in page (a sign-in finishes in the tab it began in).');
  // The state proves the answer belongs to the sign-in this tab started (no one else's code or error).
  if (params.get('state') !== pending.state)
    throw failure(
      'The sign-in could not be confirmed',
      'The answer does not belong to the sign-in started in this tab; nothing was kept. Start again.',
    );
  const iss = params.get('iss');
  if (iss !== null && iss !== pending.issuer)
    throw failure('The sign-in could not be confirmed', `The answer came from ${iss}, not from ${pending.issuer}; nothing was kept.`);
  const error = params.get('error');
  if (error !== null) {
    const said = params.get('error_description');
    throw failure(IDP_ERRORS[error] ?? `The identity provider refused the sign-in (${error}).`, said ? `It said: ${said}` : '');
  }
  const code = params.get('code');
  if (code === null) throw failure('The identity provider answered oddly', 'It sent back neither a code nor an error.');
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    client_id: pending.clientId,
    code_verifier: pending.verifier,
  });
  if (pending.resource !== null) body.set('resource', pending.resource);
  let answer: Record<string, unknown>;
  let ok: boolean;
  try {
    const response = await fetch(pending.tokenEndpoint, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
    });
    ok = response.ok;
    answer = (await response.json()) as Record<string, unknown>;
  } catch (err) {
    throw failure(
      'The identity provider could not be reached',
      `Its token endpoint did not answer: ${err instanceof Error ? err.message : String(err)}.`,
    );
  }
  if (!ok || typeof answer.access_token !== 'string') {
    const said = typeof answer.error_description === 'string' ? answer.error_description : '';
    throw failure(
      'The identity provider did not issue a token',
      `${typeof answer.error === 'string' ? answer.error : 'no access token'}${said ? `: ${said}` : ''}`,
    );
  }
  if (typeof answer.token_type === 'string' && answer.token_type.toLowerCase() !== 'bearer')
    throw failure('The identity provider answered oddly', `It issued a ${answer.token_type} token; the API takes bearer tokens.`);
  checkIdToken(answer.id_token, pending);
  return answer.access_token;
}
