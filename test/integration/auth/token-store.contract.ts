/**
 * The contract every token-store adapter passes (run by sqlite-token-store.test.ts and
 * postgres-token-store.test.ts against a fresh database each).
 */
import { InvalidTokenInputError, TokenNameTakenError, TokenNotFoundError } from '../../../infra/auth/token-errors';
import type { TokenStore } from '../../../infra/ports/token-store.port';

export interface TokenStoreHarness {
  /** Opens another store on the same database (its own connection). */
  open(): Promise<TokenStore>;
  /** Every stored row, as the database holds it. */
  rawRows(): Promise<Array<Record<string, unknown>>>;
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

    it('given an active token name, when issued again, then it is refused; after revocation the name is free', async () => {
      await store.issue({ name: 'alice', roles: ['approver'] });
      await expect(store.issue({ name: 'alice', roles: ['auditor'] })).rejects.toBeInstanceOf(TokenNameTakenError);
      await store.revoke('alice');
      const again = await store.issue({ name: 'alice', roles: ['auditor'] });
      expect(await store.authenticate(again.token)).toMatchObject({ name: 'alice', roles: ['auditor'] });
      expect((await store.list()).map((t) => t.name)).toEqual(['alice', 'alice']);
      expect((await store.list({ activeOnly: true })).map((t) => t.id)).toEqual([again.record.id]);
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
