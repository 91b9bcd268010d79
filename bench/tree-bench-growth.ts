/**
 * `npm run bench:tree` parts (b)–(d) (tree.bench.ts says what each measures): one store grown by batch
 * appends, with inclusion proofs, the tree rebuild and packs of one system's history measured at its sizes.
 */
import { hash as oneShotHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalize } from '../domain/evidence/canonical-json';
import { verifyInclusion } from '../domain/evidence/merkle';
import { openEventStore } from '../infra/event-store/open-event-store';
import { evidenceLeafHash, RFC6962_SHA256 } from '../infra/event-store/rfc6962-hasher';
import { generateSignerKey } from '../infra/event-store/signed-note';
import { fmt, log, ratio } from './bench-report';
import { alternatingRounds, formatSpread, Spread, spread } from './rounds';
import {
  Adapter,
  child,
  cli,
  counted,
  createStore,
  FILL_BATCH,
  msOf,
  ORIGIN,
  PACK_BASE,
  payload,
  PROOFS,
  ROUNDS,
  SYSTEM_EVENTS,
  SYSTEM_ID,
  SYSTEM_STREAM,
  VERIFY_MAX,
} from './tree-bench-support';

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
export async function growthSection(adapter: Adapter, sizes: number[], lines: string[], targets: string[]): Promise<void> {
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
