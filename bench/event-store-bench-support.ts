/**
 * What `npm run bench:event-store` (event-store.bench.ts) runs: the settings from the environment, the
 * child processes (writers of each side, verify, CLI commands) and their orchestration, the stores of each
 * round with the checks after it, and the read, verify and memory measurements over a filled store.
 */
import { ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { evidenceCommand } from '../apps/cli/src/commands/evidence.command';
import { canonicalize } from '../domain/evidence/canonical-json';
import { openEventStore } from '../infra/event-store/open-event-store';
import type { EventStore, NewEvidenceEvent } from '../infra/ports/event-store.port';
import { fmt, log } from './bench-report';
import { emmettSqliteDurability, openEmmett, prepareEmmett } from './peers/emmett';
import { benchPayload } from './evidence-payload';

export type Adapter = 'sqlite' | 'postgres';
export type Mode = 'evidence' | 'raw' | 'emmett';
/** Where a scenario's writers run: each in a process of its own, or all in one process. */
export type Placement = 'processes' | 'one process';

export interface WriterTask {
  role: 'writer';
  adapter: Adapter;
  url: string;
  mode: Mode;
  /** The writers this process runs side by side (one each when writers are processes). */
  writers: number[];
  /** Events per writer. */
  events: number;
  batch: number;
}

export interface VerifyTask {
  role: 'verify';
  url: string;
}

/** One `aims evidence …` command run in a child process of its own, so its peak RSS is its own. */
export interface CliTask {
  role: 'cli';
  argv: string[];
}

export interface CliResult {
  exitCode: number;
  ms: number;
  maxRssMb: number;
}

export const PG_ADMIN_URL = process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const APPEND_EVENTS = Number(process.env.BENCH_APPEND_EVENTS ?? 20_000);
export const VERIFY_EVENTS = Number(process.env.BENCH_VERIFY_EVENTS ?? 1_000_000);
export const SMALL_EVENTS = Number(process.env.BENCH_SMALL_EVENTS ?? 10_000);
/** When set (the documented run uses 10,000,000), the SQLite read store is grown to this size and measured again. */
export const HUGE_EVENTS = Number(process.env.BENCH_HUGE_EVENTS ?? 0);
/** Events are filled into this many streams, round robin by batch; replay reads one of them. */
export const FILL_STREAMS = 64;
/** Rounds per append scenario, each the evidence store then the raw baseline (BENCH_APPEND_ROUNDS). */
export const APPEND_ROUNDS = Number(process.env.BENCH_APPEND_ROUNDS ?? 3);
export const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'sqlite,postgres').split(',').map((a) => a.trim());
/** BENCH_PEERS=none leaves Emmett out (a quick look without installing bench/peers). */
export const PEERS = process.env.BENCH_PEERS !== 'none';

export const payload = benchPayload;

// ---------------------------------------------------------------------------------------------------------
// Child process roles

/** Each writer times itself after connecting, so process start-up is not counted as append time. */
export interface WriterTiming {
  startedAt: number;
  endedAt: number;
}

type Appender = (stream: string, batch: NewEvidenceEvent[]) => Promise<void>;

/** What the writers of one process append through: one side of a round, opened once per process. */
async function openSide(task: WriterTask): Promise<{ writer(index: number): Promise<Appender>; close(): Promise<void> }> {
  if (task.mode === 'evidence') {
    // One store per process, shared by its writers (as the worker holds one): concurrent appends on it are
    // committed as groups (group-commit-queue.ts).
    const store = await openEventStore(task.url);
    return {
      writer: () =>
        Promise.resolve(async (stream, batch) => {
          await store.append(stream, batch);
        }),
      close: () => store.close(),
    };
  }
  if (task.mode === 'emmett') return openEmmett(task.adapter, task.url);
  // Raw baseline: the same payload text in a plain table, same durability settings, no chain, no checks.
  if (task.adapter === 'sqlite') {
    // The engine's adapter's pragmas (sqlite-event-store.ts: WAL, synchronous=FULL), and a busy timeout so
    // writers wait for the lock as the engine's do rather than fail.
    const db = new Database(task.url.replace(/^sqlite:/, ''), { timeout: 60_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insert = db.prepare('INSERT INTO raw_events (id, stream, type, data, metadata) VALUES (?, ?, ?, ?, ?)');
    const tx = db.transaction((rows: NewEvidenceEvent[], stream: string) => {
      for (const e of rows) insert.run(e.id, stream, e.type, canonicalize(e.data), canonicalize(e.metadata));
    });
    return {
      writer: () => Promise.resolve((stream, batch) => Promise.resolve(tx.immediate(batch, stream))),
      close: () => Promise.resolve(void db.close()),
    };
  }
  const clients: Client[] = [];
  return {
    // One connection per writer: a client runs one query at a time.
    writer: async () => {
      const client = new Client({ connectionString: task.url });
      clients.push(client);
      await client.connect();
      return async (stream, batch) => {
        // One round trip per batch: an autocommit multi-row INSERT of text columns (as the engine stores
        // them), with the same canonical JSON bytes; a named statement so it is parsed once per batch size.
        const values: unknown[] = [];
        const rows = batch.map((e, k) => {
          values.push(e.id, stream, e.type, canonicalize(e.data), canonicalize(e.metadata));
          return `($${k * 5 + 1}, $${k * 5 + 2}, $${k * 5 + 3}, $${k * 5 + 4}, $${k * 5 + 5})`;
        });
        await client.query({
          name: `raw-insert-${batch.length}`,
          text: `INSERT INTO raw_events (id, stream, type, data, metadata) VALUES ${rows.join(', ')}`,
          values,
        });
      };
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.end()));
    },
  };
}

