/**
 * `npm run bench:event-store`: the evidence store's throughput on both adapters, beside raw baselines
 * measured in the same run (plain INSERTs of the same payloads without chain or checks; raw SHA-256 over
 * the same bytes that verify hashes) and beside Emmett's event stores as a peer (bench/peers/emmett.ts),
 * and verify's peak memory at two store sizes.
 *
 * Writers run each in a process of its own (better-sqlite3 is synchronous, so "8 concurrent writers" means
 * 8 processes, as 8 workers would be) or all in one process sharing its store. Results go to stdout as a
 * Markdown section and, with --write, into docs/benchmarks.md.
 *
 * Sizes come from the environment so a quick run is possible: BENCH_APPEND_EVENTS (per scenario, default
 * 20000), BENCH_APPEND_ROUNDS (default 3), BENCH_VERIFY_EVENTS (default 1000000), BENCH_SMALL_EVENTS (default
 * 10000); BENCH_ADAPTERS (default "sqlite,postgres") runs only some adapters, and BENCH_PEERS=none leaves
 * Emmett out (no install of bench/peers), for a quick look without --write; BENCH_SHARED (bench-report.ts).
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
import { fmt, log, machineDescription, machineLoad, ratio, writeSection } from './bench-report';
import { emmettCount, emmettSqliteDurability, ensurePeersInstalled, openEmmett, peerVersions, prepareEmmett } from './peers/emmett';
import { formatSpread, rotatingRounds, spread, Spread } from './rounds';
import { benchPayload } from './evidence-payload';

type Adapter = 'sqlite' | 'postgres';
type Mode = 'evidence' | 'raw' | 'emmett';
/** Where a scenario's writers run: each in a process of its own, or all in one process. */
type Placement = 'processes' | 'one process';

interface WriterTask {
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

interface VerifyTask {
  role: 'verify';
  url: string;
}

/** One `aims evidence …` command run in a child process of its own, so its peak RSS is its own. */
interface CliTask {
  role: 'cli';
  argv: string[];
}

interface CliResult {
  exitCode: number;
  ms: number;
  maxRssMb: number;
}

const PG_ADMIN_URL = process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const APPEND_EVENTS = Number(process.env.BENCH_APPEND_EVENTS ?? 20_000);
const VERIFY_EVENTS = Number(process.env.BENCH_VERIFY_EVENTS ?? 1_000_000);
const SMALL_EVENTS = Number(process.env.BENCH_SMALL_EVENTS ?? 10_000);
/** When set (the documented run uses 10,000,000), the SQLite read store is grown to this size and measured again. */
const HUGE_EVENTS = Number(process.env.BENCH_HUGE_EVENTS ?? 0);
/** Events are filled into this many streams, round robin by batch; replay reads one of them. */
const FILL_STREAMS = 64;
/** Rounds per append scenario, each the evidence store then the raw baseline (BENCH_APPEND_ROUNDS). */
const APPEND_ROUNDS = Number(process.env.BENCH_APPEND_ROUNDS ?? 3);
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'sqlite,postgres').split(',').map((a) => a.trim());
/** BENCH_PEERS=none leaves Emmett out (a quick look without installing bench/peers). */
const PEERS = process.env.BENCH_PEERS !== 'none';

const payload = benchPayload;

// ---------------------------------------------------------------------------------------------------------
// Child process roles

