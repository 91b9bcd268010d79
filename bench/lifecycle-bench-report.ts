/**
 * What `npm run bench:lifecycle` (lifecycle.bench.ts) measured, and the section it writes: tables of the
 * rounds and every sentence of narrative derived from them.
 */
import { TEMPORAL_CLI_VERSION } from '../infra/temporal/temporal-cli';
import { fmt, machineDescription, machineLoad } from './bench-report';
import { POLICY_MS, ROUNDS, SIZES, updateRpcRetryCount, WARMUP } from './lifecycle-bench-drive';
import type { WorkerMemory } from './lifecycle-bench-worker';
import { formatSpread, percentile, spread, type Spread } from './rounds';

export interface ActivityShape {
  /** Activity calls a lifecycle makes up to the production hold, and after it. */
  beforeHold: number;
  afterHold: number;
}

export interface RunResult {
  n: number;
  seconds: number;
  activityCalls: number;
  idle: WorkerMemory;
  open: WorkerMemory;
  last: WorkerMemory;
}

export interface LifecycleRunResult extends RunResult {
  shape: ActivityShape;
  updates: number;
  latenciesMs: number[];
  evidenceEvents: number;
  evidencePerLifecycle: number;
  chainIntact: boolean;
  /** journal_mode and synchronous on the worker's store connection. */
  durability: string;
}

/** `values` in any order. */
function percentileOf(values: number[], p: number): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    p,
  );
}

export interface SizeRuns {
  n: number;
  lifecycles: LifecycleRunResult[];
  baselines: RunResult[];
}

const two = (v: number): string => v.toFixed(2);
const one = (v: number): string => v.toFixed(1);
const mb = (m: number): string => m.toFixed(0);
const across = <T>(runs: T[], figure: (r: T) => number): Spread => spread(runs.map(figure));
const wps = (r: RunResult): number => r.n / r.seconds;

export function report(startedAt: Date, sizes: SizeRuns[], maxCached: number): string {
  const first = sizes[0].lifecycles[0];
  const perLifecycleCalls = first.shape.beforeHold + first.shape.afterHold;
  const durabilities = [...new Set(sizes.flatMap((s) => s.lifecycles.map((l) => l.durability)))];
  const lines: string[] = [];
  lines.push('## AI system lifecycle (`npm run bench:lifecycle`)');
  lines.push('');
  lines.push(`- Date: ${startedAt.toISOString()}`);
  lines.push(`- Machine: ${machineDescription()}; ${machineLoad()}`);
  lines.push(`- Command: \`BENCH_LIFECYCLES=${SIZES.join(',')} BENCH_ROUNDS=${ROUNDS} npm run bench:lifecycle\``);
  lines.push(
    `- Setup: one Temporal dev server (CLI ${TEMPORAL_CLI_VERSION}, \`server start-dev\`, in-memory) for the run; for each measurement a fresh worker in a child process (prebuilt workflow bundle, the production activities, SDK default cache of ${fmt(maxCached)} workflows) on a task queue of its own; the lifecycles' evidence in a fresh SQLite store per round in a temp dir, durability read back from the worker's own store connection: ${durabilities.join('; ')}; the driver is the parent process, all N workflows in flight at once; ${WARMUP} warm-up workflows of each kind first, not counted.`,
  );
  lines.push(
    `- ${ROUNDS} rounds at each N; odd rounds run the lifecycles first, even rounds the baseline first. Figures are median (min–max) over the rounds; each ratio is taken within a round, then its median and min–max given.`,
  );
  lines.push(
    `- Each lifecycle: ${first.updates / first.n} Workflow Updates (every gate decided by a person with the right role, none by policy: risk tier high), ${perLifecycleCalls} activity calls (${first.shape.beforeHold} before the production hold, ${first.shape.afterHold} after), ${first.evidencePerLifecycle} evidence events. After every lifecycle round: every answered event found in the store, the same count for every system, ${fmt(first.evidenceEvents)} events for ${first.n} systems at N=${first.n}, chain verified intact (else the run fails). Policy durations ${fmt(POLICY_MS / 60_000)} min (days in production): no reminder, escalation or review fired (checked).`,
  );
  lines.push(
    `- Baseline, same run, same worker build: \`bareActivityLoop\` (bench/workflows/) making the same ${perLifecycleCalls} no-op activity calls with the evidence recorder's activity options, held open after ${first.shape.beforeHold} as the lifecycles are held in production.`,
  );
  lines.push(
    `- Time excludes the hold (garbage collection and weighing). Ratio = lifecycle workflows/s ÷ baseline workflows/s in the same round; overhead = its inverse. Update calls re-sent after the client's RPC deadline (same update id): ${updateRpcRetryCount()}.`,
  );
  lines.push('');
  lines.push(
    '| N | workflow | wall time (s) | workflows/s | activity calls/s | evidence events/s | updates/s | update p50 / p95 (ms) | ratio to baseline (workflows/s) | overhead |',
  );
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { n, lifecycles: ls, baselines: bs } of sizes) {
    const ratios = across(
      ls.map((l, i) => [l, bs[i]] as const),
      ([l, b]) => wps(l) / wps(b),
    );
    const overheads = across(
      ls.map((l, i) => [l, bs[i]] as const),
      ([l, b]) => wps(b) / wps(l),
    );
    lines.push(
      `| ${n} | bare activity loop (baseline) | ${formatSpread(
        across(bs, (b) => b.seconds),
        one,
      )} | ${formatSpread(across(bs, wps), two)} | ${formatSpread(
        across(bs, (b) => b.activityCalls / b.seconds),
        fmt,
      )} | — | — | — | — | — |`,
    );
    lines.push(
      `| ${n} | AI system lifecycle | ${formatSpread(
        across(ls, (l) => l.seconds),
        one,
      )} | ${formatSpread(across(ls, wps), two)} | ${formatSpread(
        across(ls, (l) => l.activityCalls / l.seconds),
        fmt,
      )} | ${formatSpread(
        across(ls, (l) => l.evidenceEvents / l.seconds),
        fmt,
      )} | ${formatSpread(
        across(ls, (l) => l.updates / l.seconds),
        fmt,
      )} | ${fmt(across(ls, (l) => percentileOf(l.latenciesMs, 50)).median)} / ${fmt(across(ls, (l) => percentileOf(l.latenciesMs, 95)).median)} | ${formatSpread(ratios, two)} | ${formatSpread(overheads, two)}× |`,
    );
  }
  lines.push('');
  lines.push(
    "Worker memory (the worker child alone), with all N workflows open at the hold, after a full GC of its main isolate; the workflow thread's heap is in RSS only. Median (min–max) over the rounds:",
  );
  lines.push('');
  lines.push(
    '| N | workflow | cached workflows | RSS idle (MiB) | RSS, N open (MiB) | heapUsed, N open (MiB) | peak RSS, maxRSS (MiB) | (RSS open − idle) ÷ N (KiB) |',
  );
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const { n, lifecycles, baselines } of sizes) {
    for (const [name, rs] of [
      ['bare activity loop (baseline)', baselines],
      ['AI system lifecycle', lifecycles],
    ] as const) {
      lines.push(
        `| ${n} | ${name} | ${fmt(across(rs, (r) => r.open.cachedWorkflows).median)} | ${formatSpread(
          across(rs, (r) => r.idle.rssMiB),
          mb,
        )} | ${formatSpread(
          across(rs, (r) => r.open.rssMiB),
          mb,
        )} | ${formatSpread(
          across(rs, (r) => r.open.heapUsedMiB),
          mb,
        )} | ${formatSpread(
          across(rs, (r) => r.open.maxRssMiB),
          mb,
        )} | ${formatSpread(
          across(rs, (r) => ((r.open.rssMiB - r.idle.rssMiB) * 1024) / r.n),
          fmt,
        )} |`,
      );
    }
  }
  lines.push('');
  lines.push(...narrative(sizes, maxCached));
  lines.push('');
  return lines.join('\n');
}