/** Runs this process's writers side by side, each appending its events in batches over 4 streams of its own. */
async function runWriter(task: WriterTask): Promise<WriterTiming> {
  const streams = 4;
  const side = await openSide(task);
  try {
    const appenders = await Promise.all(task.writers.map((w) => side.writer(w)));
    const startedAt = Date.now();
    await Promise.all(
      task.writers.map(async (writer, k) => {
        for (let i = 0; i < task.events; i += task.batch) {
          const batch = Array.from({ length: Math.min(task.batch, task.events - i) }, (_, j) => payload(writer, i + j));
          await appenders[k](`bench-${writer}x${(i / task.batch) % streams}`, batch);
        }
      }),
    );
    return { startedAt, endedAt: Date.now() };
  } finally {
    await side.close();
  }
}

async function runVerify(task: VerifyTask): Promise<{ intact: boolean; events: number; ms: number; maxRssMb: number }> {
  const store = await openEventStore(task.url);
  try {
    const started = performance.now();
    const report = await store.verify();
    const ms = performance.now() - started;
    return { intact: report.intact, events: report.eventsChecked, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await store.close();
  }
}

async function runCli(task: CliTask): Promise<CliResult> {
  const sink = (): void => undefined;
  const started = performance.now();
  const exitCode = await evidenceCommand(task.argv, { stdout: sink, stderr: sink, progress: false });
  return { exitCode, ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

// ---------------------------------------------------------------------------------------------------------
// Orchestration

export function child<T>(task: WriterTask | VerifyTask | CliTask): Promise<T> {
  return new Promise((resolve, reject) => {
    // node-sqlite3 (Emmett's SQLite driver) runs each statement on libuv's thread pool, 4 threads by default:
    // 8 connections of one process waiting for the write lock would hold all 4 while the lock's holder
    // waits for a thread to commit. Every child gets 16, whichever store it runs.
    const proc: ChildProcess = fork(__filename, ['--child'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, UV_THREADPOOL_SIZE: '16' },
    });
    let result: T | undefined;
    proc.on('message', (m) => (result = m as T));
    proc.on('exit', (code) => (code === 0 ? resolve(result as T) : reject(new Error(`${task.role} child exited ${code}`))));
    proc.send(task);
  });
}

export interface Store {
  adapter: Adapter;
  url: string;
  drop(): Promise<void>;
}

export async function freshStore(adapter: Adapter, label: string): Promise<Store> {
  if (adapter === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aims-bench-${label}-`));
    const file = path.join(dir, 'evidence.db');
    const store = await openEventStore(`sqlite:${file}`);
    await store.close();
    const db = new Database(file);
    db.exec(
      'CREATE TABLE IF NOT EXISTS raw_events (id TEXT PRIMARY KEY, stream TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL)',
    );
    db.close();
    if (PEERS) await prepareEmmett(adapter, `sqlite:${file}`);
    return { adapter, url: `sqlite:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const database = `aims_bench_${label}_${process.pid}`.replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  const store = await openEventStore(url.toString());
  await store.close();
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(
    // The engine's column types (postgres-migrations.ts): text, "C" collation on keys, not UUID or JSONB.
    'CREATE TABLE IF NOT EXISTS raw_events (id text COLLATE "C" PRIMARY KEY, stream text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, data text NOT NULL, metadata text NOT NULL)',
  );
  await client.end();
  if (PEERS) await prepareEmmett(adapter, url.toString());
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

export function eventsPerScenario(writers: number, batch: number): number {
  return Math.ceil(APPEND_EVENTS / writers / batch) * batch * writers;
}

/** After an evidence-store round: the store must hold exactly the events appended, on an intact chain. */
export async function verifyRound(url: string, expected: number): Promise<void> {
  const store = await openEventStore(url);
  try {
    const report = await store.verify();
    if (!report.intact || report.eventsChecked !== expected)
      throw new Error(`evidence store after a round: ${report.eventsChecked} events (expected ${expected}), intact=${report.intact}`);
  } finally {
    await store.close();
  }
}

/** The durability settings in force, read back from the database rather than assumed. */
export async function durabilitySettings(adapter: Adapter): Promise<string> {
  if (adapter === 'postgres') {
    const client = new Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      const names = ['fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method'];
      const values: string[] = [];
      for (const name of names) {
        const r = await client.query<Record<string, string>>(`SHOW ${name}`);
        values.push(`${name}=${r.rows[0][name]}`);
      }
      return `PostgreSQL ${values.join(', ')} (the evidence store, the raw baseline${PEERS ? ' and Emmett' : ''} all use these server defaults)`;
    } finally {
      await client.end();
    }
  }
  // journal_mode is kept in the file (the engine set it when it created the store); synchronous is per
  // connection, so it is read on a connection set up as both the adapter and the raw baseline set theirs.
  const store = await freshStore('sqlite', 'settings');
  try {
    const db = new Database(store.url.replace(/^sqlite:/, ''));
    const journal = db.pragma('journal_mode', { simple: true }) as string;
    db.pragma('synchronous = FULL');
    const synchronous = db.pragma('synchronous', { simple: true }) as number;
    db.close();
    const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
    const emmett = PEERS ? `; Emmett's connections (node-sqlite3, its own SQLite build): ${await emmettSqliteDurability(store.url)}` : '';
    return `SQLite journal_mode=${journal} (read from a store the engine created), synchronous=${names[synchronous] ?? synchronous} (set by the adapter and the baseline alike)${emmett}`;
  } finally {
    await store.drop();
  }
}

export async function appendScenario(store: Store, mode: Mode, writers: number, batch: number, placement: Placement): Promise<number> {
  const perWriter = Math.ceil(APPEND_EVENTS / writers / batch) * batch;
  const task = (indices: number[]): WriterTask => ({
    role: 'writer',
    adapter: store.adapter,
    url: store.url,
    mode,
    writers: indices,
    events: perWriter,
    batch,
  });
  const all = Array.from({ length: writers }, (_, w) => w);
  const timings =
    placement === 'processes' ? await Promise.all(all.map((w) => child<WriterTiming>(task([w])))) : [await child<WriterTiming>(task(all))];
  const seconds = (Math.max(...timings.map((t) => t.endedAt)) - Math.min(...timings.map((t) => t.startedAt))) / 1000;
  return (perWriter * writers) / seconds;
}

/** Appends events `from`…`to` - 1 (so a store can be grown in steps), 1,000 a batch, round robin over FILL_STREAMS streams. */
export async function fill(url: string, to: number, progress: (n: number) => void, from = 0): Promise<void> {
  const store: EventStore = await openEventStore(url);
  try {
    const batch = 1000;
    for (let i = from; i < to; i += batch) {
      const rows = Array.from({ length: Math.min(batch, to - i) }, (_, k) => payload(0, i + k));
      await store.append(`bench-fill-${(i / batch) % FILL_STREAMS}`, rows);
      if ((i / batch) % 100 === 0) progress(i);
    }
  } finally {
    await store.close();
  }
}

export async function readAllRate(url: string): Promise<{ events: number; perSecond: number }> {
  const store = await openEventStore(url);
  try {
    const started = performance.now();
    let n = 0;
    for await (const _ of store.readAll({ pageSize: 5000 })) n++;
    return { events: n, perSecond: n / ((performance.now() - started) / 1000) };
  } finally {
    await store.close();
  }
}

/** Raw SHA-256 over the same canonical bytes that verify hashes, with no I/O: the ceiling for verify. */
export async function rawSha256Rate(url: string, limit: number): Promise<number> {
  const store = await openEventStore(url);
  const texts: string[] = [];
  try {
    for await (const event of store.readAll({ maxCount: limit, pageSize: 5000 })) {
      const { hash: _hash, ...withoutHash } = event;
      texts.push(canonicalize(withoutHash));
    }
  } finally {
    await store.close();
  }
  const started = performance.now();
  for (const text of texts) createHash('sha256').update(text).digest('hex');
  return texts.length / ((performance.now() - started) / 1000);
}

/** Peak RSS of verify, export and replay, each in its own process, over stores of growing size. */
export async function memorySection(large: Store): Promise<{ lines: string[]; peakRssMb: number; sizes: number[] }> {
  const measure = async (
    url: string,
    events: number,
  ): Promise<{ events: number; verify: CliResult; exported: CliResult; replay: CliResult }> => {
    const out = path.join(os.tmpdir(), `aims-bench-export-${process.pid}.jsonl`);
    try {
      log(`sqlite: memory at ${fmt(events)} events: verify, export, replay…`);
      const verify = await child<CliResult>({ role: 'cli', argv: ['verify', '--store', url] });
      const exported = await child<CliResult>({ role: 'cli', argv: ['export', '--store', url, '--out', out] });
      const replay = await child<CliResult>({ role: 'cli', argv: ['replay', '--store', url, '--stream', 'bench-fill-0', '--json'] });
      for (const [name, r] of Object.entries({ verify, exported, replay })) {
        if (r.exitCode !== 0) throw new Error(`evidence ${name} over ${events} events exited ${r.exitCode}`);
      }
      return { events, verify, exported, replay };
    } finally {
      fs.rmSync(out, { force: true });
    }
  };
  const sizes: Array<Awaited<ReturnType<typeof measure>>> = [];
  const small = await freshStore('sqlite', 'small');
  try {
    await fill(small.url, SMALL_EVENTS, () => undefined);
    sizes.push(await measure(small.url, SMALL_EVENTS));
  } finally {
    await small.drop();
  }
  sizes.push(await measure(large.url, VERIFY_EVENTS));
  if (HUGE_EVENTS > VERIFY_EVENTS) {
    log(`sqlite: growing the store to ${fmt(HUGE_EVENTS)} events…`);
    await fill(large.url, HUGE_EVENTS, (n) => log(`sqlite: filled ${fmt(n)}`), VERIFY_EVENTS);
    sizes.push(await measure(large.url, HUGE_EVENTS));
  }
  const baseline = await child<CliResult>({
    role: 'cli',
    argv: ['verify', '--store', `sqlite:${path.join(os.tmpdir(), `aims-bench-empty-${process.pid}.db`)}`],
  });
  for (const suffix of ['', '-wal', '-shm'])
    fs.rmSync(path.join(os.tmpdir(), `aims-bench-empty-${process.pid}.db${suffix}`), { force: true });
  const cell = (r: CliResult): string => `${r.maxRssMb.toFixed(0)} (${(r.ms / 1000).toFixed(1)} s)`;
  const peakRssMb = Math.max(...sizes.flatMap((m) => [m.verify.maxRssMb, m.exported.maxRssMb, m.replay.maxRssMb]));
  const lines = [
    `Peak RSS in MB (and time) of one process running the command, by store size; the same process verifying an empty store peaks at ${baseline.maxRssMb.toFixed(0)} MB. Replay reads one of the ${FILL_STREAMS} streams the events were filled into (1/${FILL_STREAMS} of the events), printing each as JSON.`,
    '',
    `| command | ${sizes.map((m) => `${fmt(m.events)} events`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
    `| \`aims evidence verify\` | ${sizes.map((m) => cell(m.verify)).join(' | ')} |`,
    `| \`aims evidence export --out FILE\` | ${sizes.map((m) => cell(m.exported)).join(' | ')} |`,
    `| \`aims evidence replay --stream S --json\` | ${sizes.map((m) => cell(m.replay)).join(' | ')} |`,
    '',
  ];
  return { lines, peakRssMb, sizes: sizes.map((m) => m.events) };
}

/** Writers 1 and 8 in separate processes, and 8 in one process (1 writer in one process is the first row). */

/** The raw table must hold exactly the events appended. */
export async function rawCount(adapter: Adapter, url: string, expected: number): Promise<void> {
  let n: number;
  if (adapter === 'sqlite') {
    const db = new Database(url.replace(/^sqlite:/, ''), { readonly: true });
    n = (db.prepare('SELECT count(*) AS n FROM raw_events').get() as { n: number }).n;
    db.close();
  } else {
    const client = new Client({ connectionString: url });
    await client.connect();
    n = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM raw_events')).rows[0].n);
    await client.end();
  }
  if (n !== expected) throw new Error(`raw table after a round: ${n} events (expected ${expected})`);
}

// The children fork this module (child() above), so its entry is here.
if (process.argv.includes('--child') && require.main === module) {
  process.once('message', (task: WriterTask | VerifyTask | CliTask) => {
    const work: Promise<unknown> = task.role === 'writer' ? runWriter(task) : task.role === 'verify' ? runVerify(task) : runCli(task);
    work.then(
      (result) => process.send?.(result ?? null, () => process.exit(0)),
      (err) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
