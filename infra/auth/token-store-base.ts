/**
 * What both token-store adapters do the same way; each adapter supplies the SQL of a few row operations.
 *
 * Identities (issue 11, finding 4): a token's name is its holder's identity, stored normalised
 * (domain/shared/actor-identity.ts). A name is issued once: whether its token is active, revoked or expired,
 * issuing it again is refused, because a newcomer under a former holder's name would inherit their history
 * (and segregation of duties would take them for one person). Replacing a person's token is `rotate`:
 * a new token for the same identity, the old one revoked, in one transaction. Names stored before
 * normalisation (e.g. `Alice`) keep working: names were always ASCII, so their identity is their lower
 * case, which is how rows are compared (and the API normalises the actor id when it authenticates).
 */
import type {
  ApiTokenRecord,
  IssuedApiToken,
  IssueTokenInput,
  RevokedApiToken,
  RotatedApiToken,
  TokenStore,
} from '../ports/token-store.port';
import { normaliseIdentity } from '../../domain/shared/actor-identity';
import type { AimsRole } from '../../domain/shared/roles';
import {
  formatToken,
  hashSecret,
  looksLikeTokenId,
  newSalt,
  newTokenParts,
  parseToken,
  secretMatches,
  validateTokenInput,
} from './api-token';
import { InvalidTokenInputError, TokenNameAmbiguousError, TokenNameTakenError, TokenNotFoundError } from './token-errors';

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

/**
 * Inside the adapter's transaction (which keeps concurrent issues of one name out): the rows whose
 * name is this identity, checked against what the caller expects, then the new row inserted.
 * `replacing` null: a new identity, so no row may have it. Otherwise: these ids must still be active
 * tokens of the identity; they are revoked (at the new row's creation, by its creator) first.
 */
export function checkIdentityRows(row: StoredTokenRow, existing: StoredTokenRow[], replacing: readonly string[] | null): void {
  if (replacing === null) {
    if (existing.length > 0)
      throw new TokenNameTakenError(
        row.name,
        existing.map((r) => r.id),
      );
    return;
  }
  const active = existing.filter((r) => r.revokedAt === null).map((r) => r.id);
  // Revoked or renamed meanwhile (another operator got there first): nothing is issued.
  const gone = replacing.find((id) => !active.includes(id));
  if (gone !== undefined) throw new TokenNotFoundError(gone);
}

// A fixed salt and hash to compare against when the id is unknown, so that answering "no such token"
// takes as long as "wrong secret".
const DUMMY_SALT = '00000000000000000000000000000000';
const DUMMY_HASH = hashSecret(DUMMY_SALT, 'x');

export abstract class TokenStoreBase implements TokenStore {
  abstract readonly kind: 'sqlite' | 'postgres';
  /**
   * In one transaction: the rows named `row.name`'s identity (compared as lower case), checked with
   * checkIdentityRows, `replacing` revoked, `row` inserted. Throws TokenNameTakenError as that says.
   */
  protected abstract insertForIdentity(row: StoredTokenRow, replacing: readonly string[] | null): Promise<void>;
  protected abstract selectRows(activeOnly: boolean): Promise<StoredTokenRow[]>;
  protected abstract selectById(id: string): Promise<StoredTokenRow | undefined>;
  /** Every row (active or not) whose name is this identity. */
  protected abstract selectByIdentity(identity: string): Promise<StoredTokenRow[]>;
  /** Marks it revoked unless it already is; returns the row as it is afterwards. */
  protected abstract markRevoked(id: string, at: string, by: string | null): Promise<StoredTokenRow | undefined>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  async issue(input: IssueTokenInput): Promise<IssuedApiToken> {
    const { name, roles, expiresAt } = validateTokenInput(input.name, input.roles, input.expiresAt);
    return this.insert(name, roles, expiresAt, input.createdBy ?? null, null);
  }

  async rotate(nameOrId: string, options: { rotatedBy?: string | null; expiresAt?: string | null } = {}): Promise<RotatedApiToken> {
    const active = (await this.lookUp(nameOrId)).rows.filter((r) => r.revokedAt === null);
    const newest = active[active.length - 1];
    if (newest === undefined) throw new TokenNotFoundError(nameOrId);
    const record = toRecord(newest);
    // Unless told otherwise, the new token lives as long as the old one was given (rotation is often due to expiry).
    const lifetime = record.expiresAt === null ? null : Date.parse(record.expiresAt) - Date.parse(record.createdAt);
    const defaultExpiry = lifetime === null ? null : new Date(Date.now() + Math.max(lifetime, 0)).toISOString();
    const { name, roles, expiresAt } = validateTokenInput(
      normaliseIdentity(record.name),
      record.roles,
      options.expiresAt === undefined ? defaultExpiry : options.expiresAt,
    );
    const issued = await this.insert(
      name,
      roles,
      expiresAt,
      options.rotatedBy ?? null,
      active.map((r) => r.id),
    );
    const revoked = await Promise.all(active.map(async (r) => toRecord((await this.selectById(r.id)) ?? r)));
    return { ...issued, revoked };
  }

  async list(options: { activeOnly?: boolean } = {}): Promise<ApiTokenRecord[]> {
    return (await this.selectRows(options.activeOnly ?? false)).map(toRecord);
  }

  /** An id wins over a name: a token named like another token's id cannot shadow it. */
  async revoke(nameOrId: string, revokedBy: string | null = null): Promise<RevokedApiToken> {
    const { matchedBy, rows } = await this.lookUp(nameOrId);
    const row = matchedBy === 'id' ? rows[0] : rows.find((r) => r.revokedAt === null);
    if (row === undefined) throw new TokenNotFoundError(nameOrId);
    if (row.revokedAt !== null) return { ...toRecord(row), matchedBy };
    const after = await this.markRevoked(row.id, new Date().toISOString(), revokedBy);
    if (!after) throw new TokenNotFoundError(nameOrId);
    return { ...toRecord(after), matchedBy };
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

  /**
   * The token with this id, else the tokens named this identity. For a name, several active tokens (possible
   * only for names stored before normalisation, `Alice` and `alice`) are ambiguous: the caller names an id.
   */
  private async lookUp(nameOrId: string): Promise<{ matchedBy: 'id' | 'name'; rows: StoredTokenRow[] }> {
    if (looksLikeTokenId(nameOrId)) {
      const byId = await this.selectById(nameOrId);
      if (byId !== undefined) return { matchedBy: 'id', rows: [byId] };
    }
    const rows = await this.selectByIdentity(normaliseIdentity(nameOrId));
    const active = rows.filter((r) => r.revokedAt === null);
    if (active.length > 1)
      throw new TokenNameAmbiguousError(
        nameOrId,
        active.map((r) => r.id),
      );
    return { matchedBy: 'name', rows };
  }

  private async insert(
    name: string,
    roles: AimsRole[],
    expiresAt: string | null,
    createdBy: string | null,
    replacing: readonly string[] | null,
  ): Promise<IssuedApiToken> {
    if (replacing !== null && replacing.length === 0) throw new InvalidTokenInputError('name', name, 'has no active token to rotate');
    const parts = newTokenParts();
    const salt = newSalt();
    const row: StoredTokenRow = {
      id: parts.id,
      name,
      roles: JSON.stringify(roles),
      salt,
      secretHash: hashSecret(salt, parts.secret),
      createdAt: new Date().toISOString(),
      createdBy,
      expiresAt,
      revokedAt: null,
      revokedBy: null,
    };
    await this.insertForIdentity(row, replacing);
    return { record: toRecord(row), token: formatToken(parts) };
  }
}
