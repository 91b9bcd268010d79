import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { tokenStoreContract } from './token-store.contract';

tokenStoreContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-tokens-'));
  const url = `sqlite:${path.join(dir, 'evidence.db')}`;
  return {
    open: () => openTokenStore(url),
    rawRows: async () => {
      const db = new Database(path.join(dir, 'evidence.db'), { readonly: true });
      try {
        return db.prepare('SELECT * FROM api_tokens ORDER BY created_at, id').all() as Array<Record<string, unknown>>;
      } finally {
        db.close();
      }
    },
    insertLegacyRow: async (row) => {
      const db = new Database(path.join(dir, 'evidence.db'));
      try {
        db.prepare(
          `INSERT INTO api_tokens (id, name, roles, salt, secret_hash, created_at, created_by, expires_at, revoked_at, revoked_by)
           VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL)`,
        ).run(row.id, row.name, JSON.stringify(row.roles), '00', '00', '2020-01-01T00:00:00.000Z', row.revokedAt ?? null);
      } finally {
        db.close();
      }
    },
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SQLite token store beside the evidence', () => {
  it('given one file, when the evidence store and the token store both open it, then each keeps its own tables', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-tokens-'));
    const url = `sqlite:${path.join(dir, 'evidence.db')}`;
    const tokens = await openTokenStore(url);
    const events = await openEventStore(url);
    try {
      await events.append('ai-system-1', [{ id: '11111111-1111-4111-8111-111111111111', type: 'Noted', data: {} }]);
      const issued = await tokens.issue({ name: 'n', roles: ['admin'] });
      expect(await tokens.authenticate(issued.token)).not.toBeNull();
      expect((await events.head())?.position).toBe(1);
    } finally {
      await tokens.close();
      await events.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
