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
import * as os from 'node:os';
import { openEventStore } from '../infra/event-store/open-event-store';
import { fmt, log, machineDescription, machineLoad, writeSection } from './bench-report';
import { alternatingRounds, formatSpread, Spread, spread } from './rounds';
import { growthSection } from './tree-bench-growth';
import {
  APPEND_ADAPTERS,
  APPEND_EVENTS,
  child,
  createStore,
  durabilitySettings,
  instrumentDrivers,
  PARTS,
  PG_SIZES,
  ROUNDS,
  SQLITE_SIZES,
  Store,
} from './tree-bench-support';

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
  // Filled in at the end: machineLoad() reads the load average when it is called and says "at the end of the run".
  const machineLine = lines.length;
  const loadAtStart = os.loadavg()[0].toFixed(1);
  lines.push('');
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
  lines[machineLine] = `- Machine: ${machineDescription()}; load average at start ${loadAtStart}, ${machineLoad()}`;
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);
  if (process.argv.includes('--write')) writeSection('docs/benchmarks.md', '## Transparency log', section);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
