/**
 * The contract every token-store adapter passes (run by sqlite-token-store.test.ts and
 * postgres-token-store.test.ts against a fresh database each).
 */
import { InvalidTokenInputError, TokenNameAmbiguousError, TokenNameTakenError, TokenNotFoundError } from '../../../infra/auth/token-errors';
import type { TokenStore } from '../../../infra/ports/token-store.port';

export interface TokenStoreHarness {
  /** Opens another store on the same database (its own connection). */
  open(): Promise<TokenStore>;
  /** Every stored row, as the database holds it. */
  rawRows(): Promise<Array<Record<string, unknown>>>;
  /** Inserts a row as an older release wrote it (a name not normalised), around the store. */
  insertLegacyRow(row: { id: string; name: string; roles: string[]; revokedAt?: string | null }): Promise<void>;
  dispose(): Promise<void>;
}

export function tokenStoreContract(name: string, makeHarness: () => Promise<TokenStoreHarness>): void {
  describe(`${name} token store (contract)`, () => {
    let harness: TokenStoreHarness;
    let store: TokenStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });

    afterEach(async () => {
      await store?.close();
      await harness?.dispose();
    });

    it('given a new token, when issued, then it has the aims_<id>_<secret> form and proves its record', async () => {
      const issued = await store.issue({ name: 'ci-main', roles: ['ci'], createdBy: 'test' });
      expect(issued.token).toMatch(/^aims_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(issued.token.slice(5, 21)).toBe(issued.record.id);
      expect(issued.record).toMatchObject({ name: 'ci-main', roles: ['ci'], createdBy: 'test', revokedAt: null, expiresAt: null });
      expect(await store.authenticate(issued.token)).toEqual(issued.record);
    });

    it('given issued tokens, when the table is read, then it holds a salted hash and never the secret', async () => {
      const a = await store.issue({ name: 'a', roles: ['approver'] });
      const b = await store.issue({ name: 'b', roles: ['approver'] });
      const rows = await harness.rawRows();
      const dump = JSON.stringify(rows);
      for (const token of [a.token, b.token]) expect(dump).not.toContain(token.slice(22));
      expect(rows).toHaveLength(2);
      expect(rows[0]?.salt).not.toEqual(rows[1]?.salt);
      for (const row of rows) expect(String(row.secret_hash)).toMatch(/^[0-9a-f]{64}$/);
    });

    it('given a token, when a wrong secret, a malformed value or an unknown id is presented, then none authenticates', async () => {
      const issued = await store.issue({ name: 'x', roles: ['engineer'] });
      const wrongSecret = `${issued.token.slice(0, 22)}${'A'.repeat(43)}`;
      expect(await store.authenticate(wrongSecret)).toBeNull();
      expect(await store.authenticate(`${issued.token}x`)).toBeNull();
      expect(await store.authenticate('aims_0000000000000000_' + 'A'.repeat(43))).toBeNull();
      expect(await store.authenticate('')).toBeNull();
      expect(await store.authenticate('Bearer whatever')).toBeNull();
    });

    it('given a token revoked by name on another connection, when it is presented, then it no longer authenticates', async () => {
      const issued = await store.issue({ name: 'victor', roles: ['validator'] });
      const other = await harness.open();
      try {
        const revoked = await other.revoke('victor', 'admin-cli');
        expect(revoked).toMatchObject({ id: issued.record.id, revokedBy: 'admin-cli' });
        expect(revoked.revokedAt).not.toBeNull();
      } finally {
        await other.close();
      }
      expect(await store.authenticate(issued.token)).toBeNull();
    });

    it('given a token, when revoked by id, then it is revoked; revoking it again returns it unchanged', async () => {
      const issued = await store.issue({ name: 'rita', roles: ['risk_owner'] });
      const first = await store.revoke(issued.record.id);
      const second = await store.revoke(issued.record.id);
      expect(second).toEqual(first);
      expect(await store.authenticate(issued.token)).toBeNull();
    });

    it('given a name, when issued, then it is stored as its normalised identity; the same name in another case is taken', async () => {
      const issued = await store.issue({ name: 'Alice', roles: ['approver'] });
      expect(issued.record.name).toBe('alice');
      await expect(store.issue({ name: 'alice', roles: ['auditor'] })).rejects.toBeInstanceOf(TokenNameTakenError);
      await expect(store.issue({ name: 'ALICE', roles: ['auditor'] })).rejects.toBeInstanceOf(TokenNameTakenError);
    });

    it('given a name whose token was revoked or expired, when issued again, then it is refused: a name is one person for good', async () => {
      await store.issue({ name: 'alice', roles: ['approver'] });
      await store.revoke('alice');
      await expect(store.issue({ name: 'Alice', roles: ['auditor'] })).rejects.toBeInstanceOf(TokenNameTakenError);
      await store.issue({ name: 'temp', roles: ['ci'], expiresAt: '2000-01-01T00:00:00Z' });
      await expect(store.issue({ name: 'temp', roles: ['ci'] })).rejects.toThrow(/aims tokens rotate temp/);
    });

    it('given concurrent issues of one name on two connections, when both run, then exactly one succeeds', async () => {
      const other = await harness.open();
      try {
        const results = await Promise.allSettled([
          store.issue({ name: 'race', roles: ['ci'] }),
          other.issue({ name: 'RACE', roles: ['ci'] }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(TokenNameTakenError);
      } finally {
        await other.close();
      }
    });

    it('given an active token, when rotated, then a new token for the same identity and roles replaces it and the old one is revoked', async () => {
      const old = await store.issue({ name: 'paula', roles: ['approver', 'risk_owner'], createdBy: 'ops' });
      const rotated = await store.rotate('Paula', { rotatedBy: 'ops2' });
      expect(rotated.record).toMatchObject({ name: 'paula', roles: ['approver', 'risk_owner'], createdBy: 'ops2', revokedAt: null });
      expect(rotated.revoked).toEqual([expect.objectContaining({ id: old.record.id, revokedBy: 'ops2' })]);
      expect(await store.authenticate(old.token)).toBeNull();
      expect(await store.authenticate(rotated.token)).toMatchObject({ id: rotated.record.id });
      await store.revoke('paula');
      await expect(store.rotate('paula')).rejects.toBeInstanceOf(TokenNotFoundError);
    });

    it('given names in the reserved aims: namespace or shaped like a token id, when issued, then they are refused', async () => {
      await expect(store.issue({ name: 'aims:policy:auto-approval', roles: ['admin'] })).rejects.toThrow(/reserved/);
      await expect(store.issue({ name: 'AIMS:x', roles: ['admin'] })).rejects.toMatchObject({ field: 'name' });
      await expect(store.issue({ name: '0123456789abcdef', roles: ['ci'] })).rejects.toThrow(/looks like a token id/);
    });

    it('given tokens written before names were normalised, when looked up, then they keep working and revocation by name finds them', async () => {
      await harness.insertLegacyRow({ id: '00000000000000aa', name: 'Bob', roles: ['engineer'], revokedAt: '2020-01-01T00:00:00.000Z' });
      await harness.insertLegacyRow({ id: '00000000000000bb', name: 'Carol', roles: ['engineer'] });
      await expect(store.issue({ name: 'bob', roles: ['engineer'] })).rejects.toBeInstanceOf(TokenNameTakenError);
      expect(await store.revoke('carol')).toMatchObject({ id: '00000000000000bb', matchedBy: 'name' });
      await harness.insertLegacyRow({ id: '00000000000000cc', name: 'Dave', roles: ['ci'] });
      await harness.insertLegacyRow({ id: '00000000000000dd', name: 'dave', roles: ['ci'] });
      await expect(store.revoke('dave')).rejects.toBeInstanceOf(TokenNameAmbiguousError);
      const rotated = await store.rotate('00000000000000dd');
      expect(rotated.record.name).toBe('dave');
      expect(rotated.revoked.map((r) => r.id)).toEqual(['00000000000000dd']);
    });

    it("given a token named like another token's id, when that id is revoked, then the id match wins and says so", async () => {
      const target = await store.issue({ name: 'target', roles: ['ci'] });
      await harness.insertLegacyRow({ id: '00000000000000ee', name: target.record.id, roles: ['ci'] });
      const revoked = await store.revoke(target.record.id);
      expect(revoked).toMatchObject({ id: target.record.id, name: 'target', matchedBy: 'id' });
      expect((await store.list({ activeOnly: true })).map((t) => t.id)).toEqual(['00000000000000ee']);
    });

    it('given an unknown name or id, when revoked, then it says so', async () => {
      await expect(store.revoke('nobody')).rejects.toBeInstanceOf(TokenNotFoundError);
      await expect(store.revoke('0123456789abcdef')).rejects.toBeInstanceOf(TokenNotFoundError);
    });

    it('given a token past its expiry, when presented, then it does not authenticate', async () => {
      const issued = await store.issue({ name: 'short', roles: ['ci'], expiresAt: '2030-01-01T00:00:00Z' });
      expect(await store.authenticate(issued.token, new Date('2029-12-31T23:59:59Z'))).not.toBeNull();
      expect(await store.authenticate(issued.token, new Date('2030-01-01T00:00:00Z'))).toBeNull();
    });

    it('given bad input, when issuing, then each mistake is refused by field', async () => {
      await expect(store.issue({ name: 'has space', roles: ['ci'] })).rejects.toMatchObject({ field: 'name' });
      await expect(store.issue({ name: 'ok', roles: [] })).rejects.toMatchObject({ field: 'roles' });
      await expect(store.issue({ name: 'ok', roles: ['superuser' as never] })).rejects.toBeInstanceOf(InvalidTokenInputError);
      await expect(store.issue({ name: 'ok', roles: ['ci'], expiresAt: 'soon' })).rejects.toMatchObject({ field: 'expiresAt' });
      expect(await store.list()).toEqual([]);
    });

    it('given several roles with a repeat, when issued, then each role is kept once', async () => {
      const issued = await store.issue({ name: 'multi', roles: ['engineer', 'ci', 'engineer'] });
      expect(issued.record.roles).toEqual(['engineer', 'ci']);
    });
  });
}
