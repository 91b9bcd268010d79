/**
 * `npm run bench:verify`: what the checks over a whole store cost, on both adapters (issue 19: these were
 * spot measurements before). One store per adapter is grown by ordinary appends, a checkpoint of it signed,
 * then in each round, each side in a child process of its own (so its CPU time and peak RSS are its own):
 *   - the baseline: the chain walk verify makes (the same pages through the store's own page query, every
 *     envelope hashed again and linked to the one before), without verify's canonical re-check of each
 *     event's stored text;
 *   - `store.verify()`, which also re-checks that text (verify-chain.ts);
 *   - verify against the signed checkpoint (`verifyEvidence`, as `aims evidence verify` runs it with a key
 *     configured: the note's signature checked, the Merkle root of every event recomputed and compared);
 *   - `store.rebuildTree()` (`aims evidence tree rebuild`), whose root must equal the stored tree's.
 * Rounds rotate which side goes first (rounds.ts); every figure is median (min–max). The baseline's child
 * also times, after its walk, the canonical scan and the envelope's SHA-256 alone, per event.
 *
 * Environment: BENCH_VERIFY_STORE_EVENTS (default 100000), BENCH_VERIFY_ROUNDS (default 4: each side first
 * once), BENCH_VERIFY_ADAPTERS (default "sqlite,postgres"), BENCH_SHARED (bench-report.ts). With --write the
 * section replaces its own in docs/benchmarks.md.
 */
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { isCanonicalObjectText } from '../domain/evidence/canonical-json';
import { EVIDENCE_GENESIS_HASH } from '../domain/evidence/evidence-envelope';
import type { CheckpointConfig } from '../infra/config/config';
import { signCheckpoint, verifyEvidence } from '../infra/event-store/evidence-checkpoints';
import { hashEnvelope } from '../infra/event-store/evidence-hashing';
import { openEventStore } from '../infra/event-store/open-event-store';
import { generateSignerKey, parseSignerKey } from '../infra/event-store/signed-note';
import type { AllPageQuery, StoredRow } from '../infra/event-store/stored-row';
import type { EventStore, VerifyReport } from '../infra/ports/event-store.port';
import { fmt, log, machineDescription, machineLoad, sqliteStoreDurability, writeSection } from './bench-report';
import { benchPayload } from './evidence-payload';
import { formatSpread, rotatingRounds, spread, type Spread } from './rounds';

type Adapter = 'sqlite' | 'postgres';
type Side = 'walk' | 'verify' | 'checkpoint' | 'rebuild';

const PG_ADMIN_URL = process.env.AIMS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const EVENTS = Number(process.env.BENCH_VERIFY_STORE_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 4);
const ADAPTERS = (process.env.BENCH_VERIFY_ADAPTERS ?? 'sqlite,postgres').split(',').map((a) => a.trim());
const ORIGIN = 'bench.example/aims-verify';
const FILL_BATCH = 1000;
const FILL_STREAMS = 64;
/** The page size verify reads with (VERIFY_PAGE_SIZE in infra/event-store/verify-chain.ts). */
const PAGE = 2000;

const SIDES: Record<Side, string> = {
  walk: 'chain walk without the canonical re-check (baseline)',
  verify: '`store.verify()` (with the canonical re-check)',
  checkpoint: 'verify against the signed checkpoint',
  rebuild: '`store.rebuildTree()` (tree rebuild)',
};

// ---------------------------------------------------------------------------------------------------------
// Child processes: one side of one round each

interface SideTask {
  side: Side;
  url: string;
  events: number;
  /** The checkpoint signer (its verifier key is trusted as the deployment's own). */
  signerKey: string;
}

interface SideResult {
  wallMs: number;
  /** User and system CPU of this process over the timed work (a PostgreSQL server's own CPU is not in it). */
  cpuMs: number;
  maxRssMb: number;
  /** Baseline only: the canonical scan and the envelope's SHA-256 alone, µs per event, over the same rows. */
  scanUs?: number;
  hashUs?: number;
}

/** The store's own page query (verify's ChainSource.rowsAfter), which the store keeps protected. */
function pageQuery(store: EventStore): (query: AllPageQuery) => Promise<StoredRow[]> {
  const select = (store as unknown as { selectAllPage?: (query: AllPageQuery) => Promise<StoredRow[]> }).selectAllPage;
  if (typeof select !== 'function') throw new Error('the store has no selectAllPage');
  return select.bind(store);
}

const envelopeHash = (row: StoredRow): string =>
  hashEnvelope({
    id: row.id,
    stream: row.stream,
    type: row.type,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recordedAt,
    dataJson: row.data,
    metadataJson: row.metadata,
    prevHash: row.prevHash,
  });

