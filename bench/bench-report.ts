/**
 * What every `npm run bench:*` shares: the machine line of a report and the one way a benchmark writes its
 * section of docs/benchmarks.md (replacing its own section, keeping everyone else's).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const ratio = (a: number, b: number): string => (a / b).toFixed(2);
export const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

/** Cores, memory, OS and Node: the figures mean little without them. */
export function machineDescription(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/**
 * What else ran: the 1-minute load average when the report is written (this bench's own processes count
 * too), and BENCH_SHARED, a note by whoever ran it (e.g. "shared with other developers' builds and tests").
 */
export function machineLoad(): string {
  const note = process.env.BENCH_SHARED ? `; ${process.env.BENCH_SHARED}` : '';
  return `load average ${os.loadavg()[0].toFixed(1)} (1 min) on ${os.cpus().length} cores at the end of the run${note}`;
}

/**
 * Replaces the section that starts with `heading` in `file` (relative to the repository root), keeping the
 * other benchmarks' sections; appends it when the file has none yet.
 */
export function writeSection(file: string, heading: string, section: string): void {
  // Compiled to dist/bench/, run from there: the repository root is two levels up.
  const target = path.resolve(__dirname, '..', '..', file);
  const existing = fs.existsSync(target)
    ? fs.readFileSync(target, 'utf8')
    : '# Benchmarks\n\nFigures from `npm run bench:*`; each run measures its own baseline on the same machine.\n';
  const start = existing.indexOf(`\n${heading}`);
  let next = start >= 0 ? existing.indexOf('\n## ', start + 1) : -1;
  if (next < 0) next = existing.length;
  const updated = start >= 0 ? `${existing.slice(0, start)}\n${section}\n${existing.slice(next)}` : `${existing.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(target, updated);
  log(`wrote ${target}`);
}

/**
 * The durability settings in force on a SQLite evidence store's own connection (journal_mode, synchronous),
 * read back rather than assumed. The store keeps its connection private; the bench reaches it by name.
 */
export function sqliteStoreDurability(store: object): string {
  const db = (store as { db?: { pragma(source: string, options: { simple: true }): unknown } }).db;
  if (db === undefined || typeof db.pragma !== 'function') return 'not a SQLite store';
  const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  return `journal_mode=${String(db.pragma('journal_mode', { simple: true }))}, synchronous=${names[synchronous] ?? String(synchronous)}`;
}
