/**
 * What the parts of `npm run bench:tree` (tree.bench.ts) share: the settings from the environment, the child
 * processes that write, run CLI commands and read (each timed inside the child, after start-up), the read
 * counting around the drivers, and the stores each part creates and drops.
 */
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { evidenceCommand } from '../apps/cli/src/commands/evidence.command';
import { openEventStore } from '../infra/event-store/open-event-store';
import { SqliteEventStore } from '../infra/event-store/sqlite-event-store';
import type { EventStore } from '../infra/ports/event-store.port';
import { benchPayload } from './evidence-payload';

export type Adapter = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const APPEND_EVENTS = Number(process.env.BENCH_TREE_APPEND_EVENTS ?? 4000);
export const ROUNDS = Number(process.env.BENCH_TREE_ROUNDS ?? 3);
const sizesOf = (value: string): number[] =>
  value
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
export const SQLITE_SIZES = sizesOf(process.env.BENCH_TREE_SQLITE_SIZES ?? '10000,1000000,10000000');
export const PG_SIZES = sizesOf(process.env.BENCH_TREE_PG_SIZES ?? '10000,200000');
export const PACK_BASE = Number(process.env.BENCH_TREE_PACK_BASE ?? 100_000);
export const SYSTEM_EVENTS = Number(process.env.BENCH_TREE_SYSTEM_EVENTS ?? 200);
export const PROOFS = Number(process.env.BENCH_TREE_PROOFS ?? 200);
export const FILL_BATCH = Number(process.env.BENCH_TREE_FILL_BATCH ?? 5000);
export const PARTS = (process.env.BENCH_TREE_PARTS ?? 'appends,sqlite,postgres').split(',').map((p) => p.trim());
export const VERIFY_MAX = Number(process.env.BENCH_TREE_VERIFY_MAX ?? 1_000_000);
export const APPEND_ADAPTERS = (process.env.BENCH_TREE_APPEND_ADAPTERS ?? 'sqlite,postgres').split(',').map((a) => a.trim());
export const SYSTEM_ID = '42';
export const SYSTEM_STREAM = `ai-system-${SYSTEM_ID}`;
export const ORIGIN = 'bench.example/aims-tree';

export const payload = benchPayload;

// ---------------------------------------------------------------------------------------------------------
// Child processes: writers, CLI commands, stream reads (each timed inside the child, after start-up)

interface WriterTask {
  role: 'writer';
  adapter: Adapter;
  url: string;
  tree: boolean;
  writer: number;
  events: number;
  batch: number;
}
interface CliTask {
  role: 'cli';
  argv: string[];
}
interface ReadStreamTask {
  role: 'read-stream';
  url: string;
  stream: string;
  asOf: number;
}
type Task = WriterTask | CliTask | ReadStreamTask;
export interface Timed {
  startedAt: number;
  endedAt: number;
  exitCode: number;
  stdout: string;
  count: number;
}

async function openForWriter(task: WriterTask): Promise<EventStore> {
  // A longer busy timeout than the default 10 s, on both sides alike: on this shared machine 8 writers'
  // serialised fsyncs can keep one waiting longer than that.
  if (task.adapter === 'sqlite')
    return SqliteEventStore.open({ path: task.url.slice('sqlite:'.length), maintainTree: task.tree, busyTimeoutMs: 120_000 });
  return openEventStore(task.url); // the baseline database has its tree trigger disabled (freshPair)
}

async function runChild(task: Task): Promise<Timed> {
  if (task.role === 'writer') {
    const store = await openForWriter(task);
    const startedAt = performance.now() + performance.timeOrigin;
    try {
      for (let i = 0; i < task.events; i += task.batch) {
        const batch = Array.from({ length: Math.min(task.batch, task.events - i) }, (_, k) => payload(task.writer, i + k));
        await store.append(`bench-${task.writer}x${(i / task.batch) % 4}`, batch);
      }
    } finally {
      await store.close();
    }
    return { startedAt, endedAt: performance.now() + performance.timeOrigin, exitCode: 0, stdout: '', count: task.events };
  }
  if (task.role === 'read-stream') {
    const startedAt = performance.now() + performance.timeOrigin;
    const store = await openEventStore(task.url);
    let count = 0;
    try {
      for await (const _ of store.readStream(task.stream, { asOf: { position: task.asOf } })) count++;
    } finally {
      await store.close();
    }
    return { startedAt, endedAt: performance.now() + performance.timeOrigin, exitCode: 0, stdout: '', count };
  }
  let stdout = '';
  const startedAt = performance.now() + performance.timeOrigin;
  const exitCode = await evidenceCommand(task.argv, { stdout: (s) => (stdout += s), stderr: () => undefined, progress: false });
  return { startedAt, endedAt: performance.now() + performance.timeOrigin, exitCode, stdout, count: 0 };
}