/** Each writer times itself after connecting, so process start-up is not counted as append time. */
interface WriterTiming {
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

function child<T>(task: WriterTask | VerifyTask | CliTask): Promise<T> {
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

interface Store {
  adapter: Adapter;
  url: string;
  drop(): Promise<void>;
}

async function freshStore(adapter: Adapter, label: string): Promise<Store> {
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

function eventsPerScenario(writers: number, batch: number): number {
  return Math.ceil(APPEND_EVENTS / writers / batch) * batch * writers;
}

/** After an evidence-store round: the store must hold exactly the events appended, on an intact chain. */
async function verifyRound(url: string, expected: number): Promise<void> {
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
async function durabilitySettings(adapter: Adapter): Promise<string> {
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

async function appendScenario(store: Store, mode: Mode, writers: number, batch: number, placement: Placement): Promise<number> {
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
async function fill(url: string, to: number, progress: (n: number) => void, from = 0): Promise<void> {
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

async function readAllRate(url: string): Promise<{ events: number; perSecond: number }> {
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
async function rawSha256Rate(url: string, limit: number): Promise<number> {
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
async function memorySection(large: Store): Promise<{ lines: string[]; peakRssMb: number; sizes: number[] }> {
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
const SCENARIOS: Array<{ writers: number; batch: number; placement: Placement }> = [
  { writers: 1, batch: 1, placement: 'processes' },
  { writers: 1, batch: 10, placement: 'processes' },
  { writers: 8, batch: 1, placement: 'processes' },
  { writers: 8, batch: 10, placement: 'processes' },
  { writers: 8, batch: 1, placement: 'one process' },
  { writers: 8, batch: 10, placement: 'one process' },
];

interface AppendRow {
  adapter: Adapter;
  writers: number;
  batch: number;
  placement: Placement;
  evidence: Spread;
  raw: Spread;
  vsRaw: Spread;
  emmett?: Spread;
  vsEmmett?: Spread;
}

const adapterName = (a: Adapter): string => (a === 'sqlite' ? 'SQLite' : 'PostgreSQL');

function scenarioName(r: Pick<AppendRow, 'writers' | 'batch' | 'placement'>): string {
  const who =
    r.writers === 1 ? '1 writer' : r.placement === 'processes' ? `${r.writers} writer processes` : `${r.writers} writers in one process`;
  return `${who}, ${r.batch}-event batches`;
}

const two = (n: number): string => n.toFixed(2);
const withSpread = (s: Spread): string => `${two(s.median)} (${two(s.min)}–${two(s.max)})`;

/** The raw table must hold exactly the events appended. */
async function rawCount(adapter: Adapter, url: string, expected: number): Promise<void> {
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

/** The issue's targets (issue 3) and the comparison with the peer, each sentence from this run's figures. */
function targetsSummary(
  rows: AppendRow[],
  sqliteVerify: { events: number; ms: number } | undefined,
  memory: { peakRssMb: number; sizes: number[] } | undefined,
): string[] {
  const lines = ['### Against the targets', ''];
  const name = (r: AppendRow): string => `${adapterName(r.adapter)}, ${scenarioName(r)}`;
  if (rows.length > 0) {
    const missed = rows.filter((r) => r.vsRaw.median < 0.5);
    lines.push(
      `- Appends at least half the raw INSERT rate (median ratios): ${missed.length === 0 ? 'met in every scenario' : `missed in ${missed.length} of ${rows.length} (${missed.map((r) => `${name(r)}: ${withSpread(r.vsRaw)}`).join('; ')})`}.`,
    );
  }
  if (sqliteVerify) {
    const seconds = sqliteVerify.ms / 1000;
    lines.push(
      sqliteVerify.events === 1_000_000
        ? `- Verifying 1,000,000 events on SQLite in under 10 s: ${seconds.toFixed(1)} s, ${seconds < 10 ? 'met' : 'missed'}.`
        : `- Verifying 1,000,000 events on SQLite in under 10 s: not measured in this run (it verified ${fmt(sqliteVerify.events)} events in ${seconds.toFixed(1)} s).`,
    );
  }
  if (memory) {
    lines.push(
      `- Verify, export and replay under 256 MB whatever the store's size: the highest peak RSS over ${memory.sizes.map(fmt).join(', ')} events is ${memory.peakRssMb.toFixed(0)} MB, ${memory.peakRssMb < 256 ? 'met' : 'missed'}. They page through the store by key, so memory depends on the page size, not the store's size; what varies between sizes is V8 letting its heap grow before collecting.`,
    );
  }
  if (rows.length > 0) {
    const byRatio = [...rows].sort((x, y) => x.vsRaw.median - y.vsRaw.median);
    const slowest = byRatio[0];
    lines.push(
      `- Lowest ratio to raw INSERTs in this run: ${name(slowest)}: ${withSpread(slowest.vsRaw)}; highest: ${name(byRatio[byRatio.length - 1])}: ${withSpread(byRatio[byRatio.length - 1].vsRaw)}.`,
    );
    // Said only when the data shows it: the mechanism behind several writer processes' single appends trailing.
    if (slowest.writers > 1 && slowest.batch === 1 && slowest.placement === 'processes')
      lines.push(
        "- Why several writer processes' single appends trail most: each append holds the store's chain lock until its commit is on disk (each event's prevHash is the hash of the one committed before it), so the processes' commits and fsyncs are serialised, where raw INSERTs commit side by side and share fsyncs. Batches share one lock hold and one fsync.",
      );
  }
  lines.push(...peerSummary(rows));
  lines.push('');
  return lines;
}

/** Sentences about Emmett, each from the figures: where the store is faster or slower, and how placement changes it. */
function peerSummary(rows: AppendRow[]): string[] {
  const peer = rows.filter((r): r is AppendRow & { emmett: Spread; vsEmmett: Spread } => r.vsEmmett !== undefined);
  if (peer.length === 0) return [];
  const lines: string[] = ['', '### Beside Emmett', ''];
  for (const adapter of ['postgres', 'sqlite'] as const) {
    const mine = peer.filter((r) => r.adapter === adapter);
    if (mine.length === 0) continue;
    const faster = mine.filter((r) => r.vsEmmett.min > 1);
    const slower = mine.filter((r) => r.vsEmmett.max < 1);
    const mixed = mine.filter((r) => r.vsEmmett.min <= 1 && r.vsEmmett.max >= 1);
    const list = (rs: typeof mine): string => rs.map((r) => `${scenarioName(r)} ${withSpread(r.vsEmmett)}`).join('; ');
    lines.push(
      `- ${adapterName(adapter)}, evidence store ÷ Emmett: ${[
        faster.length > 0 ? `faster in every round in ${faster.length} of ${mine.length} scenarios (${list(faster)})` : '',
        slower.length > 0 ? `slower in every round in ${slower.length} (${list(slower)})` : '',
        mixed.length > 0 ? `on both sides of 1 across rounds in ${mixed.length} (${list(mixed)})` : '',
      ]
        .filter((x) => x !== '')
        .join('; ')}.`,
    );
    for (const batch of [1, 10]) {
      const across = mine.find((r) => r.writers > 1 && r.batch === batch && r.placement === 'processes');
      const inside = mine.find((r) => r.writers > 1 && r.batch === batch && r.placement === 'one process');
      if (!across || !inside) continue;
      const direction =
        inside.vsEmmett.median > across.vsEmmett.median
          ? 'higher when the writers share one process'
          : inside.vsEmmett.median < across.vsEmmett.median
            ? 'lower when the writers share one process'
            : 'the same either way';
      lines.push(
        `- ${adapterName(adapter)}, ${across.writers} writers, ${batch}-event batches: the ratio to Emmett is ${withSpread(across.vsEmmett)} with the writers in separate processes and ${withSpread(inside.vsEmmett)} in one process, ${direction} (medians). The evidence store's own rate goes from ${fmt(across.evidence.median)} to ${fmt(inside.evidence.median)} events/s, Emmett's from ${fmt(across.emmett.median)} to ${fmt(inside.emmett.median)}.`,
      );
    }
    if (adapter === 'postgres') {
      const inProcess = mine.filter((r) => r.placement === 'one process' || r.writers === 1);
      const lo = Math.min(...inProcess.map((r) => r.vsEmmett.median));
      const hi = Math.max(...inProcess.map((r) => r.vsEmmett.median));
      const across = mine.filter((r) => r.placement === 'processes' && r.writers > 1);
      const aLo = Math.min(...across.map((r) => r.vsEmmett.median));
      const aHi = Math.max(...across.map((r) => r.vsEmmett.median));
      const holds = (l: number, h: number): string =>
        l >= 1.4 && h <= 4 ? 'within' : h < 1.4 ? 'below' : l > 4 ? 'above' : 'partly outside';
      lines.push(
        `- The earlier quick check (evidence store at 1.4–4× Emmett's PostgreSQL store with in-process writers): here, with the writers in one process (and the single writer), the medians run ${two(lo)}–${two(hi)}, ${holds(lo, hi)} that range; with the writers in separate processes ${two(aLo)}–${two(aHi)}, ${holds(aLo, aHi)} it.`,
      );
    }
  }
  lines.push(
    '- What each store does per append, and so why the ratios fall as they do: see "What an append costs, ours and Emmett\'s" below.',
  );
  return lines;
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const appendRows: AppendRow[] = [];
  if (PEERS) ensurePeersInstalled(log);
  let sqliteVerify: { events: number; ms: number } | undefined;
  let memory: Awaited<ReturnType<typeof memorySection>> | undefined;
  const started = new Date();
  lines.push(`## Event store (\`npm run bench:event-store\`)`);
  lines.push('');
  lines.push(`- Date: ${started.toISOString()}`);
  lines.push(`- Machine: ${machineDescription()}; ${machineLoad()}`);
  const settings = [
    'BENCH_APPEND_EVENTS',
    'BENCH_APPEND_ROUNDS',
    'BENCH_VERIFY_EVENTS',
    'BENCH_SMALL_EVENTS',
    'BENCH_HUGE_EVENTS',
    'BENCH_ADAPTERS',
    'BENCH_PEERS',
  ]
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name] as string} `)
    .join('');
  lines.push(`- Command: \`${settings}npm run bench:event-store\``);
  lines.push(
    `- Sizes: ${fmt(APPEND_EVENTS)} events per append scenario and round; verify over ${fmt(VERIFY_EVENTS)} events (SQLite) and ${fmt(Math.min(VERIFY_EVENTS, 200_000))} (PostgreSQL); memory at ${[SMALL_EVENTS, VERIFY_EVENTS, ...(HUGE_EVENTS > VERIFY_EVENTS ? [HUGE_EVENTS] : [])].map(fmt).join(', ')} events`,
  );
  lines.push(
    `- Writers: each in a process of its own (as separate workers would be), or all 8 in one process sharing that process's store (one evidence store instance, whose concurrent appends are committed together; one Emmett PostgreSQL event store and its pool; one connection per writer where a connection runs one transaction at a time: raw PostgreSQL, Emmett SQLite). Each writer appends to 4 streams of its own. Rounds rotate which side runs first (${APPEND_ROUNDS} rounds, fresh databases each round).`,
  );
  lines.push(
    `- Checked after every round: the evidence store holds exactly the events appended and its chain verifies intact; the raw table${PEERS ? " and Emmett's messages table" : ''} hold exactly the events appended. Else the run fails.`,
  );
  if (PEERS) {
    const versions = peerVersions();
    lines.push(
      `- Peer: Emmett (${Object.entries(versions)
        .map(([n, v]) => `\`${n}\` ${v}`)
        .join(
          ', ',
        )}; bench/peers/package-lock.json), appending the same events (type, data, metadata) to the same stream names: PostgreSQL through \`getPostgreSQLEventStore(url).appendToStream\`, SQLite through the package's \`appendToStream\` on one long-lived connection per writer (bench/peers/emmett.ts says why). Its tables live in the same database (PostgreSQL) or in a file beside ours in the same directory (SQLite).`,
    );
  }
  lines.push('');

  for (const adapter of ['sqlite', 'postgres'] as const) {
    if (!ADAPTERS.includes(adapter)) continue;
    lines.push(`### ${adapter === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
    lines.push('');
    lines.push(`- Durability in force: ${await durabilitySettings(adapter)}`);
    lines.push('');
    const peerHeader = PEERS ? ' Emmett, events/s |' : '';
    lines.push(
      `| scenario (${APPEND_ROUNDS} rounds; median (min–max)) | evidence store, events/s | raw INSERT, events/s |${peerHeader} evidence ÷ raw, per round |${PEERS ? ' evidence ÷ Emmett, per round |' : ''}`,
    );
    lines.push(`|---|---:|---:|${PEERS ? '---:|' : ''}---:|${PEERS ? '---:|' : ''}`);
    for (const { writers, batch, placement } of SCENARIOS) {
      // Rounds rotate which side goes first, each round on a fresh store, so a passing disturbance on this
      // shared machine hits every side and none always runs on the warmer database.
      const label = `${adapter}: ${writers} writer(s) ${placement === 'processes' ? 'in separate processes' : 'in one process'}, batches of ${batch}`;
      const expected = eventsPerScenario(writers, batch);
      const side =
        (mode: Mode, check: (url: string) => Promise<void>) =>
        async (store: Store, round: number): Promise<number> => {
          log(`${label}, round ${round}/${APPEND_ROUNDS}: ${mode}…`);
          const rate = await appendScenario(store, mode, writers, batch, placement);
          await check(store.url);
          return rate;
        };
      const sides = {
        evidence: side('evidence', (url) => verifyRound(url, expected)),
        raw: side('raw', (url) => rawCount(adapter, url, expected)),
        ...(PEERS
          ? {
              emmett: side('emmett', async (url) => {
                const n = await emmettCount(adapter, url);
                if (n !== expected) throw new Error(`Emmett after a round: ${n} events (expected ${expected})`);
              }),
            }
          : {}),
      };
      const runs = await rotatingRounds<Store, string>(
        APPEND_ROUNDS,
        (round) => freshStore(adapter, `a${writers}b${batch}${placement === 'processes' ? 'p' : 'i'}r${round}`),
        sides,
      );
      const row: AppendRow = {
        adapter,
        writers,
        batch,
        placement,
        evidence: spread(runs.evidence),
        raw: spread(runs.raw),
        vsRaw: spread(runs.evidence.map((e, i) => e / runs.raw[i])),
        ...(PEERS ? { emmett: spread(runs.emmett), vsEmmett: spread(runs.evidence.map((e, i) => e / runs.emmett[i])) } : {}),
      };
      appendRows.push(row);
      lines.push(
        `| ${scenarioName(row)} | ${formatSpread(row.evidence, fmt)} | ${formatSpread(row.raw, fmt)} |${row.emmett ? ` ${formatSpread(row.emmett, fmt)} |` : ''} ${formatSpread(row.vsRaw, two)} |${row.vsEmmett ? ` ${formatSpread(row.vsEmmett, two)} |` : ''}`,
      );
    }
    lines.push('');

    const size = adapter === 'sqlite' ? VERIFY_EVENTS : Math.min(VERIFY_EVENTS, 200_000);
    const store = await freshStore(adapter, 'read');
    try {
      log(`${adapter}: filling ${fmt(size)} events for read and verify…`);
      await fill(store.url, size, (n) => log(`${adapter}: filled ${fmt(n)}`));
      const read = await readAllRate(store.url);
      const verify = await child<{ intact: boolean; events: number; ms: number; maxRssMb: number }>({ role: 'verify', url: store.url });
      const sha = await rawSha256Rate(store.url, Math.min(size, 200_000));
      const verifyRate = verify.events / (verify.ms / 1000);
      lines.push(`| over ${fmt(size)} events | events/s | baseline | ratio |`);
      lines.push('|---|---:|---:|---:|');
      lines.push(`| readAll | ${fmt(read.perSecond)} | | |`);
      lines.push(
        `| verify (${verify.intact ? 'intact' : 'NOT INTACT'}; ${(verify.ms / 1000).toFixed(1)} s in all; peak RSS ${verify.maxRssMb.toFixed(0)} MB) | ${fmt(verifyRate)} | raw SHA-256 ${fmt(sha)} | ${ratio(verifyRate, sha)} |`,
      );
      lines.push('');
      if (adapter === 'sqlite') {
        sqliteVerify = { events: verify.events, ms: verify.ms };
        memory = await memorySection(store);
        lines.push(...memory.lines);
      }
    } finally {
      await store.drop();
    }
  }

  lines.push(...targetsSummary(appendRows, sqliteVerify, memory));
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', '## Event store', section);
}

if (process.argv.includes('--child')) {
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
} else if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
