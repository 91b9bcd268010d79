/**
 * What both token-store adapters do the same way; each adapter supplies the SQL of a few row operations.
 */
import type { ApiTokenRecord, IssuedApiToken, IssueTokenInput, TokenStore } from '../ports/token-store.port';
import type { AimsRole } from '../../domain/shared/roles';
import { formatToken, hashSecret, newSalt, newTokenParts, parseToken, secretMatches, validateTokenInput } from './api-token';
import { TokenNotFoundError } from './token-errors';

/** A row as stored: the record plus what proves the secret. */
export interface StoredTokenRow {
  id: string;
  name: string;
  roles: string;
  salt: string;
  secretHash: string;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export function toRecord(row: StoredTokenRow): ApiTokenRecord {
  return {
    id: row.id,
    name: row.name,
    roles: JSON.parse(row.roles) as AimsRole[],
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
  };
}

// A fixed salt and hash to compare against when the id is unknown, so that answering "no such token"
// takes as long as "wrong secret".
const DUMMY_SALT = '00000000000000000000000000000000';
const DUMMY_HASH = hashSecret(DUMMY_SALT, 'x');

export abstract class TokenStoreBase implements TokenStore {
  abstract readonly kind: 'sqlite' | 'postgres';
  /** Inserts; throws TokenNameTakenError when an active token has the name. */
  protected abstract insertRow(row: StoredTokenRow): Promise<void>;
  protected abstract selectRows(activeOnly: boolean): Promise<StoredTokenRow[]>;
  protected abstract selectById(id: string): Promise<StoredTokenRow | undefined>;
  protected abstract selectActiveByName(name: string): Promise<StoredTokenRow | undefined>;
  /** Marks it revoked unless it already is; returns the row as it is afterwards. */
  protected abstract markRevoked(id: string, at: string, by: string | null): Promise<StoredTokenRow | undefined>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  async issue(input: IssueTokenInput): Promise<IssuedApiToken> {
    const { name, roles, expiresAt } = validateTokenInput(input.name, input.roles, input.expiresAt);
    const parts = newTokenParts();
    const salt = newSalt();
    const row: StoredTokenRow = {
      id: parts.id,
      name,
      roles: JSON.stringify(roles),
      salt,
      secretHash: hashSecret(salt, parts.secret),
      createdAt: new Date().toISOString(),
      createdBy: input.createdBy ?? null,
      expiresAt,
      revokedAt: null,
      revokedBy: null,
    };
    await this.insertRow(row);
    return { record: toRecord(row), token: formatToken(parts) };
  }

  async list(options: { activeOnly?: boolean } = {}): Promise<ApiTokenRecord[]> {
    return (await this.selectRows(options.activeOnly ?? false)).map(toRecord);
  }

  async revoke(nameOrId: string, revokedBy: string | null = null): Promise<ApiTokenRecord> {
    const row =
      (await this.selectActiveByName(nameOrId)) ?? (/^[0-9a-f]{16}$/.test(nameOrId) ? await this.selectById(nameOrId) : undefined);
    if (!row) throw new TokenNotFoundError(nameOrId);
    if (row.revokedAt !== null) return toRecord(row);
    const after = await this.markRevoked(row.id, new Date().toISOString(), revokedBy);
    if (!after) throw new TokenNotFoundError(nameOrId);
    return toRecord(after);
  }

  async authenticate(token: string, now: Date = new Date()): Promise<ApiTokenRecord | null> {
    const parts = typeof token === 'string' ? parseToken(token) : null;
    if (!parts) return null;
    const row = await this.selectById(parts.id);
    const matches = secretMatches(row?.salt ?? DUMMY_SALT, parts.secret, row?.secretHash ?? DUMMY_HASH);
    if (!row || !matches || row.revokedAt !== null) return null;
    if (row.expiresAt !== null && Date.parse(row.expiresAt) <= now.getTime()) return null;
    return toRecord(row);
  }
}