export function child(task: Task): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: Timed | undefined;
    proc.on('message', (m) => (result = m as Timed));
    proc.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${task.role} child exited ${code}`))));
    proc.send(task);
  });
}

export async function cli(argv: string[]): Promise<Timed> {
  const r = await child({ role: 'cli', argv });
  if (r.exitCode !== 0) throw new Error(`aims evidence ${argv.join(' ')} exited ${r.exitCode}`);
  return r;
}

export const msOf = (t: Timed): number => t.endedAt - t.startedAt;

// ---------------------------------------------------------------------------------------------------------
// Read counting: the driver calls the store's own code makes, wrapped in this process

const reads = { active: false, statements: 0, rows: 0 };

export function instrumentDrivers(): void {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  probe.close();
  for (const name of ['get', 'all', 'iterate'] as const) {
    const original = proto[name];
    proto[name] = function (this: unknown, ...args: unknown[]): unknown {
      const result = original.apply(this, args);
      if (reads.active) {
        reads.statements++;
        if (name === 'all') reads.rows += (result as unknown[]).length;
        else if (name === 'get') reads.rows += result === undefined ? 0 : 1;
      }
      return result;
    };
  }
  const clientProto = Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = clientProto.query;
  clientProto.query = function (this: unknown, ...args: unknown[]): unknown {
    if (!reads.active) return query.apply(this, args);
    reads.statements++;
    const count = (r: unknown): void => {
      reads.rows += (r as { rows?: unknown[] } | undefined)?.rows?.length ?? 0;
    };
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, r: unknown) => {
        if (!err) count(r);
        (last as (e: unknown, r: unknown) => void)(err, r);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (result instanceof Promise)
      return result.then((r: unknown) => {
        count(r);
        return r;
      });
    return result;
  };
}

export async function counted<T>(work: () => Promise<T>): Promise<{ value: T; statements: number; rows: number; ms: number }> {
  reads.statements = 0;
  reads.rows = 0;
  reads.active = true;
  const started = performance.now();
  try {
    const value = await work();
    return { value, statements: reads.statements, rows: reads.rows, ms: performance.now() - started };
  } finally {
    reads.active = false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Stores

export interface Store {
  adapter: Adapter;
  url: string;
  drop(): Promise<void>;
}

export async function createStore(adapter: Adapter, label: string, tree: boolean): Promise<Store> {
  if (adapter === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aims-bench-tree-${label}-`));
    const file = path.join(dir, 'evidence.db');
    const s = SqliteEventStore.open({ path: file, maintainTree: tree });
    await s.close();
    return { adapter, url: `sqlite:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const database = `aims_bench_tree_${label}_${process.pid}`.replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  const s = await openEventStore(url.toString());
  await s.close();
  if (!tree) {
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    await c.query('ALTER TABLE public.evidence_events DISABLE TRIGGER evidence_events_extend_tree');
    await c.end();
  }
  return {
    adapter,
    url: url.toString(),
    drop: async () => {
      const a = new Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** The durability settings in force, read back from the database rather than assumed. */
export async function durabilitySettings(adapter: Adapter): Promise<string> {
  if (adapter === 'postgres') {
    const client = new Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      const values: string[] = [];
      for (const name of ['server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method']) {
        const r = await client.query<Record<string, string>>(`SHOW ${name}`);
        values.push(`${name}=${r.rows[0][name]}`);
      }
      return `PostgreSQL ${values.join(', ')} (server settings, the same for every database in the run)`;
    } finally {
      await client.end();
    }
  }
  const store = await createStore('sqlite', 'settings', true);
  try {
    // Read on the store's own connection settings: the adapter sets WAL and synchronous=FULL on open.
    const s = SqliteEventStore.open({ path: store.url.slice('sqlite:'.length) });
    await s.close();
    const db = new Database(store.url.slice('sqlite:'.length));
    const journal = db.pragma('journal_mode', { simple: true }) as string;
    db.close();
    return `SQLite journal_mode=${journal} (read from a store the engine created), synchronous=FULL (set by the adapter on every connection, tree on or off)`;
  } finally {
    await store.drop();
  }
}

// The children fork this module (child() above), so its entry is here.
if (process.argv.includes('--child') && require.main === module) {
  process.once('message', (task: Task) => {
    runChild(task).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (err) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