/** Verify's walk minus the canonical re-check: pages read one ahead, each row's hash recomputed and linked. */
async function chainWalk(select: (query: AllPageQuery) => Promise<StoredRow[]>, toPosition: number): Promise<string> {
  let prevHash = EVIDENCE_GENESIS_HASH;
  let expected = 1;
  let next: Promise<StoredRow[]> | undefined = select({ afterPosition: 0, toPosition, limit: PAGE });
  while (next) {
    const rows: StoredRow[] = await next;
    next = undefined;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1].position;
    if (last < toPosition) next = select({ afterPosition: last, toPosition, limit: PAGE });
    for (const row of rows) {
      if (row.position !== expected || row.prevHash !== prevHash || envelopeHash(row) !== row.hash)
        throw new Error(`the chain walk broke at position ${expected}`);
      prevHash = row.hash;
      expected++;
    }
  }
  if (expected - 1 !== toPosition) throw new Error(`the chain walk saw ${expected - 1} events, expected ${toPosition}`);
  return prevHash;
}

/** The canonical scan and the SHA-256 each timed alone over the same pages (not part of the walk's time). */
async function perEventCosts(
  select: (query: AllPageQuery) => Promise<StoredRow[]>,
  toPosition: number,
): Promise<{ scanUs: number; hashUs: number }> {
  let scanMs = 0;
  let hashMs = 0;
  let events = 0;
  for (let after = 0; after < toPosition;) {
    const rows = await select({ afterPosition: after, toPosition, limit: PAGE });
    if (rows.length === 0) break;
    let started = performance.now();
    for (const row of rows)
      if (!isCanonicalObjectText(row.data) || !isCanonicalObjectText(row.metadata))
        throw new Error(`position ${row.position} is not canonical`);
    scanMs += performance.now() - started;
    started = performance.now();
    for (const row of rows) if (envelopeHash(row) !== row.hash) throw new Error(`position ${row.position} does not hash as recorded`);
    hashMs += performance.now() - started;
    events += rows.length;
    after = rows[rows.length - 1].position;
  }
  return { scanUs: (scanMs * 1000) / events, hashUs: (hashMs * 1000) / events };
}

function checkpointConfig(signerKey: string): CheckpointConfig {
  return { origin: ORIGIN, signerKey: { text: signerKey }, verifierKeys: [], everyEvents: 0, everyMs: 0 };
}

function intact(report: VerifyReport, events: number, trust: 'none' | 'checkpoint'): void {
  if (!report.intact || report.eventsChecked !== events || report.scope.trustSource.kind !== trust)
    throw new Error(
      `verify: ${JSON.stringify({ ...report, scope: report.scope.trustSource })} (expected ${events} events, trust ${trust})`,
    );
}

