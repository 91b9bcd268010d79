/**
 * Backup and restore of the evidence store with the standard tools docs/deployment.md names: pg_dump and
 * psql for PostgreSQL, the sqlite3 shell's `.backup` for SQLite. A restored copy holds every event, its
 * chain and its Merkle tree verify, and appending to it goes on from where the backup was taken.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../../support/postgres';

const EVENTS = 120;

async function fill(store: EventStore): Promise<void> {
  for (let i = 0; i < EVENTS; i += 10) {
    const batch = Array.from({ length: 10 }, (_, j) => ({
      id: `00000000-0000-4000-8000-${String(i + j).padStart(12, '0')}`,
      type: 'ThingRecorded',
      data: { n: i + j, text: 'Évidence ✓' },
      metadata: { actor: { id: 'erin', role: 'engineer' } },
    }));
    await store.append(`thing-${i % 3}`, batch);
  }
}

async function expectRestoredCopyWorks(original: EventStore, restoredUrl: string): Promise<void> {
  const restored = await openEventStore(restoredUrl);
  try {
    expect(await restored.verify()).toMatchObject({ intact: true, eventsChecked: EVENTS });
    expect((await restored.head())?.hash).toBe((await original.head())?.hash);
    expect((await restored.treeHead()).rootHash.equals((await original.treeHead()).rootHash)).toBe(true);
    const next = await restored.append('thing-after-restore', [
      { id: '00000000-0000-4000-8000-999999999999', type: 'ThingRecorded', data: { n: EVENTS }, metadata: {} },
    ]);
    expect(next.lastPosition).toBe(EVENTS + 1);
    expect(await restored.verify()).toMatchObject({ intact: true, eventsChecked: EVENTS + 1 });
  } finally {
    await restored.close();
  }
}

describe('backup and restore of the evidence store', () => {
  it('PostgreSQL: pg_dump of the schema, restored into another database, verifies and goes on', async () => {
    const schema = freshSchemaName('backup');
    const database = `aims_restore_${process.pid}_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-backup-'));
    const original = await openEventStore(`${POSTGRES_URL}?schema=${schema}`);
    try {
      await fill(original);
      const dump = path.join(dir, 'evidence.dump');
      execFileSync('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${dump}`, POSTGRES_URL]);
      await admin.query(`CREATE DATABASE "${database}" ENCODING 'UTF8' TEMPLATE template0`);
      const target = new URL(POSTGRES_URL);
      target.pathname = `/${database}`;
      execFileSync('pg_restore', ['--exit-on-error', `--dbname=${target.toString()}`, dump]);
      await expectRestoredCopyWorks(original, `${target.toString()}?schema=${schema}`);
    } finally {
      await original.close();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
      await dropSchema(schema);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SQLite: the sqlite3 shell .backup of a live store verifies and goes on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-backup-'));
    const original = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
    try {
      await fill(original);
      const copy = path.join(dir, 'copy.db');
      execFileSync('sqlite3', [path.join(dir, 'evidence.db'), `.backup '${copy}'`]);
      await expectRestoredCopyWorks(original, `sqlite:${copy}`);
    } finally {
      await original.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
