/**
 * Emmett's event stores as a peer of the evidence store in `npm run bench:event-store` (issue 19 item 3):
 * `@event-driven-io/emmett-postgresql` and `@event-driven-io/emmett-sqlite`, at the versions pinned in
 * bench/peers/package.json. They are installed on demand into bench/peers/node_modules (gitignored) by
 * `ensurePeersInstalled`, never by `npm install` or `npm test`, and loaded from there at run time, so the
 * project's own dependencies do not change. Only their public API is used; nothing of theirs is copied.
 *
 * PostgreSQL: `getPostgreSQLEventStore(url).appendToStream(stream, events)`, as an application would call it
 * (its own pool; per append a transaction around its `emt_append_to_stream` function).
 *
 * SQLite: the package's exported `appendToStream(connection, stream, type, events)` on one long-lived
 * connection per writer. Its `getSQLiteEventStore` opens and closes a file connection for every append,
 * which on a WAL file also checkpoints the log at each close; a long-lived connection is the faster way to
 * use it and the one our SQLite store is measured with. The connection object is the small interface the
 * package asks for (run, all, get, BEGIN IMMEDIATE … COMMIT), on node-sqlite3 with WAL as its own connection
 * sets, plus a busy timeout so that several writer processes wait for the write lock as ours do, rather
 * than fail at once with SQLITE_BUSY (Emmett's connection sets none).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { NewEvidenceEvent } from '../../infra/ports/event-store.port';

// Compiled to dist/bench/peers/: the repository's bench/peers is three levels up.
export const PEERS_DIR = path.resolve(__dirname, '..', '..', '..', 'bench', 'peers');

/** Installs the pinned peers (`npm ci --prefix bench/peers`) when bench/peers/node_modules is missing. */
export function ensurePeersInstalled(log: (line: string) => void): void {
  if (fs.existsSync(path.join(PEERS_DIR, 'node_modules'))) return;
  log(`installing the peers (npm ci --prefix ${PEERS_DIR}); sqlite3 may compile from source, which takes minutes…`);
  // node-sqlite3 compiles when no prebuilt binary can be fetched; the running Node's own headers, where it
  // ships them (…/include/node), spare node-gyp a download.
  const nodeDir = path.resolve(process.execPath, '..', '..');
  const headers = fs.existsSync(path.join(nodeDir, 'include', 'node', 'common.gypi')) ? [`--nodedir=${nodeDir}`] : [];
  execFileSync('npm', ['ci', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', ...headers], { stdio: 'inherit' });
}

/** The pinned versions, read from what is installed. */
export function peerVersions(): Record<string, string> {
  const version = (name: string): string =>
    (JSON.parse(fs.readFileSync(path.join(PEERS_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return Object.fromEntries(
    ['@event-driven-io/emmett', '@event-driven-io/emmett-postgresql', '@event-driven-io/emmett-sqlite', 'sqlite3'].map((n) => [
      n,
      version(n),
    ]),
  );
}

const peerRequire = (): NodeJS.Require => createRequire(path.join(PEERS_DIR, 'package.json'));

interface EmmettEvent {
  type: string;
  data: unknown;
  metadata: unknown;
}

interface EmmettPostgres {
  getPostgreSQLEventStore(url: string): {
    appendToStream(stream: string, events: EmmettEvent[]): Promise<unknown>;
    schema: { migrate(): Promise<unknown> };
    close(): Promise<void>;
  };
}

interface RunResult {
  changes: number;
}

interface SqliteDatabase {
  run(sql: string, params: unknown[], callback: (this: RunResult, err: Error | null) => void): void;
  all(sql: string, params: unknown[], callback: (err: Error | null, rows: unknown[]) => void): void;
  get(sql: string, params: unknown[], callback: (err: Error | null, row: unknown) => void): void;
  configure(option: 'busyTimeout', ms: number): void;
  close(callback: (err: Error | null) => void): void;
}

interface EmmettSqliteConnection {
  close(): void;
  command(sql: string, params?: unknown[]): Promise<RunResult>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  querySingle<T>(sql: string, params?: unknown[]): Promise<T | null>;
  withTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

interface EmmettSqlite {
  appendToStream(
    connection: EmmettSqliteConnection,
    stream: string,
    streamType: string,
    events: EmmettEvent[],
  ): Promise<{ success: boolean }>;
  createEventStoreSchema(connection: EmmettSqliteConnection): Promise<void>;
}

/** The same event as ours, in Emmett's shape (its id and positions are Emmett's own). */
const toEmmett = (e: NewEvidenceEvent): EmmettEvent => ({ type: e.type, data: e.data, metadata: e.metadata });

async function sqliteConnection(file: string): Promise<{ connection: EmmettSqliteConnection; closed: Promise<void> }> {
  const sqlite3 = peerRequire()('sqlite3') as { Database: new (file: string, callback: (err: Error | null) => void) => SqliteDatabase };
  // The busy timeout only takes once the database is open (set before, node-sqlite3 drops it).
  const db = await new Promise<SqliteDatabase>((resolve, reject) => {
    const opened: SqliteDatabase = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(opened)));
  });
  db.configure('busyTimeout', 60_000);
  let close: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const run = (sql: string, params: unknown[] = []): Promise<RunResult> =>
    new Promise((resolve, reject) =>
      db.run(sql, params, function (this: RunResult, err) {
        if (err) reject(err);
        else resolve(this);
      }),
    );
  const connection: EmmettSqliteConnection = {
    close: () => db.close(() => close()),
    command: run,
    query: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[])))),
    querySingle: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T | null>((resolve, reject) => db.get(sql, params, (err, row) => (err ? reject(err) : resolve((row as T) ?? null)))),
    withTransaction: async <T>(fn: () => Promise<T>): Promise<T> => {
      await run('BEGIN IMMEDIATE TRANSACTION');
      try {
        const result = await fn();
        await run('COMMIT');
        return result;
      } catch (err) {
        await run('ROLLBACK');
        throw err;
      }
    },
  };
  await run('PRAGMA journal_mode = WAL');
  return { connection, closed };
}

export interface PeerSide {
  /** An append function for one writer (writers of one process may share a pool or connection). */
  writer(index: number): Promise<(stream: string, events: NewEvidenceEvent[]) => Promise<void>>;
  close(): Promise<void>;
}

function sqliteFile(url: string): string {
  return path.join(path.dirname(url.replace(/^sqlite:/, '')), 'emmett.db');
}

/** Creates Emmett's schema for a fresh round (PostgreSQL: in the round's database; SQLite: a file beside ours). */
export async function prepareEmmett(adapter: 'sqlite' | 'postgres', url: string): Promise<void> {
  if (adapter === 'postgres') {
    const store = (peerRequire()('@event-driven-io/emmett-postgresql') as EmmettPostgres).getPostgreSQLEventStore(url);
    try {
      await store.schema.migrate();
    } finally {
      await store.close();
    }
    return;
  }
  const { connection, closed } = await sqliteConnection(sqliteFile(url));
  await (peerRequire()('@event-driven-io/emmett-sqlite') as EmmettSqlite).createEventStoreSchema(connection);
  connection.close();
  await closed;
}

/** Opens Emmett for the writers of one process. */
export function openEmmett(adapter: 'sqlite' | 'postgres', url: string): PeerSide {
  if (adapter === 'postgres') {
    // One event store (one pool) per process, shared by its writers, as an application would hold it.
    const store = (peerRequire()('@event-driven-io/emmett-postgresql') as EmmettPostgres).getPostgreSQLEventStore(url);
    return {
      writer: () =>
        Promise.resolve(async (stream, events) => {
          await store.appendToStream(stream, events.map(toEmmett));
        }),
      close: () => store.close(),
    };
  }
  const emmett = peerRequire()('@event-driven-io/emmett-sqlite') as EmmettSqlite;
  const open: Array<{ connection: EmmettSqliteConnection; closed: Promise<void> }> = [];
  return {
    // One connection per writer: a transaction is per connection, and node-sqlite3 queues one connection's
    // statements, so writers sharing one would interleave inside each other's transactions.
    writer: async () => {
      const c = await sqliteConnection(sqliteFile(url));
      open.push(c);
      return async (stream, events) => {
        const result = await emmett.appendToStream(c.connection, stream, 'bench', events.map(toEmmett));
        if (!result.success) throw new Error(`Emmett (SQLite) did not append to ${stream}`);
      };
    },
    close: async () => {
      for (const c of open) c.connection.close();
      await Promise.all(open.map((c) => c.closed));
    },
  };
}

/** How many events Emmett holds after a round, and the durability settings its connection runs with. */
export async function emmettCount(adapter: 'sqlite' | 'postgres', url: string): Promise<number> {
  if (adapter === 'postgres') {
    const { Client } = peerRequire()('pg') as typeof import('pg');
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>('SELECT count(*) AS n FROM emt_messages');
      return Number(r.rows[0].n);
    } finally {
      await client.end();
    }
  }
  const { connection, closed } = await sqliteConnection(sqliteFile(url));
  try {
    const row = await connection.querySingle<{ n: number }>('SELECT count(*) AS n FROM emt_messages');
    return row?.n ?? 0;
  } finally {
    connection.close();
    await closed;
  }
}

/** SQLite's journal_mode and synchronous as Emmett's connections run (node-sqlite3's compiled-in default for synchronous). */
export async function emmettSqliteDurability(url: string): Promise<string> {
  const { connection, closed } = await sqliteConnection(sqliteFile(url));
  try {
    const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
    const sync = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
    return `journal_mode=${journal?.journal_mode ?? '?'}, synchronous=${names[sync?.synchronous ?? -1] ?? String(sync?.synchronous)}`;
  } finally {
    connection.close();
    await closed;
  }
}
