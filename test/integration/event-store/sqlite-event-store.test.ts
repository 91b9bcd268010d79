import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { EvidenceSchemaBehindError } from '../../../domain/evidence/evidence-errors';
import { migrateEventStore, openEventStore } from '../../../infra/event-store/open-event-store';
import { SQLITE_MIGRATIONS } from '../../../infra/event-store/sqlite-migrations';
import { collect, EventStoreHarness, eventStoreContract, spawnWriter, waitForLine } from './event-store.contract';
import { chainVerifyContract } from './chain-verify.contract';
import { eventStoreConcurrencyContract } from './event-store-concurrency.contract';
import { eventStoreReadsContract } from './event-store-reads.contract';
import { checkpointReadsContract } from './checkpoint-reads.contract';
import { evidenceTreeContract } from './evidence-tree.contract';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function isBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && /^SQLITE_BUSY/.test(String((error as { code?: unknown }).code));
}

/** Can this connection take SQLite's write lock right now? (Takes and gives it back at once.) */
function writeLockIsFree(db: Database.Database): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  }
}

async function sqliteHarness(): Promise<EventStoreHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-evidence-'));
  const file = path.join(dir, 'evidence.db');
  const url = `sqlite:${file}`;
  return {
    url,
    schemaVersions: SQLITE_MIGRATIONS.map((m) => m.version),
    open: (options) => openEventStore(url, options),
    tamper: async () => {
      const db = new Database(file);
      return {
        execute: async (sql) => void db.exec(sql),
        query: async (sql) => db.prepare(sql).all() as Record<string, unknown>[],
        dropAppendOnlyTriggers: async () =>
          void db.exec('DROP TRIGGER evidence_events_refuse_update; DROP TRIGGER evidence_events_refuse_delete;'),
        close: async () => void db.close(),
      };
    },
    waitUntilWriteLockIsHeld: async (signal) => {
      const db = new Database(file, { timeout: 0 });
      try {
        while (!signal.aborted && writeLockIsFree(db)) await new Promise((resolve) => setImmediate(resolve));
      } finally {
        db.close();
      }
    },
    waitUntilWriteLockIsFree: async () => {
      const db = new Database(file, { timeout: 0 });
      try {
        while (!writeLockIsFree(db)) await sleep(5);
      } finally {
        db.close();
      }
    },
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

eventStoreContract('SQLite', sqliteHarness);
eventStoreReadsContract('SQLite', sqliteHarness);
eventStoreConcurrencyContract('SQLite', sqliteHarness);
chainVerifyContract('SQLite', sqliteHarness);

describe('SQLite evidence store specifics', () => {
  let harness: EventStoreHarness;
  beforeEach(async () => {
    harness = await sqliteHarness();
  });
  afterEach(() => harness.dispose());

  it('given a new store, when opened, then the file is in WAL mode with synchronous=FULL on the store connection', async () => {
    const store = await harness.open();
    try {
      const db = new Database(harness.url.slice('sqlite:'.length), { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
      // synchronous is per connection: check the store's own connection through its private handle.
      const own = (store as unknown as { db: Database.Database }).db; // the adapter keeps it private; this test looks inside on purpose
      expect(own.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    } finally {
      await store.close();
    }
  });

  it('given a path in a folder that does not exist yet, when opened, then the folder is created', async () => {
    const nested = `${harness.url}-dir/a/b/evidence.db`;
    const store = await openEventStore(nested);
    await store.close();
    expect(fs.existsSync(nested.slice('sqlite:'.length))).toBe(true);
    fs.rmSync(`${harness.url.slice('sqlite:'.length)}-dir`, { recursive: true, force: true });
  });

  it('given four writer processes on one file, when they append at once while this process reads, then the global order is gap-free and the chain verifies', async () => {
    // given
    const store = await harness.open({ pollIntervalMs: 5 });
    await store.append('ai-system-1', [{ id: '00000000-0000-4000-8000-000000000001', type: 'AiSystemRegistered', data: {} }]);
    const violations: string[] = [];
    let seen = 0;
    const subscription = store.subscribe({ pageSize: 10 });
    const reader = (async () => {
      for await (const event of subscription) {
        if (event.position !== seen + 1) violations.push(`after ${seen} came ${event.position}`);
        seen = event.position;
      }
    })();
    // when
    const writers = ['a', 'b', 'c', 'd'].map((name) => spawnWriter(['writer', harness.url, name, '30']));
    const results = await Promise.all(writers.map((child) => waitForLine(child, (line) => line.startsWith('done'))));
    const appended = results.reduce((sum, line) => sum + (JSON.parse(line.slice('done '.length)) as { appended: number }).appended, 0);
    const total = 1 + appended;
    while (seen < total) await sleep(5);
    await subscription.close();
    await reader;
    // then
    expect(appended).toBe(4 * 60);
    expect(violations).toEqual([]);
    expect((await collect(store.readAll({ categories: ['load'] }))).length).toBe(appended);
    expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: total });
    await store.close();
  });
});

describe('SQLite evidence store: appends by other processes while one is expected', () => {
  let harness: EventStoreHarness;
  beforeEach(async () => {
    harness = await sqliteHarness();
  });
  afterEach(() => harness.dispose());

  /** Waits for `done` (a few seconds at most, then the expectation after it fails instead of the test hanging). */
  const until = async (done: () => boolean): Promise<void> => {
    for (let i = 0; i < 2000 && !done(); i++) await sleep(5);
  };
  const event = (n: number) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type: 'AiSystemRegistered', data: { n } });

  /** A reader whose poll would come after ten minutes, subscribed and recording what it sees, and a writer on another connection. */
  async function subscribedReader() {
    const reader = await harness.open({ pollIntervalMs: 600_000 });
    const writer = await harness.open();
    const expecting = reader.expectAppendsElsewhere?.bind(reader);
    if (expecting === undefined) throw new Error('the SQLite store must watch for appends elsewhere');
    const seen: number[] = [];
    const subscription = reader.subscribe();
    const reading = (async () => {
      for await (const e of subscription) seen.push(e.data.n as number);
    })();
    // Parked: caught up and waiting for a wake-up or its poll (the subscription keeps this private; the test looks on purpose).
    const parked = () => until(() => (subscription as unknown as { wakeWaiter?: () => void }).wakeWaiter !== undefined);
    const close = async () => {
      await subscription.close();
      await reading;
      await writer.close();
      await reader.close();
    };
    return { reader, writer, seen, parked, close, expectAppendsElsewhere: expecting };
  }

  it('given a subscription that never polls, when another connection appends while an append is expected, then it is woken at once; not before nor after', async () => {
    // given: a subscriber whose poll would come after ten minutes, and a writer on another connection (as a worker is)
    const { reader, writer, seen, parked, close, expectAppendsElsewhere } = await subscribedReader();
    // nothing expected: the writer's append waits for the poll
    await parked();
    await writer.append('ai-system-1', [event(1)]);
    await sleep(200);
    expect(seen).toEqual([]);
    // when: a command is in flight (its append expected), the next append elsewhere wakes the subscription
    const release = expectAppendsElsewhere();
    const second = expectAppendsElsewhere(); // two commands in flight, one watch
    await writer.append('ai-system-1', [event(2)]);
    await until(() => seen.length >= 2);
    expect(seen).toEqual([1, 2]);
    // then: the watch runs while any expectation is held (releasing one twice counts once), and stops after the last
    release();
    release();
    await writer.append('ai-system-1', [event(3)]);
    await until(() => seen.length >= 3);
    expect(seen).toEqual([1, 2, 3]);
    second();
    await parked();
    await writer.append('ai-system-1', [event(4)]);
    await sleep(200);
    expect(seen).toEqual([1, 2, 3]);
    reader.appendedElsewhere?.();
    await until(() => seen.length >= 4);
    expect(seen).toEqual([1, 2, 3, 4]);
    await close();
    // a closed store expects nothing and holds no timer
    expect(expectAppendsElsewhere()).toEqual(expect.any(Function));
  });

  it('given more than four commands in flight, when another connection appends, then the watch stands down (their answers wake the subscription); at four it watches again', async () => {
    // given: five commands in flight
    const { reader, writer, seen, parked, close, expectAppendsElsewhere } = await subscribedReader();
    await parked();
    const releases = Array.from({ length: 5 }, () => expectAppendsElsewhere());
    // when: another connection appends, nothing watches for it
    await writer.append('ai-system-2', [event(1)]);
    await sleep(200);
    expect(seen).toEqual([]);
    // then: an answer's position wakes it, as under load
    reader.appendedElsewhere?.();
    await until(() => seen.length >= 1);
    expect(seen).toEqual([1]);
    // and with one answered (four in flight) the watch runs again
    releases[0]();
    await parked();
    await writer.append('ai-system-2', [event(2)]);
    await until(() => seen.length >= 2);
    expect(seen).toEqual([1, 2]);
    for (const release of releases) release();
    await close();
  });
});

describe('SQLite evidence store: migration on start turned off', () => {
  it('given a file not migrated yet, when opened with migrate false, then it is refused; after migrateEventStore it opens', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-evidence-'));
    const url = `sqlite:${path.join(dir, 'evidence.db')}`;
    try {
      const refusal = await openEventStore(url, { migrate: false }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(EvidenceSchemaBehindError);
      expect((refusal as Error).message).toMatch(
        new RegExp(`at version 0; this aims needs version ${SQLITE_MIGRATIONS.length}[^]*aims evidence migrate`),
      );
      expect(await migrateEventStore(url)).toEqual({ kind: 'sqlite', applied: SQLITE_MIGRATIONS.map((m) => m.version) });
      expect(await migrateEventStore(url)).toEqual({ kind: 'sqlite', applied: [] });
      await expect(migrateEventStore(url, { appRole: 'aims_app' })).rejects.toThrow(/PostgreSQL only/);
      const store = await openEventStore(url, { migrate: false });
      expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 0 });
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

evidenceTreeContract('SQLite', sqliteHarness);
checkpointReadsContract('SQLite', sqliteHarness);
