/**
 * `aims risks`: the risk register, read through the API.
 *
 *   aims risks list [--system S] [--owner O] [--level L] [--above-appetite] [--overdue] [--due-for-reassessment] [--json]
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success, 2 an error (bad arguments, the API
 * unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson } from '../api-get';

export interface RisksIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Risks asked for per page (PAGE_SIZE unless a test shows the paging with fewer). */
  pageSize?: number;
}

const defaultIo = (): RisksIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

/** Risks asked for per page. */
const PAGE_SIZE = 200;

export const RISKS_USAGE = `Usage: aims risks list [--system S] [--owner O] [--level L] [--above-appetite] [--overdue]
                       [--due-for-reassessment] [--json]
  The risk register (ISO/IEC 42001 6.1.2, 8.2) from the API: AIMS_URL and AIMS_TOKEN. One line per risk:
  its id, system, owner, status, level now (residual once recorded) and whether it is above appetite.
  --overdue: a treatment action is past due; --due-for-reassessment: its reassessment is due.`;

export interface RiskRow {
  riskId: string;
  systemId: string | null;
  owner: string;
  status: string;
  level: string | null;
  aboveAppetite: boolean;
  description: string;
}

export async function risksCommand(argv: string[], io: RisksIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list')
    throw new UsageError(sub === undefined ? `risks needs list\n\n${RISKS_USAGE}` : `unknown risks command "${sub}"\n\n${RISKS_USAGE}`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      system: { type: 'string' },
      owner: { type: 'string' },
      level: { type: 'string' },
      'above-appetite': { type: 'boolean', default: false },
      overdue: { type: 'boolean', default: false },
      'due-for-reassessment': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`risks list takes no arguments besides options, not "${positionals.join(' ')}"`);
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  const query = new URLSearchParams({ limit: String(io.pageSize ?? PAGE_SIZE) });
  if (values.system !== undefined) query.set('system', values.system);
  if (values.owner !== undefined) query.set('owner', values.owner);
  if (values.level !== undefined) query.set('level', values.level);
  if (values['above-appetite']) query.set('aboveAppetite', 'true');
  if (values.overdue) query.set('overdue', 'true');
  if (values['due-for-reassessment']) query.set('dueForReassessment', 'true');
  try {
    // Every page, so the whole register the filters keep is listed, not only its first page.
    const items: RiskRow[] = [];
    let cursor: string | null = null;
    do {
      if (cursor !== null) query.set('cursor', cursor);
      const page = (await getJson(`${baseUrl}/v1/risks?${query.toString()}`, token)) as { items: RiskRow[]; nextCursor?: string | null };
      items.push(...page.items);
      cursor = page.nextCursor ?? null;
    } while (cursor !== null);
    io.stdout(values.json ? `${JSON.stringify({ items, nextCursor: null })}\n` : formatRisks(items));
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

/** One line per risk, columns padded; "No risks." when the filters keep none. */
export function formatRisks(items: readonly RiskRow[]): string {
  if (items.length === 0) return 'No risks.\n';
  const header = ['RISK', 'SYSTEM', 'OWNER', 'STATUS', 'LEVEL', 'ABOVE APPETITE'];
  const rows = items.map((r) => [r.riskId, r.systemId ?? '-', r.owner, r.status, r.level ?? '-', r.aboveAppetite ? 'yes' : 'no']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => printable(row[i]).length)));
  return `${[header, ...rows]
    .map((row) =>
      row
        .map((c, i) => printable(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