/** Every sentence from the figures above: which side was faster, by how much and how steadily, and how memory grew. */
function narrative(sizes: SizeRuns[], maxCached: number): string[] {
  const out: string[] = [];
  for (const { n, lifecycles: ls, baselines: bs } of sizes) {
    const ratios = ls.map((l, i) => wps(l) / wps(bs[i]));
    const r = spread(ratios);
    const below = ratios.filter((x) => x < 1).length;
    out.push(
      `- N=${n}: the lifecycles ran at ${two(r.median)}× the baseline's workflows/s (median; ${two(r.min)}–${two(r.max)} over ${ratios.length} rounds); ${below === ratios.length ? 'slower than the baseline in every round' : below === 0 ? 'not slower than the baseline in any round' : `slower in ${below} of ${ratios.length} rounds, so at this N the spread is as large as the difference`}.`,
    );
  }
  if (sizes.length >= 2) {
    const lo = sizes[0];
    const hi = sizes[sizes.length - 1];
    const rssOpen = (rs: RunResult[]): number => spread(rs.map((r) => r.open.rssMiB)).median;
    const heap = (rs: RunResult[]): number => spread(rs.map((r) => r.open.heapUsedMiB)).median;
    const growth = (a: RunResult[], b: RunResult[]): number => ((rssOpen(b) - rssOpen(a)) * 1024) / (hi.n - lo.n);
    const lGrowth = growth(lo.lifecycles, hi.lifecycles);
    const bGrowth = growth(lo.baselines, hi.baselines);
    const heapLo = Math.min(heap(lo.lifecycles), heap(hi.lifecycles));
    const heapHi = Math.max(heap(lo.lifecycles), heap(hi.lifecycles));
    out.push(
      `- From N=${lo.n} to N=${hi.n} open (medians), the worker's RSS after GC grows by ${fmt(lGrowth)} KiB per extra open lifecycle and by ${fmt(bGrowth)} KiB per extra open bare workflow${bGrowth > 0 ? ` (ratio ${two(lGrowth / bGrowth)})` : ''}, while the lifecycle worker's main heap is ${mb(heapLo)}–${mb(heapHi)} MiB at the two sizes.`,
    );
    // The mechanism is said only when the figures fit it: RSS grows with N while the main heap does not.
    if (lGrowth > 0 && (heapHi - heapLo) * 1024 < lGrowth * (hi.n - lo.n) * 0.5)
      out.push(
        `- So what grows with N is outside the main heap: the SDK's sticky cache in the workflow thread keeps every open workflow's state, lifecycle or bare alike, until it holds \`maxCachedWorkflows\` (${fmt(maxCached)} by default here), then evicts and replays a workflow's history on its next update. The difference between the two growths is the lifecycle's own state per system.`,
      );
  }
  return out;
}
