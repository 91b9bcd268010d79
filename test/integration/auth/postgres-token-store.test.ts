import { randomBytes } from 'node:crypto';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { POSTGRES_URL, withClient } from '../../support/postgres';
import { tokenStoreContract } from './token-store.contract';

/** Each harness gets its own schema, dropped afterwards. */
tokenStoreContract('PostgreSQL', async () => {
  const schema = `aims_tokens_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `${POSTGRES_URL}?schema=${schema}`;
  return {
    open: () => openTokenStore(url),
    rawRows: () =>
      withClient(
        async (c) => (await c.query(`SELECT * FROM "${schema}".api_tokens ORDER BY created_at, id`)).rows as Array<Record<string, unknown>>,
      ),
    insertLegacyRow: (row) =>
      withClient(async (c) => {
        await c.query(
          `INSERT INTO "${schema}".api_tokens (id, name, roles, salt, secret_hash, created_at, created_by, expires_at, revoked_at, revoked_by)
           VALUES ($1, $2, $3, '00', '00', '2020-01-01T00:00:00.000Z', NULL, NULL, $4, NULL)`,
          [row.id, row.name, JSON.stringify(row.roles), row.revokedAt ?? null],
        );
      }),
    dispose: () => withClient(async (c) => void (await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))),
  };
});
