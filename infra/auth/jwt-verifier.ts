/**
 * Validation of bearer JWTs from an identity provider (SSO), with node:crypto only.
 *
 * Accepted: compact JWS with alg RS256 or ES256 (never `none`, never HMAC: a public JWKS cannot prove an
 * HMAC), a key from the provider's JWKS chosen by `kid`, `iss` equal to the configured issuer, `aud` equal
 * to (or containing) the configured audience, `exp` required and in the future, `nbf` if present in the
 * past (both with a small clock-skew allowance), `iat` if present not in the future, every instant within
 * the range a date can hold (else the token is malformed: 401, never a server error), and a `sub` that is
 * well-formed Unicode and outside the system actors' reserved namespace (`aims:`: nobody authenticates as
 * the engine). Roles come from a configurable claim, found by walking nested objects (never a top-level
 * claim whose name happens to contain the dots); an IdP role grants an AIMS role only as `<prefix><role>`
 * (default `aims:approver`) or through the explicit map, because an IdP's role claim usually carries other
 * applications' roles, and a bare `admin` there means someone else's admin.
 *
 * Keys are cached for `cacheTtlMs`; a token with an unknown `kid` triggers a refetch at most once per
 * `minRefreshIntervalMs`, so key rotation works without letting bad tokens hammer the IdP.
 */
import { createPublicKey, KeyObject, verify as verifySignature } from 'node:crypto';
import type { JwtAuthConfig } from '../config/config';
import { isAimsRole, type AimsRole } from '../../domain/shared/roles';
import { isSystemIdentity } from '../../domain/shared/actor-identity';
import { isWellFormedText } from '../../domain/shared/well-formed-text';

export type JwtRejection =
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-claim'
  | 'reserved-subject'
  | 'jwks-unavailable';

export class JwtRejectedError extends Error {
  constructor(
    readonly reason: JwtRejection,
    detail: string,
  ) {
    super(`JWT rejected (${reason}): ${detail}`);
    this.name = 'JwtRejectedError';
  }
}

export interface JwtIdentity {
  /** `sub`: the stable actor id (as the provider wrote it; the API normalises it). */
  subject: string;
  /** `iss`: which provider vouched (the configured issuer). */
  issuer: string;
  /** `jti`, when the provider sets one: names this very token in the evidence. */
  tokenId?: string;
  /** A display name: preferred_username, name, email or sub. */
  name: string;
  roles: AimsRole[];
  expiresAt: string;
}

export interface JwtVerifierOptions {
  cacheTtlMs?: number;
  minRefreshIntervalMs?: number;
  clockSkewSeconds?: number;
  fetchTimeoutMs?: number;
}

type Algorithm = 'RS256' | 'ES256';

interface CachedKey {
  kid: string | undefined;
  algorithm: Algorithm;
  key: KeyObject;
}

