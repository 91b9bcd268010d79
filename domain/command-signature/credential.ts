/**
 * The credential a person's command was sent with (issue 11, finding 4): evidence names both the identity
 * that acted and which credential proved it, so a leaked or shared token can be traced to what it did.
 * The API puts it in every command it signs (`credential` beside `by`), so the signature covers it and
 * nobody who can only reach Temporal can forge or alter it; the evidence activity copies it into each
 * event's `metadata.credential` once the signature holds.
 */
import type { JsonObject } from '../shared/json';

export type CommandCredential =
  | {
      kind: 'api-token';
      /** The API token's public id (`aims_<id>_…`), never its secret. */
      tokenId: string;
    }
  | {
      kind: 'jwt';
      /** The identity provider (`iss`). */
      issuer: string;
      /** `sub` as the provider sent it (the identity is its normalised form). */
      subject: string;
      /** `jti`, when the provider sets one. */
      jti?: string;
    };

const SHORT_TEXT = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 512;

/** The credential in a command's argument, re-built from known fields only, or null when absent or malformed. */
export function credentialOf(value: unknown): (CommandCredential & JsonObject) | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const c = value as Record<string, unknown>;
  if (c.kind === 'api-token' && typeof c.tokenId === 'string' && /^[0-9a-f]{16}$/.test(c.tokenId)) {
    return { kind: 'api-token', tokenId: c.tokenId };
  }
  if (c.kind === 'jwt' && SHORT_TEXT(c.issuer) && SHORT_TEXT(c.subject) && (c.jti === undefined || SHORT_TEXT(c.jti))) {
    return { kind: 'jwt', issuer: c.issuer, subject: c.subject, ...(c.jti === undefined ? {} : { jti: c.jti }) };
  }
  return null;
}