async function runSide(task: SideTask): Promise<SideResult> {
  const store = await openEventStore(task.url);
  try {
    const select = pageQuery(store);
    const head = await store.head();
    const treeBefore = await store.treeHead();
    if (head?.position !== task.events || treeBefore.size !== task.events)
      throw new Error(`the store holds ${head?.position} events, expected ${task.events}`);
    const cpu = process.cpuUsage();
    const started = performance.now();
    if (task.side === 'walk') {
      if ((await chainWalk(select, task.events)) !== head.hash) throw new Error('the chain walk ended on another hash than the head');
    } else if (task.side === 'verify') {
      intact(await store.verify(), task.events, 'none');
    } else if (task.side === 'checkpoint') {
      const report = await verifyEvidence(store, checkpointConfig(task.signerKey), {});
      intact(report, task.events, 'checkpoint');
      if (report.scope.trustSource.kind === 'checkpoint' && report.scope.trustSource.size !== task.events)
        throw new Error(`verified against a checkpoint of ${report.scope.trustSource.size} events, expected ${task.events}`);
    } else {
      const rebuilt = await store.rebuildTree();
      if (rebuilt.size !== task.events || !rebuilt.rootHash.equals(treeBefore.rootHash))
        throw new Error('the rebuilt tree differs from the stored one');
    }
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const result: SideResult = { wallMs, cpuMs: (used.user + used.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 };
    return task.side === 'walk' ? { ...result, ...(await perEventCosts(select, task.events)) } : result;
  } finally {
    await store.close();
  }
}

function child(task: SideTask): Promise<SideResult> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: SideResult | undefined;
    proc.on('message', (m) => (result = m as SideResult));
    proc.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${task.side} child exited ${code}`))));
    proc.send(task);
  });
}

// ---------------------------------------------------------------------------------------------------------
// The store: grown by ordinary appends, a checkpoint signed at its size

interface Store {
  url: string;
  durability: string;
  drop(): Promise<void>;
}

async function createStore(adapter: Adapter): Promise<Store> {
  if (adapter === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-bench-verify-'));
    const url = `sqlite:${path.join(dir, 'evidence.db')}`;
    const s = await openEventStore(url);
    const durability = `SQLite ${sqliteStoreDurability(s)} (read on the store's own connection)`;
    await s.close();
    return { url, durability, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const database = `aims_bench_verify_${process.pid}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  const values: string[] = [];
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
    for (const name of ['server_version', 'fsync', 'synchronous_commit']) {
      const r = await admin.query<Record<string, string>>(`SHOW ${name}`);
      values.push(`${name}=${r.rows[0][name]}`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    durability: `PostgreSQL ${values.join(', ')} (read from the server)`,
    drop: async () => {
      const a = new Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** EVENTS events, FILL_BATCH an append over FILL_STREAMS streams; then a checkpoint signed at that size. */
async function growAndSign(url: string, signerKey: string): Promise<number> {
  const store = await openEventStore(url);
  try {
    const started = performance.now();
    for (let i = 0; i < EVENTS; i += FILL_BATCH) {
      const n = Math.min(FILL_BATCH, EVENTS - i);
      await store.append(
        `bench-fill-${(i / FILL_BATCH) % FILL_STREAMS}`,
        Array.from({ length: n }, (_, k) => benchPayload(0, i + k)),
      );
    }
    const rate = EVENTS / ((performance.now() - started) / 1000);
    const checkpoint = await signCheckpoint(store, ORIGIN, parseSignerKey(signerKey));
    if (checkpoint.treeSize !== EVENTS) throw new Error(`checkpoint of ${checkpoint.treeSize} events, expected ${EVENTS}`);
    return rate;
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The report

const two = (n: number): string => n.toFixed(2);
const one = (n: number): string => n.toFixed(1);

interface AdapterRuns {
  name: string;
  durability: string;
  fillRate: number;
  runs: Record<Side, SideResult[]>;
}

/** "×1.23 (1.10–1.40)" or, when the rounds fall on both sides of 1, says so: the difference is within the noise. */
function times(r: Spread): string {
  return `×${two(r.median)} (${two(r.min)}–${two(r.max)}${r.min <= 1 && r.max >= 1 ? ', rounds on both sides of 1' : ''})`;
}

function adapterSection(a: AdapterRuns): { lines: string[]; findings: string[] } {
  const of = (side: Side, figure: (r: SideResult) => number): Spread => spread(a.runs[side].map(figure));
  const perRound = (top: Side, bottom: Side, figure: (r: SideResult) => number = (r) => r.wallMs): Spread =>
    spread(a.runs[top].map((r, i) => figure(r) / figure(a.runs[bottom][i])));
  const cpu = (r: SideResult): number => r.cpuMs;
  const lines = [`### ${a.name}`, ''];
  lines.push(`- Durability in force: ${a.durability}`);
  lines.push(
    `- Store grown in this run by \`store.append\` of ${fmt(FILL_BATCH)} events (${fmt(a.fillRate)} events/s), then a checkpoint signed at ${fmt(EVENTS)}.`,
    '',
  );
  lines.push(
    `| over ${fmt(EVENTS)} events (${ROUNDS} rounds; median (min–max)) | wall, ms | µs per event (wall) | CPU of the process, ms | ÷ chain walk, per round: wall | ÷ chain walk, per round: CPU | peak RSS of the process, MB |`,
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const side of Object.keys(SIDES) as Side[]) {
    const cells = [
      SIDES[side],
      formatSpread(
        of(side, (r) => r.wallMs),
        fmt,
      ),
      formatSpread(
        of(side, (r) => (r.wallMs * 1000) / EVENTS),
        one,
      ),
      formatSpread(of(side, cpu), fmt),
      side === 'walk' ? '1' : formatSpread(perRound(side, 'walk'), two),
      side === 'walk' ? '1' : formatSpread(perRound(side, 'walk', cpu), two),
      formatSpread(
        of(side, (r) => r.maxRssMb),
        fmt,
      ),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const scan = of('walk', (r) => r.scanUs ?? NaN);
  const hash = of('walk', (r) => r.hashUs ?? NaN);
  lines.push('');
  lines.push(
    `- Per event, timed alone over the same rows in the baseline's process: the canonical scan of the stored data and metadata ${formatSpread(scan, two)} µs, the envelope's SHA-256 (its canonical text and the hash) ${formatSpread(hash, two)} µs.`,
  );
  if (a.name === 'PostgreSQL')
    lines.push(
      "- CPU is the Node process's own: the server's work (reading the rows; for the rebuild, all of it: `evidence_tree_rebuild()` runs in PL/pgSQL) is not in it.",
    );
  lines.push('');
  const findings = [
    `- ${a.name}, ${fmt(EVENTS)} events: verify with its canonical re-check took ${times(perRound('verify', 'walk'))} the time of the chain walk without it, and ${times(perRound('verify', 'walk', cpu))} its CPU (${fmt(of('verify', cpu).median)} against ${fmt(of('walk', cpu).median)} ms); timed alone, the scan took ${two(scan.median)} µs an event and the envelope's SHA-256 ${two(hash.median)} µs. Verifying against the signed checkpoint took ${times(perRound('checkpoint', 'verify'))} a plain verify (${fmt(of('checkpoint', (r) => r.wallMs).median)} against ${fmt(of('verify', (r) => r.wallMs).median)} ms), the tree rebuild ${times(perRound('rebuild', 'verify'))} (${fmt(of('rebuild', (r) => r.wallMs).median)} ms). Peak RSS of the process: verify ${fmt(of('verify', (r) => r.maxRssMb).median)} MB, the walk ${fmt(of('walk', (r) => r.maxRssMb).median)} MB, the checkpoint verify ${fmt(of('checkpoint', (r) => r.maxRssMb).median)} MB (medians).`,
  ];
  return { lines, findings };
}

async function main(): Promise<void> {
  if (!(EVENTS >= 1) || !(ROUNDS >= 3)) throw new Error('BENCH_VERIFY_STORE_EVENTS must be ≥ 1 and BENCH_VERIFY_ROUNDS ≥ 3');
  const started = new Date();
  const settings = Object.keys(process.env)
    .filter((k) => k.startsWith('BENCH_VERIFY_'))
    .sort()
    .map((k) => `${k}=${process.env[k] as string} `)
    .join('');
  const lines = ['## Whole-store checks: verify, checkpoint, tree rebuild (`npm run bench:verify`)', ''];
  lines.push(`- Date: ${started.toISOString()}`);
  // Filled in at the end: machineLoad() reads the load average when it is called and says "at the end of the run".
  const machineLine = lines.length;
  const loadAtStart = os.loadavg()[0].toFixed(1);
  lines.push('');
  lines.push(`- Command: \`${settings}npm run bench:verify\``);
  lines.push(
    `- Each side of each round runs in a child process of its own on the same store (opening the store not timed); rounds rotate which side goes first. The baseline is verify's own chain walk (the same page query and page size, every envelope hashed again and linked) without its canonical re-check of the stored text. Checked every time: every event verified and the walk's last hash equal to the head's, the checkpoint verify reporting the signed checkpoint as its trust source at the store's size, the rebuilt root equal to the stored tree's.`,
    '',
  );
  const findings: string[] = ['### What the figures say', ''];
  const key = generateSignerKey('bench-verify');
  for (const adapter of ['sqlite', 'postgres'] as const) {
    if (!ADAPTERS.includes(adapter)) continue;
    const name = adapter === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const store = await createStore(adapter);
    try {
      log(`${name}: growing the store to ${fmt(EVENTS)} events…`);
      const fillRate = await growAndSign(store.url, key.signerKey);
      // rotatingRounds keeps one number a side; each side's full result is kept here, in round order.
      const runs: Record<Side, SideResult[]> = { walk: [], verify: [], checkpoint: [], rebuild: [] };
      const side =
        (which: Side) =>
        async (_: unknown, round: number): Promise<number> => {
          log(`${name}, round ${round}: ${which}…`);
          const r = await child({ side: which, url: store.url, events: EVENTS, signerKey: key.signerKey });
          runs[which].push(r);
          return r.wallMs;
        };
      await rotatingRounds<unknown, Side>(ROUNDS, async () => ({ drop: async () => undefined }), {
        walk: side('walk'),
        verify: side('verify'),
        checkpoint: side('checkpoint'),
        rebuild: side('rebuild'),
      });
      const section = adapterSection({ name, durability: store.durability, fillRate, runs });
      lines.push(...section.lines);
      findings.push(...section.findings);
    } finally {
      await store.drop();
    }
  }
  lines.push(...findings);
  // The spot measurements this bench replaced also compared appends with the tree and without it: bench:tree does.
  lines.push(
    '- Appends with the Merkle tree maintained against without it: `npm run bench:tree`, part (a) (the Transparency log section).',
    '',
  );
  lines.push(`- Run took ${one((Date.now() - started.getTime()) / 60000)} min.`);
  lines[machineLine] = `- Machine: ${machineDescription()}; load average at start ${loadAtStart}, ${machineLoad()}`;
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', '## Whole-store checks', section);
}

if (process.argv.includes('--child')) {
  process.once('message', (task: SideTask) => {
    runSide(task).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  });
} else if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
