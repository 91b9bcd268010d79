/**
 * The API-token store port: bearer tokens issued by `aims tokens create`, kept in the evidence store's own
 * database (table api_tokens, its own migrations). Only a salted hash of each secret is stored; the token
 * itself is shown once, at issue. Adapters: infra/auth/sqlite-token-store.ts and postgres-token-store.ts,
 * both passing test/integration/auth/token-store.contract.ts.
 */
import type { AimsRole } from '../../domain/shared/roles';

export interface ApiTokenRecord {
  /** Public identifier, also embedded in the token (`aims_<id>_<secret>`). */
  id: string;
  /**
   * Its holder's identity: issued once, ever (active, revoked or expired), and stored normalised
   * (lower case); rows from before that may differ in case. The actor id evidence records is its normalised form.
   */
  name: string;
  roles: AimsRole[];
  createdAt: string;
  createdBy: string | null;
  /** null: never expires. */
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface IssueTokenInput {
  name: string;
  roles: AimsRole[];
  createdBy?: string | null;
  expiresAt?: string | null;
}

export interface IssuedApiToken {
  record: ApiTokenRecord;
  /** The bearer token. It is not stored anywhere: whoever issues it must hand it over now. */
  token: string;
}

/** A revoked token, and whether the argument matched its id or its name (an id match wins). */
export type RevokedApiToken = ApiTokenRecord & { matchedBy: 'id' | 'name' };

/** A new token for an identity, and the active tokens it replaced (now revoked). */
export interface RotatedApiToken extends IssuedApiToken {
  revoked: ApiTokenRecord[];
}

export interface TokenStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Errors: InvalidTokenInputError, TokenNameTakenError (the name was ever issued, in any case). */
  issue(input: IssueTokenInput): Promise<IssuedApiToken>;
  /**
   * A new token for the identity of this name (or token id), with its roles, replacing (revoking) its
   * active token in one transaction; `expiresAt` defaults to the old token's lifetime from now.
   * Errors: TokenNotFoundError (no active token), TokenNameAmbiguousError.
   */
  rotate(nameOrId: string, options?: { rotatedBy?: string | null; expiresAt?: string | null }): Promise<RotatedApiToken>;
  /** Every token, oldest first; revoked ones too unless `activeOnly`. */
  list(options?: { activeOnly?: boolean }): Promise<ApiTokenRecord[]>;
  /**
   * Revokes the token with this id, else the active token with this name (an id match wins). Revoking a
   * revoked token is a no-op that returns it. Errors: TokenNotFoundError, TokenNameAmbiguousError.
   */
  revoke(nameOrId: string, revokedBy?: string | null): Promise<RevokedApiToken>;
  /** The active, unexpired token this bearer value proves, or null (unknown, wrong secret, revoked, expired). */
  authenticate(token: string, now?: Date): Promise<ApiTokenRecord | null>;
  /** Throws when the database does not answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
