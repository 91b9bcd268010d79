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
  /** Unique among tokens that are not revoked; the actor id recorded in evidence for calls made with it. */
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

export interface TokenStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Errors: InvalidTokenInputError, TokenNameTakenError. */
  issue(input: IssueTokenInput): Promise<IssuedApiToken>;
  /** Every token, oldest first; revoked ones too unless `activeOnly`. */
  list(options?: { activeOnly?: boolean }): Promise<ApiTokenRecord[]>;
  /**
   * Revokes the active token with this name, or the token with this id. Revoking a revoked token is a
   * no-op that returns it. Errors: TokenNotFoundError.
   */
  revoke(nameOrId: string, revokedBy?: string | null): Promise<ApiTokenRecord>;
  /** The active, unexpired token this bearer value proves, or null (unknown, wrong secret, revoked, expired). */
  authenticate(token: string, now?: Date): Promise<ApiTokenRecord | null>;
  /** Throws when the database does not answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
