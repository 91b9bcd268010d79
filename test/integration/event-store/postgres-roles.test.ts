/**
 * The PostgreSQL set-up of docs/database-roles.md, on a real server: an owner role that migrates, and an
 * appending role the engine runs as, which can append and read but cannot change or remove evidence nor
 * switch off the append-only triggers. Also: a database that is not UTF-8 is refused before anything is
 * created. Roles, schema and database are made here and dropped afterwards. The tests of the first
 * describe run in order, each on the store the first one set up.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { evidenceCommand, EvidenceIo } from '../../../apps/cli/src/commands/evidence.command';
import {
  EvidenceDatabaseEncodingError,
  EvidenceRoleUnsuitableError,
  EvidenceSchemaBehindError,
} from '../../../domain/evidence/evidence-errors';
import { openTokenStore } from '../../../infra/auth/open-token-store';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { POSTGRES_MIGRATIONS } from '../../../infra/event-store/postgres-migrations';
import { openReadModelStore } from '../../../infra/projections/open-read-model-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import { collect, newEvent } from './event-store.contract';

const POSTGRES_URL = process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const OWNER = `aims_owner_${suffix}`;
const APP = `aims_app_${suffix}`;
const STRANGER = `aims_stranger_${suffix}`;
const SCHEMA = `aims_roles_${suffix}`;
const LATEST = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));

/** The test server's URL as `role`, on `database` (default: the test database), with the test schema. */
function urlAs(role: string, options: { database?: string; schema?: string | null } = {}): string {
  const url = new URL(POSTGRES_URL);
  url.username = role;
  url.password = '';
  if (options.database) url.pathname = `/${options.database}`;
  if (options.schema !== null) url.searchParams.set('schema', options.schema ?? SCHEMA);
  return url.toString();
}

async function asRole<T>(role: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlAs(role, { schema: null }) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const admin = (work: (client: Client) => Promise<unknown>): Promise<unknown> => asRole(new URL(POSTGRES_URL).username || 'postgres', work);

function captureIo(): EvidenceIo & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (t) => out.push(t), stderr: () => undefined, progress: false };
}

