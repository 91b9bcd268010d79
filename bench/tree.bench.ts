/**
 * `npm run bench:tree`: the transparency log's costs (issue 12 item 7), each beside a baseline measured in
 * the same run, rounds alternating which of the two goes first (rounds.ts), median with min–max:
 *   (a) appends with the Merkle tree maintained against appends without it, both adapters, 1 and 8 writer
 *       processes. Without it: SQLite opens with `maintainTree: false` (a bench/test-only option, not
 *       reachable from a store URL); PostgreSQL's baseline database has its tree trigger disabled
 *       (ALTER TABLE … DISABLE TRIGGER, on a throwaway database this bench owns).
 *   (b) inclusion proofs at growing store sizes: the reads each proof makes, counted by wrapping the
 *       driver's statement calls (better-sqlite3 Statement get/all/iterate, pg Client.query) around the
 *       store's own code, and the time, beside one event read by position.
 *   (c) `aims evidence tree rebuild` (the CLI path, in a child process) beside raw SHA-256 over the same
 *       leaf bytes and interior nodes, in memory; the two roots must match.
 *   (d) `aims evidence pack --system` of one AI system's history at several store sizes, beside reading
 *       that system's stream; each pack is verified with `aims evidence verify-pack`.
 * The stores of (b)–(d) are grown by normal appends through the store's own batch path (BENCH_TREE_FILL_BATCH
 * events an append) in this run; nothing is loaded behind the store's back.
 *
 * Sizes from the environment: BENCH_TREE_APPEND_EVENTS (per scenario and side, default 4000),
 * BENCH_TREE_ROUNDS (default 3), BENCH_TREE_SQLITE_SIZES (default "10000,1000000,10000000"),
 * BENCH_TREE_PG_SIZES (default "10000,200000"), BENCH_TREE_PACK_BASE (the store size at which the packed
 * system's history is complete, default 100000), BENCH_TREE_SYSTEM_EVENTS (default 200),
 * BENCH_TREE_PROOFS (positions sampled per round, default 200), BENCH_TREE_FILL_BATCH (default 5000),
 * BENCH_TREE_PARTS (default "appends,sqlite,postgres"), BENCH_TREE_APPEND_ADAPTERS (default "sqlite,postgres"), BENCH_TREE_VERIFY_MAX (largest store size whose chain
 * is verified in full after growing, default 1000000; above it the head position and tree size are checked, and every sampled proof against the root; the rebuild
 * runs at the largest size up to 1,000,000).
 * With --write the section replaces its own in docs/benchmarks.md.
 */
