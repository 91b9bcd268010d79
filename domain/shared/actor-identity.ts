/**
 * One identity per person (issue 11, finding 4). Segregation of duties compares identities, never raw
 * strings: an API token name and a JWT subject map to an identity with `normaliseIdentity`, so `Alice`,
 * `alice` and `ａｌｉｃｅ` (full-width) are one person and cannot approve what each other asked for.
 *
 * Automated steps act as system actors whose ids live in the reserved `aims:` namespace; nobody can
 * authenticate as one (the API refuses token names and JWT subjects in it), so evidence signed by
 * `aims:policy:auto-approval` can only come from the engine.
 */

/** Every system actor's id starts with this; no credential may map to an identity that does. */
export const SYSTEM_IDENTITY_PREFIX = 'aims:';

/**
 * The canonical form of an identity: Unicode NFKC (folds full-width and compatibility forms), trimmed,
 * lower-cased without locale. Idempotent: normaliseIdentity(normaliseIdentity(x)) === normaliseIdentity(x).
 */
export function normaliseIdentity(id: string): string {
  return id.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/** True when two actor ids name the same identity. */
export function sameIdentity(a: string, b: string): boolean {
  return normaliseIdentity(a) === normaliseIdentity(b);
}

/** True for ids in the system actors' namespace (checked on the normalised form, so `AIMS:x` counts). */
export function isSystemIdentity(id: string): boolean {
  return normaliseIdentity(id).startsWith(SYSTEM_IDENTITY_PREFIX);
}