describe('PostgreSQL: an appending role that does not own the evidence tables', () => {
  const opened: EventStore[] = [];
  const open = async (role: string, migrate?: boolean): Promise<EventStore> => {
    const store = await openEventStore(urlAs(role), { migrate });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    await admin(async (c) => {
      const database = (await c.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db;
      await c.query(`CREATE ROLE ${OWNER} LOGIN; CREATE ROLE ${APP} LOGIN; CREATE ROLE ${STRANGER} LOGIN`);
      // The owner may create the schema (what a DBA grants the role that migrates).
      await c.query(`GRANT CREATE ON DATABASE "${database}" TO ${OWNER}`);
    });
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await admin(async (c) => {
      const database = (await c.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db;
      await c.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
      for (const role of [OWNER, APP, STRANGER]) {
        await c.query(`REVOKE ALL ON DATABASE "${database}" FROM ${role}`);
        await c.query(`DROP OWNED BY ${role} CASCADE`);
        await c.query(`DROP ROLE IF EXISTS ${role}`);
      }
    });
  });

  it('given the owner migrated with --app-role, when the engine runs as the app role, then it appends, reads and verifies without migrating', async () => {
    // given
    const io = captureIo();
    expect(await evidenceCommand(['migrate', '--store', urlAs(OWNER), '--app-role', APP], io)).toBe(0);
    expect(io.out.join('')).toMatch(
      new RegExp(`applied version\\(s\\) ${POSTGRES_MIGRATIONS.map((m) => m.version).join(', ')}[^]*role ${APP} may now append`),
    );
    // when: two instances as the app role, the second deciding on a stale revision (its slow path inserts directly)
    const first = await open(APP, false);
    const second = await open(APP);
    await second.append('ai-system-1', [newEvent()]);
    await first.append('ai-system-1', [newEvent(), newEvent('AiSystemChanged', { name: 'Кредитный скоринг', emoji: '😀' })]);
    // remembered revision 0 is stale: the insert is refused on the unique index, and the slow path appends
    expect(await second.append('ai-system-1', [newEvent()])).toMatchObject({ nextExpectedRevision: 3, lastPosition: 4 });
    await second.append('ai-system-1', [newEvent()], { expectedRevision: 3 });
    // then
    expect((await collect(first.readStream('ai-system-1'))).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    expect((await collect(first.readAll())).map((e) => e.data.name)).toContain('Кредитный скоринг');
    expect(await first.verify()).toMatchObject({ intact: true, eventsChecked: 5 });
    // the engine's own mutable tables (tokens, read models) it creates and owns itself
    const tokens = await openTokenStore(urlAs(APP));
    await tokens.close();
    const readModels = await openReadModelStore(urlAs(APP));
    await readModels.close();
    // the owner owns the evidence tables, not the app role
    const owners = await asRole(
      APP,
      async (c) =>
        (
          await c.query<{ tableowner: string }>(
            `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'evidence_%'`,
            [SCHEMA],
          )
        ).rows,
    );
    expect(owners).toEqual([{ tableowner: OWNER }]);
  });

  it.each([
    ['UPDATE', `UPDATE "${SCHEMA}".evidence_events SET data = '{}' WHERE position = 1`, /permission denied/],
    ['DELETE', `DELETE FROM "${SCHEMA}".evidence_events WHERE position = 5`, /permission denied/],
    ['TRUNCATE', `TRUNCATE "${SCHEMA}".evidence_events`, /permission denied/],
    ['DISABLE TRIGGER', `ALTER TABLE "${SCHEMA}".evidence_events DISABLE TRIGGER ALL`, /must be owner/],
    ['DROP TRIGGER', `DROP TRIGGER evidence_events_refuse_update_delete ON "${SCHEMA}".evidence_events`, /must be owner/],
    ['DROP TABLE', `DROP TABLE "${SCHEMA}".evidence_events`, /must be owner/],
    [
      'CREATE TRIGGER',
      `CREATE TRIGGER t BEFORE INSERT ON "${SCHEMA}".evidence_events FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`,
      /permission denied/,
    ],
    ['a forged migration record', `DELETE FROM "${SCHEMA}".evidence_schema_migrations`, /permission denied/],
  ])('given the app role, when it tries %s, then PostgreSQL refuses it and the evidence stays intact', async (_what, sql, refusal) => {
    await expect(asRole(APP, (c) => c.query(sql))).rejects.toThrow(refusal);
    const store = await open(OWNER);
    expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 5 });
  });

  it('given the schema behind this version, when the app role starts, then it refuses clearly whether or not it may migrate', async () => {
    // given: the owner's record of the latest migration removed (as if this aims were newer than the schema)
    await asRole(OWNER, (c) => c.query(`DELETE FROM "${SCHEMA}".evidence_schema_migrations WHERE version = ${LATEST}`));
    try {
      // when / then: configured not to migrate
      const refusal = await open(APP, false).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(EvidenceSchemaBehindError);
      expect((refusal as Error).message).toMatch(
        new RegExp(`version ${LATEST - 1}; this aims needs version ${LATEST}. This process does not migrate[^]*aims evidence migrate`),
      );
      // configured to migrate, but lacking the rights
      const denied = await open(APP).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(EvidenceSchemaBehindError);
      expect((denied as Error).message).toMatch(new RegExp(`role \\(${APP}\\) may not change the schema`));
    } finally {
      // the owner migrates again (the migration is repeatable), and the app role starts
      expect(await evidenceCommand(['migrate', '--store', urlAs(OWNER)], captureIo())).toBe(0);
    }
    expect(await (await open(APP, false)).verify()).toMatchObject({ intact: true });
  });

  it('given roles that could undo the guarantees or have no grant, when named or used, then each is refused with the reason', async () => {
    const superuser = new URL(POSTGRES_URL).username || 'postgres';
    await expect(evidenceCommand(['migrate', '--store', urlAs(OWNER), '--app-role', OWNER], captureIo())).rejects.toThrow(
      /cannot be the evidence store's appending role: it is, or may act as, .*the owner/,
    );
    await expect(evidenceCommand(['migrate', '--store', urlAs(OWNER), '--app-role', superuser], captureIo())).rejects.toThrow(/superuser/);
    await expect(evidenceCommand(['migrate', '--store', urlAs(OWNER), '--app-role', `nobody_${suffix}`], captureIo())).rejects.toThrow(
      /no such role/,
    );
    const stranger = await open(STRANGER).catch((e: unknown) => e);
    expect(stranger).toBeInstanceOf(EvidenceRoleUnsuitableError);
    expect((stranger as Error).message).toMatch(/may not read the evidence tables[^]*--app-role/);
  });
});

describe('PostgreSQL: a database that is not UTF-8', () => {
  const database = `aims_latin1_${suffix}`;
  beforeAll(() => admin((c) => c.query(`CREATE DATABASE ${database} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`)));
  afterAll(() => admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)));

  it('given a LATIN1 database, when the store opens or is migrated, then it is refused naming the encoding, and nothing is created', async () => {
    const url = urlAs(new URL(POSTGRES_URL).username || 'postgres', { database, schema: 'public' });
    const refusal = await openEventStore(url).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(EvidenceDatabaseEncodingError);
    expect((refusal as Error).message).toMatch(/encoding is LATIN1, not UTF8[^]*ENCODING 'UTF8'/);
    await expect(evidenceCommand(['migrate', '--store', url], captureIo())).rejects.toThrow(/not UTF8/);
    const client = new Client({ connectionString: url.replace(/\?.*$/, '') });
    await client.connect();
    try {
      const tables = await client.query(
        `SELECT to_regclass('public.evidence_events') AS events, to_regclass('public.evidence_schema_migrations') AS migrations`,
      );
      expect(tables.rows[0]).toEqual({ events: null, migrations: null });
    } finally {
      await client.end();
    }
  });
});