import { ChildProcess, fork } from 'node:child_process';
import { hash as oneShotHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { evidenceCommand } from '../apps/cli/src/commands/evidence.command';
import { canonicalize } from '../domain/evidence/canonical-json';
import { verifyInclusion } from '../domain/evidence/merkle';
import { openEventStore } from '../infra/event-store/open-event-store';
import { evidenceLeafHash, RFC6962_SHA256 } from '../infra/event-store/rfc6962-hasher';
import { generateSignerKey } from '../infra/event-store/signed-note';
import { SqliteEventStore } from '../infra/event-store/sqlite-event-store';
import type { EventStore } from '../infra/ports/event-store.port';
import { fmt, log, machineDescription, machineLoad, ratio, writeSection } from './bench-report';
import { alternatingRounds, formatSpread, Spread, spread } from './rounds';
import { benchPayload } from './evidence-payload';

type Adapter = 'sqlite' | 'postgres';

const PG_ADMIN_URL = process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const APPEND_EVENTS = Number(process.env.BENCH_TREE_APPEND_EVENTS ?? 4000);
const ROUNDS = Number(process.env.BENCH_TREE_ROUNDS ?? 3);
const sizesOf = (value: string): number[] =>
  value
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const SQLITE_SIZES = sizesOf(process.env.BENCH_TREE_SQLITE_SIZES ?? '10000,1000000,10000000');
const PG_SIZES = sizesOf(process.env.BENCH_TREE_PG_SIZES ?? '10000,200000');
const PACK_BASE = Number(process.env.BENCH_TREE_PACK_BASE ?? 100_000);
const SYSTEM_EVENTS = Number(process.env.BENCH_TREE_SYSTEM_EVENTS ?? 200);
const PROOFS = Number(process.env.BENCH_TREE_PROOFS ?? 200);
const FILL_BATCH = Number(process.env.BENCH_TREE_FILL_BATCH ?? 5000);
const PARTS = (process.env.BENCH_TREE_PARTS ?? 'appends,sqlite,postgres').split(',').map((p) => p.trim());
const VERIFY_MAX = Number(process.env.BENCH_TREE_VERIFY_MAX ?? 1_000_000);
const APPEND_ADAPTERS = (process.env.BENCH_TREE_APPEND_ADAPTERS ?? 'sqlite,postgres').split(',').map((a) => a.trim());
const SYSTEM_ID = '42';
const SYSTEM_STREAM = `ai-system-${SYSTEM_ID}`;
const ORIGIN = 'bench.example/aims-tree';

const payload = benchPayload;

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
interface Timed {
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

function child(task: Task): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: Timed | undefined;
    proc.on('message', (m) => (result = m as Timed));
    proc.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${task.role} child exited ${code}`))));
    proc.send(task);
  });
}

async function cli(argv: string[]): Promise<Timed> {
  const r = await child({ role: 'cli', argv });
  if (r.exitCode !== 0) throw new Error(`aims evidence ${argv.join(' ')} exited ${r.exitCode}`);
  return r;
}

const msOf = (t: Timed): number => t.endedAt - t.startedAt;

// ---------------------------------------------------------------------------------------------------------
// Read counting: the driver calls the store's own code makes, wrapped in this process

const reads = { active: false, statements: 0, rows: 0 };

function instrumentDrivers(): void {
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

async function counted<T>(work: () => Promise<T>): Promise<{ value: T; statements: number; rows: number; ms: number }> {
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

interface Store {
  adapter: Adapter;
  url: string;
  drop(): Promise<void>;
}

async function createStore(adapter: Adapter, label: string, tree: boolean): Promise<Store> {
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
async function durabilitySettings(adapter: Adapter): Promise<string> {
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

// ---------------------------------------------------------------------------------------------------------
// (a) appends, tree on vs tree off

async function appendRun(store: Store, tree: boolean, writers: number, batch: number): Promise<number> {
  const perWriter = Math.ceil(APPEND_EVENTS / writers / batch) * batch;
  const timings = await Promise.all(
    Array.from({ length: writers }, (_, writer) =>
      child({ role: 'writer', adapter: store.adapter, url: store.url, tree, writer, events: perWriter, batch }),
    ),
  );
  const seconds = (Math.max(...timings.map((t) => t.endedAt)) - Math.min(...timings.map((t) => t.startedAt))) / 1000;
  return (perWriter * writers) / seconds;
}

/** After a round: the events appended, an intact chain; with the tree on, a tree of every event whose root a rebuild gives again. */
async function checkRound(store: Store, tree: boolean, expected: number): Promise<void> {
  const s = await openEventStore(store.url);
  try {
    const report = await s.verify();
    if (!report.intact || report.eventsChecked !== expected)
      throw new Error(`${store.url}: ${report.eventsChecked} events (expected ${expected}), intact=${report.intact}`);
    const head = await s.treeHead();
    if (tree) {
      const rebuilt = await s.rebuildTree();
      if (head.size !== expected || !rebuilt.rootHash.equals(head.rootHash))
        throw new Error(`${store.url}: tree of ${head.size} events (expected ${expected}) or its root differs from the rebuild's`);
    } else if (store.adapter === 'postgres' && head.size !== 0) {
      throw new Error(`${store.url}: the tree-off baseline has a tree of ${head.size} events`);
    }
  } finally {
    await s.close();
  }
}

