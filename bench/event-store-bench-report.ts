/**
 * The scenarios of `npm run bench:event-store` (event-store.bench.ts) and the sentences of its report: the
 * targets and the comparison with Emmett, each derived from the run's figures.
 */
import { fmt } from './bench-report';
import type { Spread } from './rounds';
import type { Adapter, Placement } from './event-store-bench-support';

export const SCENARIOS: Array<{ writers: number; batch: number; placement: Placement }> = [
  { writers: 1, batch: 1, placement: 'processes' },
  { writers: 1, batch: 10, placement: 'processes' },
  { writers: 8, batch: 1, placement: 'processes' },
  { writers: 8, batch: 10, placement: 'processes' },
  { writers: 8, batch: 1, placement: 'one process' },
  { writers: 8, batch: 10, placement: 'one process' },
];

export interface AppendRow {
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

export const adapterName = (a: Adapter): string => (a === 'sqlite' ? 'SQLite' : 'PostgreSQL');

export function scenarioName(r: Pick<AppendRow, 'writers' | 'batch' | 'placement'>): string {
  const who =
    r.writers === 1 ? '1 writer' : r.placement === 'processes' ? `${r.writers} writer processes` : `${r.writers} writers in one process`;
  return `${who}, ${r.batch}-event batches`;
}

export const two = (n: number): string => n.toFixed(2);
export const withSpread = (s: Spread): string => `${two(s.median)} (${two(s.min)}–${two(s.max)})`;

/** The issue's targets (issue 3) and the comparison with the peer, each sentence from this run's figures. */
export function targetsSummary(
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