interface JsonWebKeyLike {
  kty?: unknown;
  kid?: unknown;
  use?: unknown;
  alg?: unknown;
  crv?: unknown;
  [k: string]: unknown;
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new JwtRejectedError('malformed', `${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new JwtRejectedError('malformed', `${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new JwtRejectedError('malformed', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * The value at a dotted claim path (`realm_access.roles`), walking nested objects only, or undefined. A
 * literal top-level claim named `realm_access.roles` is not it: whoever can add claims of their own (some
 * providers let users) must not be able to shadow the one the provider fills.
 */
export function claimAt(payload: Record<string, unknown>, claimPath: string): unknown {
  let value: unknown = payload;
  for (const segment of claimPath.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The AIMS roles the IdP's roles grant: `<prefix><aims role>`, or what the explicit map grants. */
export function rolesFrom(value: unknown, mapping: Pick<JwtAuthConfig, 'rolePrefix' | 'roleMap'>): AimsRole[] {
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  const granted: AimsRole[] = [];
  for (const name of names) {
    if (typeof name !== 'string') continue;
    if (Object.prototype.hasOwnProperty.call(mapping.roleMap, name)) granted.push(...(mapping.roleMap[name] ?? []));
    if (mapping.rolePrefix !== null && name.startsWith(mapping.rolePrefix)) {
      const role = name.slice(mapping.rolePrefix.length);
      if (isAimsRole(role)) granted.push(role);
    }
  }
  return [...new Set(granted)];
}

/** Seconds since the epoch that a Date can hold (up to 9999-12-31): anything else is not a real instant. */
const MAX_NUMERIC_DATE = 253_402_300_799;

/** A NumericDate claim as milliseconds; undefined when absent; malformed when not a sane instant. */
function instantOf(payload: Record<string, unknown>, claim: 'exp' | 'nbf' | 'iat'): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_NUMERIC_DATE) {
    throw new JwtRejectedError('malformed', `${claim} is not a date between 1970 and 9999`);
  }
  return value * 1000;
}

function keyAlgorithm(jwk: JsonWebKeyLike): Algorithm | null {
  if (jwk.use !== undefined && jwk.use !== 'sig') return null;
  if (jwk.kty === 'RSA' && (jwk.alg === undefined || jwk.alg === 'RS256')) return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && (jwk.alg === undefined || jwk.alg === 'ES256')) return 'ES256';
  return null;
}

export class JwksJwtVerifier {
  private keys: CachedKey[] = [];
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private readonly cacheTtlMs: number;
  private readonly minRefreshIntervalMs: number;
  private readonly skewMs: number;
  private readonly fetchTimeoutMs: number;

  constructor(
    private readonly config: JwtAuthConfig,
    options: JwtVerifierOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 10 * 60_000;
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 30_000;
    this.skewMs = (options.clockSkewSeconds ?? 60) * 1000;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 5000;
  }

  /** True when the value has the shape of a compact JWS (three base64url parts). */
  static looksLikeJwt(token: string): boolean {
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
  }

  async verify(token: string, nowMs: number = Date.now()): Promise<JwtIdentity> {
    const parts = token.split('.');
    if (parts.length !== 3) throw new JwtRejectedError('malformed', 'a JWT has three dot-separated parts');
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = decodeJson(headerPart, 'header');
    const payload = decodeJson(payloadPart, 'payload');
    const alg = header.alg;
    if (alg !== 'RS256' && alg !== 'ES256')
      throw new JwtRejectedError('unsupported-algorithm', `alg ${JSON.stringify(alg)} is not RS256 or ES256`);
    if (header.crit !== undefined) throw new JwtRejectedError('malformed', 'critical header extensions are not supported');
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    const key = await this.keyFor(kid, alg);
    const signature = Buffer.from(signaturePart, 'base64url');
    const signingInput = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
    const valid =
      alg === 'RS256'
        ? verifySignature('sha256', signingInput, key, signature)
        : signature.length === 64 && verifySignature('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (!valid) throw new JwtRejectedError('bad-signature', 'the signature does not verify with the provider key');
    return this.checkClaims(payload, nowMs);
  }

  private checkClaims(payload: Record<string, unknown>, nowMs: number): JwtIdentity {
    const { iss, aud, sub, jti } = payload;
    const exp = instantOf(payload, 'exp');
    const nbf = instantOf(payload, 'nbf');
    const iat = instantOf(payload, 'iat');
    if (exp === undefined) throw new JwtRejectedError('missing-claim', 'exp is required');
    if (exp + this.skewMs <= nowMs) throw new JwtRejectedError('expired', `expired at ${new Date(exp).toISOString()}`);
    if (nbf !== undefined && nbf - this.skewMs > nowMs) throw new JwtRejectedError('not-yet-valid', 'nbf is in the future');
    if (iat !== undefined && iat - this.skewMs > nowMs) throw new JwtRejectedError('not-yet-valid', 'iat is in the future');
    if (iss !== this.config.issuer) throw new JwtRejectedError('wrong-issuer', `iss ${JSON.stringify(iss)} is not the configured issuer`);
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(this.config.audience))
      throw new JwtRejectedError('wrong-audience', `aud ${JSON.stringify(aud)} does not include the configured audience`);
    if (typeof sub !== 'string' || sub.trim() === '') throw new JwtRejectedError('missing-claim', 'sub is required');
    if (!isWellFormedText(sub) || sub.length > 256)
      throw new JwtRejectedError('malformed', 'sub is not well-formed Unicode of at most 256 characters');
    if (isSystemIdentity(sub))
      throw new JwtRejectedError('reserved-subject', "sub is in the namespace reserved for the engine's own actors");
    const display = [payload.preferred_username, payload.name, payload.email].find(
      (v): v is string => typeof v === 'string' && v !== '' && isWellFormedText(v),
    );
    return {
      subject: sub,
      issuer: this.config.issuer,
      ...(typeof jti === 'string' && jti !== '' && jti.length <= 256 && isWellFormedText(jti) ? { tokenId: jti } : {}),
      name: display ?? sub,
      roles: rolesFrom(claimAt(payload, this.config.rolesClaim), this.config),
      expiresAt: new Date(exp).toISOString(),
    };
  }

  private async keyFor(kid: string | undefined, alg: Algorithm): Promise<KeyObject> {
    if (Date.now() - this.fetchedAt > this.cacheTtlMs) await this.refresh();
    let key = this.findKey(kid, alg);
    if (!key && Date.now() - this.fetchedAt >= this.minRefreshIntervalMs) {
      // Perhaps the provider rotated its keys since we last looked.
      await this.refresh();
      key = this.findKey(kid, alg);
    }
    if (!key)
      throw new JwtRejectedError(
        'unknown-key',
        `no ${alg} key${kid === undefined ? '' : ` with kid ${JSON.stringify(kid)}`} in the provider's JWKS`,
      );
    return key;
  }

  private findKey(kid: string | undefined, alg: Algorithm): KeyObject | undefined {
    const candidates = this.keys.filter((k) => k.algorithm === alg);
    if (kid !== undefined) return candidates.find((k) => k.kid === kid)?.key;
    // Without a kid the choice must be unambiguous.
    return candidates.length === 1 ? candidates[0]?.key : undefined;
  }

  private refresh(): Promise<void> {
    this.inFlight ??= this.fetchKeys().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    let body: unknown;
    try {
      const response = await fetch(this.config.jwksUrl, {
        signal: AbortSignal.timeout(this.fetchTimeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      // Keys fetched earlier stay usable while the provider is briefly unreachable.
      if (this.keys.length > 0) return;
      throw new JwtRejectedError(
        'jwks-unavailable',
        `cannot fetch ${this.config.jwksUrl}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const list = (body as { keys?: unknown }).keys;
    if (!Array.isArray(list)) throw new JwtRejectedError('jwks-unavailable', `${this.config.jwksUrl} is not a JWKS (no "keys" list)`);
    const keys: CachedKey[] = [];
    for (const jwk of list as JsonWebKeyLike[]) {
      const algorithm = typeof jwk === 'object' && jwk !== null ? keyAlgorithm(jwk) : null;
      if (!algorithm) continue;
      try {
        // Only the public members: a JWKS that (wrongly) carries private parts must not make us hold them.
        const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
        const key = createPublicKey({ key: publicPart as import('node:crypto').JsonWebKey, format: 'jwk' });
        keys.push({ kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, algorithm, key });
      } catch {
        // A key this runtime cannot read is skipped; tokens signed with it fail as unknown-key.
      }
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
  }
}