async function appendsSection(lines: string[], targets: string[]): Promise<void> {
  lines.push('### (a) Appends with the tree maintained vs without it', '');
  lines.push(
    `${fmt(APPEND_EVENTS)} events per scenario and side, one-event appends (each its own commit and fsync, the hardest case for the tree's share), writers are separate processes; each round on two fresh stores, the tree-on one checked afterwards (every event in the chain and the tree, root equal to a rebuild's), the tree-off one checked for its chain and count.`,
    '',
  );
  lines.push(`| adapter, writers (${ROUNDS} rounds; median (min–max)) | tree on, events/s | tree off, events/s | ratio on/off |`);
  lines.push('|---|---:|---:|---:|');
  const results: Array<{ label: string; ratio: Spread }> = [];
  for (const adapter of ['sqlite', 'postgres'] as const) {
    if (!APPEND_ADAPTERS.includes(adapter)) continue;
    for (const writers of [1, 8]) {
      const batch = 1;
      const label = `${adapter === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${writers} writer${writers > 1 ? 's' : ''}`;
      const expected = Math.ceil(APPEND_EVENTS / writers / batch) * batch * writers;
      const runs = await alternatingRounds(
        ROUNDS,
        async (round) => {
          const on = await createStore(adapter, `on${writers}r${round}`, true);
          const off = await createStore(adapter, `off${writers}r${round}`, false);
          return { on, off, drop: async () => (await on.drop(), await off.drop()) };
        },
        async (s, round) => {
          log(`${label}, round ${round}: tree on…`);
          const rate = await appendRun(s.on, true, writers, batch);
          await checkRound(s.on, true, expected);
          return rate;
        },
        async (s, round) => {
          log(`${label}, round ${round}: tree off…`);
          const rate = await appendRun(s.off, false, writers, batch);
          await checkRound(s.off, false, expected);
          return rate;
        },
      );
      const r = spread(runs.ratios);
      results.push({ label, ratio: r });
      log(`${label}: ratio tree on/off ${formatSpread(r, (n) => n.toFixed(2))}`);
      lines.push(
        `| ${label} | ${formatSpread(spread(runs.engine), fmt)} | ${formatSpread(spread(runs.baseline), fmt)} | ${formatSpread(r, (n) => n.toFixed(2))} |`,
      );
    }
  }
  lines.push('');
  const missed = results.filter((r) => r.ratio.median < 0.8);
  targets.push(
    `- Appends with the tree ≥ 0.8× appends without it (medians): ${missed.length === 0 ? 'met in every scenario' : `missed in ${missed.map((m) => m.label).join('; ')}`} (${results.map((r) => `${r.label} ${r.ratio.median.toFixed(2)}`).join(', ')}).`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// (b)–(d) on one store grown by batch appends

/** Appends up to `to` events, FILL_BATCH a batch over 64 streams; until PACK_BASE, one event in every PACK_BASE/SYSTEM_EVENTS is the packed system's. */
async function grow(url: string, from: number, to: number): Promise<number> {
  const store = await openEventStore(url);
  const started = performance.now();
  try {
    const every = Math.floor(PACK_BASE / SYSTEM_EVENTS);
    let at = from;
    while (at < to) {
      if (at < PACK_BASE) {
        // Other systems' events, then one of the packed system: its history spread over the first PACK_BASE positions.
        const n = Math.min(every - 1, to - at);
        await store.append(
          `bench-fill-${(at / every) % 64}`,
          Array.from({ length: n }, (_, k) => payload(1, at + k)),
        );
        at += n;
        if (at < to) {
          await store.append(SYSTEM_STREAM, [{ ...payload(0, at), type: 'MonitoringReportRecorded' }]);
          at++;
        }
      } else {
        const n = Math.min(FILL_BATCH, to - at);
        await store.append(
          `bench-fill-${Math.floor(at / FILL_BATCH) % 64}`,
          Array.from({ length: n }, (_, k) => payload(2, at + k)),
        );
        at += n;
        if ((at / FILL_BATCH) % 200 === 0) log(`filled ${fmt(at)} (${fmt((at - from) / ((performance.now() - started) / 1000))} events/s)`);
      }
    }
  } finally {
    await store.close();
  }
  return (to - from) / ((performance.now() - started) / 1000);
}

/** A small deterministic generator, so each round samples its own but repeatable positions. */
function positions(size: number, round: number): number[] {
  let x = (round * 2654435761) >>> 0 || 1;
  const out = [1, size];
  while (out.length < PROOFS) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.push(1 + Math.floor((x / 2 ** 32) * size));
  }
  return out;
}

interface ProofFigures {
  size: number;
  statements: number[];
  rows: number[];
  proofUs: number[];
  readUs: number[];
  ratios: number[];
  pathLength: number;
}

async function proofFigures(url: string, size: number): Promise<ProofFigures> {
  const store = await openEventStore(url);
  try {
    const head = await store.treeHead();
    if (head.size !== size) throw new Error(`tree of ${head.size} events, expected ${size}`);
    const statements: number[] = [];
    const rows: number[] = [];
    let pathLength = 0;
    const proofs = async (sample: number[]): Promise<number> => {
      let total = 0;
      for (const p of sample) {
        const r = await counted(() => store.inclusionProof(p, size));
        total += r.ms;
        statements.push(r.statements);
        rows.push(r.rows);
        pathLength = Math.max(pathLength, r.value.length);
      }
      return (total * 1000) / sample.length;
    };
    const eventReads = async (sample: number[]): Promise<number> => {
      let total = 0;
      for (const p of sample) {
        const started = performance.now();
        for await (const _ of store.readAll({ fromPosition: p, toPosition: p, maxCount: 1 })) void _;
        total += performance.now() - started;
      }
      return (total * 1000) / sample.length;
    };
    const runs = await alternatingRounds(
      ROUNDS,
      async (round) => ({ sample: positions(size, round), drop: async () => undefined }),
      (s) => proofs(s.sample),
      (s) => eventReads(s.sample),
    );
    // Every sampled proof checked against the root, outside the timing.
    for (const p of positions(size, 1)) {
      const [event] = await collectAll(store.readAll({ fromPosition: p, toPosition: p, maxCount: 1 }));
      const proof = await store.inclusionProof(p, size);
      if (
        !verifyInclusion(
          RFC6962_SHA256,
          p - 1,
          size,
          evidenceLeafHash({ ...event, dataJson: canonicalize(event.data), metadataJson: canonicalize(event.metadata) }),
          proof,
          head.rootHash,
        )
      )
        throw new Error(`the inclusion proof of position ${p} in ${size} does not verify`);
    }
    return { size, statements, rows, proofUs: runs.engine, readUs: runs.baseline, ratios: runs.ratios, pathLength };
  } finally {
    await store.close();
  }
}

async function collectAll<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const NODE = Buffer.from([1]);
const sha256 = (data: Buffer): Buffer => oneShotHash('sha256', data, 'buffer');

/**
 * Raw SHA-256 over the same bytes the tree hashes: each event's leaf (0x00 and its export line) and the
 * interior nodes (0x01, left, right), folded with a stack as RFC 6962 defines the root. Only the hashing
 * is timed (reading the events is not); the root must equal the store's.
 */
async function rawTreeHash(url: string): Promise<{ perSecond: number; mbPerSecond: number; root: Buffer; events: number }> {
  const store = await openEventStore(url);
  let hashMs = 0;
  let bytes = 0;
  let events = 0;
  const stack: Array<{ hash: Buffer; size: number }> = [];
  let root: Buffer;
  try {
    let page: Buffer[] = [];
    const flush = (): void => {
      const started = performance.now();
      for (const leaf of page) {
        let node = { hash: sha256(leaf), size: 1 };
        while (stack.length > 0 && stack[stack.length - 1].size === node.size) {
          const left = stack.pop() as { hash: Buffer; size: number };
          node = { hash: sha256(Buffer.concat([NODE, left.hash, node.hash])), size: node.size * 2 };
        }
        stack.push(node);
      }
      hashMs += performance.now() - started;
      page = [];
    };
    for await (const event of store.readAll({ pageSize: 5000 })) {
      const leaf = Buffer.from(`\u0000${canonicalize(event)}`, 'utf8');
      bytes += leaf.length;
      events++;
      page.push(leaf);
      if (page.length === 5000) flush();
    }
    flush();
    const started = performance.now();
    root = stack.pop()?.hash ?? sha256(Buffer.alloc(0));
    while (stack.length > 0) root = sha256(Buffer.concat([NODE, (stack.pop() as { hash: Buffer }).hash, root]));
    hashMs += performance.now() - started;
  } finally {
    await store.close();
  }
  return { perSecond: events / (hashMs / 1000), mbPerSecond: bytes / 2 ** 20 / (hashMs / 1000), root, events };
}

/** (c) `aims evidence tree rebuild` in a child process beside raw SHA-256 over the same bytes. */
async function rebuildFigures(url: string, size: number): Promise<string[]> {
  let storeRoot = '';
  let rawRoot = '';
  let mb = 0;
  const runs = await alternatingRounds(
    ROUNDS,
    async () => ({ drop: async () => undefined }),
    async (_, round) => {
      log(`rebuild of ${fmt(size)} events, round ${round}…`);
      const r = await cli(['tree', 'rebuild', '--store', url]);
      const match = /evidence tree rebuilt: (\d+) event\(s\), root ([0-9a-f]{64})/.exec(r.stdout);
      if (!match || Number(match[1]) !== size) throw new Error(`rebuild printed ${r.stdout}`);
      storeRoot = match[2];
      return size / (msOf(r) / 1000);
    },
    async (_, round) => {
      log(`raw SHA-256 over ${fmt(size)} events, round ${round}…`);
      const r = await rawTreeHash(url);
      if (r.events !== size) throw new Error(`raw hashing saw ${r.events} events`);
      rawRoot = r.root.toString('hex');
      mb = r.mbPerSecond;
      return r.perSecond;
    },
  );
  if (storeRoot !== rawRoot) throw new Error(`rebuild root ${storeRoot} differs from the raw SHA-256 root ${rawRoot}`);
  return [
    `| tree rebuild over ${fmt(size)} events (root equal to the raw fold's) | ${formatSpread(spread(runs.engine), fmt)} | ${formatSpread(spread(runs.baseline), fmt)} (${mb.toFixed(0)} MB/s of leaf bytes, last round) | ${formatSpread(spread(runs.ratios), (n) => n.toFixed(2))} |`,
  ];
}

interface PackPoint {
  size: number;
  /** The store size of the baseline's copy, when the baseline is a pack from it rather than a stream read. */
  besideSize?: number;
  packMs: Spread;
  readMs: Spread;
  ratio: Spread;
  verifyMs: number;
  packKiB: number;
}

/** (d) a pack of the system's history at this store size, beside reading its stream; each pack verified. */
async function packFigures(
  url: string,
  size: number,
  dir: string,
  verifierKey: string,
  beside?: { url: string; size: number },
): Promise<PackPoint> {
  await cli(['checkpoint', '--store', url]);
  const out = path.join(dir, `system-${size}.tar`);
  // With `beside` (a copy of the store taken at an earlier size, SQLite), the baseline is packing the same
  // system from that copy in the same rounds, so the two sizes are compared under the same load.
  const baseline = async (): Promise<number> => {
    if (beside)
      return msOf(
        await cli(['pack', '--store', beside.url, '--as-of', String(beside.size), '--system', SYSTEM_ID, '--out', `${out}.base`]),
      );
    const r = await child({ role: 'read-stream', url, stream: SYSTEM_STREAM, asOf: size });
    if (r.count !== SYSTEM_EVENTS) throw new Error(`the system's stream holds ${r.count} events, expected ${SYSTEM_EVENTS}`);
    return msOf(r);
  };
  const runs = await alternatingRounds(
    ROUNDS,
    async () => ({ drop: async () => undefined }),
    async (_, round) => {
      log(`pack of system ${SYSTEM_ID} at ${fmt(size)} events, round ${round}…`);
      return msOf(await cli(['pack', '--store', url, '--as-of', String(size), '--system', SYSTEM_ID, '--out', out]));
    },
    baseline,
  );
  fs.rmSync(`${out}.base`, { force: true });
  const verified = await cli(['verify-pack', out, '--key', verifierKey, '--json']);
  const packKiB = fs.statSync(out).size / 1024;
  fs.rmSync(out, { force: true });
  return {
    size,
    besideSize: beside?.size,
    packMs: spread(runs.engine),
    readMs: spread(runs.baseline),
    ratio: spread(runs.ratios),
    verifyMs: msOf(verified),
    packKiB,
  };
}

/** Grows one store through `sizes`, measuring proofs at each, packs from PACK_BASE on, and the rebuild at the largest size up to 1,000,000. */
async function growthSection(adapter: Adapter, sizes: number[], lines: string[], targets: string[]): Promise<void> {
  const name = adapter === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const store = await createStore(adapter, 'grow', true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-bench-tree-packs-'));
  const key = generateSignerKey(ORIGIN);
  fs.writeFileSync(path.join(dir, 'signer.key'), key.signerKey, { mode: 0o600 });
  process.env.AIMS_CHECKPOINT_KEY_FILE = path.join(dir, 'signer.key');
  process.env.AIMS_LOG_ORIGIN = ORIGIN;
  const proofs: ProofFigures[] = [];
  const packs: PackPoint[] = [];
  const fills: string[] = [];
  const rebuildRows: string[] = [];
  const checks: string[] = [];
  const packSizes = [...new Set([PACK_BASE, ...sizes.filter((s) => s > PACK_BASE)])];
  const stops = [...new Set([...sizes, ...packSizes])].sort((a, b) => a - b);
  let at = 0;
  try {
    for (const size of stops) {
      log(`${name}: growing the store to ${fmt(size)} events…`);
      const rate = await grow(store.url, at, size);
      fills.push(`${fmt(at)}→${fmt(size)} at ${fmt(rate)} events/s`);
      at = size;
      const s = await openEventStore(store.url);
      try {
        const head = await s.head();
        const tree = await s.treeHead();
        if (head?.position !== size || tree.size !== size)
          throw new Error(`${name}: head ${head?.position}, tree ${tree.size}, expected ${size}`);
        if (size <= VERIFY_MAX) {
          const report = await s.verify();
          if (!report.intact || report.eventsChecked !== size) throw new Error(`${name}: verify at ${size}: ${JSON.stringify(report)}`);
          checks.push(`${fmt(size)}: chain verified in full`);
        } else
          checks.push(
            `${fmt(size)}: head position and tree size checked (a full verify skipped above BENCH_TREE_VERIFY_MAX), every sampled proof verified against the root`,
          );
      } finally {
        await s.close();
      }
      if (sizes.includes(size)) {
        log(`${name}: inclusion proofs at ${fmt(size)}…`);
        const p = await proofFigures(store.url, size);
        proofs.push(p);
        log(
          `${name} proofs at ${fmt(size)}: statements ${Math.max(...p.statements)}, rows median ${spread(p.rows).median} max ${Math.max(...p.rows)}, µs ${formatSpread(spread(p.proofUs), fmt)} vs read ${formatSpread(spread(p.readUs), fmt)}`,
        );
      }
      if (packSizes.includes(size)) {
        const base = adapter === 'sqlite' && size > PACK_BASE ? { url: `sqlite:${path.join(dir, 'base.db')}`, size: PACK_BASE } : undefined;
        const p = await packFigures(store.url, size, dir, key.verifierKey, base);
        // A copy of the store at PACK_BASE (closed, so its WAL is merged), packed beside the larger sizes.
        if (adapter === 'sqlite' && size === PACK_BASE) fs.copyFileSync(store.url.slice('sqlite:'.length), path.join(dir, 'base.db'));
        packs.push(p);
        log(`${name} pack at ${fmt(size)}: ${formatSpread(p.packMs, fmt)} ms vs stream read ${formatSpread(p.readMs, fmt)} ms`);
      }
      // The rebuild at the largest size up to 1,000,000 (three rounds of it at 10,000,000 would take most of an hour here).
      if (size === Math.max(...sizes.filter((x) => x <= 1_000_000))) rebuildRows.push(...(await rebuildFigures(store.url, size)));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await store.drop();
  }

  lines.push(`### ${name}: one store grown by batch appends`, '');
  lines.push(
    `- Grown in this run through \`store.append\` (${fmt(FILL_BATCH)} events an append past ${fmt(PACK_BASE)}; before that ${fmt(Math.floor(PACK_BASE / SYSTEM_EVENTS) - 1)}-event appends each followed by one event of \`${SYSTEM_STREAM}\`, so the packed system's ${fmt(SYSTEM_EVENTS)} events are spread over the first ${fmt(PACK_BASE)} positions and its history does not grow with the store): ${fills.join('; ')}.`,
  );
  lines.push(`- Checked at each size: ${checks.join('; ')}.`, '');
  lines.push(
    `#### (b) Inclusion proofs (${PROOFS} positions a round incl. the first and last, ${ROUNDS} rounds; each sampled proof verified against the root)`,
    '',
  );
  lines.push(
    '| events | statements per proof | rows read per proof: median (max) | proof length | ⌈log2 n⌉ | proof, µs: median (min–max) of round means | one event by position, µs | ratio |',
  );
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of proofs) {
    const st = spread(p.statements);
    const rw = spread(p.rows);
    lines.push(
      `| ${fmt(p.size)} | ${st.min === st.max ? st.max : `${st.min}–${st.max}`} | ${rw.median} (${rw.max}) | ≤ ${p.pathLength} | ${Math.ceil(Math.log2(p.size))} | ${formatSpread(spread(p.proofUs), fmt)} | ${formatSpread(spread(p.readUs), fmt)} | ${formatSpread(spread(p.ratios), (n) => n.toFixed(2))} |`,
    );
  }
  lines.push('');
  const maxRows = proofs.map((p) => ({ size: p.size, rows: Math.max(...p.rows), bound: 2 * Math.ceil(Math.log2(p.size)) + 1 }));
  const logBound = maxRows.every((m) => m.rows <= m.bound);
  if (proofs.length > 0) {
    const first = proofs[0];
    const last = proofs[proofs.length - 1];
    targets.push(
      `- ${name}, an inclusion proof in O(log n) reads: ${logBound ? 'met' : 'MISSED'} up to ${fmt(last.size)} events: at most ${Math.max(...last.statements)} statements and ${Math.max(...last.rows)} rows (one row for the tree's size, then the stored complete subtrees the proof is made of: one per proof element, or several for an element on the tree's ragged right edge, so at most 2⌈log2 n⌉ + 1 = ${2 * Math.ceil(Math.log2(last.size)) + 1}; the check fails above that); from ${fmt(first.size)} to ${fmt(last.size)} events (×${fmt(last.size / first.size)}) the median proof time went ${fmt(spread(first.proofUs).median)} → ${fmt(spread(last.proofUs).median)} µs (×${ratio(spread(last.proofUs).median, spread(first.proofUs).median)}).${adapter === 'sqlite' && last.size < 10_000_000 ? ' 10,000,000 events were not reached in this run.' : ''}`,
    );
  }
  if (rebuildRows.length > 0) {
    lines.push('#### (c) Tree rebuild (`aims evidence tree rebuild`, timed in its process incl. opening the store) vs raw SHA-256', '');
    lines.push(`| ${ROUNDS} rounds; median (min–max) | rebuild, events/s | raw SHA-256 of leaves and nodes, events/s | ratio |`);
    lines.push('|---|---:|---:|---:|', ...rebuildRows, '');
  }
  if (packs.length > 0) {
    lines.push(
      `#### (d) Pack of one AI system's history (${fmt(SYSTEM_EVENTS)} events) at growing store sizes (\`aims evidence pack --system ${SYSTEM_ID}\`, then \`verify-pack\`)`,
      '',
    );
    lines.push(`| store events | pack, ms | baseline in the same rounds, ms | ratio | verify-pack, ms | pack size, KiB |`);
    lines.push('|---:|---:|---:|---:|---:|---:|');
    for (const p of packs)
      lines.push(
        `| ${fmt(p.size)} | ${formatSpread(p.packMs, fmt)} | ${p.besideSize === undefined ? "reading the system's stream" : `the same pack from a copy of the store at ${fmt(p.besideSize)}`}: ${formatSpread(p.readMs, fmt)} | ${formatSpread(p.ratio, (n) => n.toFixed(2))} | ${fmt(p.verifyMs)} | ${fmt(p.packKiB)} |`,
      );
    lines.push('');
    const first = packs[0];
    const last = packs[packs.length - 1];
    if (packs.length > 1) {
      // Against the copy at the first size in the same rounds when there is one (the same load on both).
      const growth = last.besideSize === first.size ? last.ratio.median : last.packMs.median / first.packMs.median;
      const storeGrowth = last.size / first.size;
      targets.push(
        `- ${name}, a pack of one system in time proportional to its history, not the store: from ${fmt(first.size)} to ${fmt(last.size)} events (×${fmt(storeGrowth)}) with the same ${fmt(SYSTEM_EVENTS)}-event history, the pack took ×${growth.toFixed(2)} as long (${last.besideSize === first.size ? 'median of the per-round ratios, both packed in the same rounds' : `medians ${fmt(first.packMs.median)} → ${fmt(last.packMs.median)} ms, measured at different times`}), where a pack that read the store would take ×${fmt(storeGrowth)}; ${growth < Math.max(2, Math.log2(storeGrowth)) ? 'met: it follows the history (what grows with the store is each event’s O(log n) proof)' : 'MISSED: it grows with the store'}.`,
      );
    }
  }
}

async function main(): Promise<void> {
  instrumentDrivers();
  const lines: string[] = [];
  const targets: string[] = ['### Against the targets (issue 12 item 7)', ''];
  const started = new Date();
  const settings = Object.keys(process.env)
    .filter((k) => k.startsWith('BENCH_TREE_'))
    .sort()
    .map((k) => `${k}=${process.env[k] as string} `)
    .join('');
  lines.push('## Transparency log (`npm run bench:tree`)', '');
  lines.push(`- Date: ${started.toISOString()}`);
  lines.push(`- Machine: ${machineDescription()}; load average at start ${os.loadavg()[0].toFixed(1)}, ${machineLoad()}`);
  lines.push(`- Command: \`${settings}npm run bench:tree\``);
  lines.push(`- Durability in force: ${await durabilitySettings('sqlite')}; ${await durabilitySettings('postgres')}`);
  lines.push(
    `- Reads are counted by wrapping the drivers' statement calls in the bench process (better-sqlite3 \`Statement.get/all/iterate\`, pg \`Client.query\`), around the store's own proof code; rows are the rows those statements returned.`,
    '',
  );
  if (PARTS.includes('appends')) await appendsSection(lines, targets);
  if (PARTS.includes('sqlite')) await growthSection('sqlite', SQLITE_SIZES, lines, targets);
  if (PARTS.includes('postgres')) await growthSection('postgres', PG_SIZES, lines, targets);
  lines.push(...targets, '');
  lines.push(`- Run took ${fmt((Date.now() - started.getTime()) / 60000)} min; load average at the end ${os.loadavg()[0].toFixed(1)}.`);
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', '## Transparency log', section);
}

if (process.argv.includes('--child')) {
  process.once('message', (task: Task) => {
    runChild(task).then(
      (result) => process.send?.(result, () => process.exit(0)),
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
