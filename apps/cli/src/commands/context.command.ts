/**
 * `aims context`: the context of the organisation (ISO/IEC 42001 4.1, 4.2), read through the API.
 *
 *   aims context list [--register issues|interested-parties|obligations] [--as-of WHEN] [--all] [--due-for-review] [--json]
 *   aims context changes --since POSITION|DATE [--json]
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success, 2 an error.
 */
import { parseArgs } from 'node:util';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson } from '../api-get';

export interface ContextIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): ContextIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

const REGISTERS = ['issues', 'interested-parties', 'obligations'] as const;

export const CONTEXT_USAGE = `Usage: aims context list [--register issues|interested-parties|obligations] [--as-of WHEN] [--all] [--due-for-review] [--json]
       aims context changes --since POSITION|DATE [--json]
  The context of the organisation (ISO/IEC 42001 4.1, 4.2) from the API: AIMS_URL and AIMS_TOKEN. list: each
  register (all three by default), every entry with its version, owner and review date (--all: retired too;
  --due-for-review: only the entries whose review date has come or whose review task is open).
  changes: what changed since an evidence position or a date, for the management review.`;

export interface ContextEntryRow {
  entryId: string;
  register: string;
  version: number;
  content: Record<string, unknown>;
  owner: string;
  reviewBy: string;
  status: string;
  reviewOverdue: boolean;
  /** Absent from an API before the review timers. */
  dueForReview?: boolean;
  reviewTaskId?: string | null;
}

type RegisterList = { register: string; at: string; items: ContextEntryRow[] };

export async function contextCommand(argv: string[], io: ContextIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'changes')
    throw new UsageError(
      sub === undefined ? `context needs list or changes\n\n${CONTEXT_USAGE}` : `unknown context command "${sub}"\n\n${CONTEXT_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      register: { type: 'string' },
      'as-of': { type: 'string' },
      since: { type: 'string' },
      all: { type: 'boolean', default: false },
      'due-for-review': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`context ${sub} takes no arguments besides options, not "${positionals.join(' ')}"`);
  if (values.register !== undefined && !(REGISTERS as readonly string[]).includes(values.register))
    throw new UsageError(`--register must be one of ${REGISTERS.join(', ')}`);
  if (sub === 'changes' && values['due-for-review']) throw new UsageError('--due-for-review filters context list, not context changes');
  if (sub === 'changes' && values.since === undefined) throw new UsageError('context changes needs --since POSITION|DATE');
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  try {
    if (sub === 'changes') {
      const body = (await getJson(`${baseUrl}/v1/context/changes?since=${encodeURIComponent(values.since ?? '')}`, token)) as {
        changes: Array<{ entryId: string; register: string | null; change: string; version: number; at: string; by: string; why: string }>;
      };
      io.stdout(
        values.json
          ? `${JSON.stringify(body)}\n`
          : body.changes.length === 0
            ? 'no change to the context registers\n'
            : `${body.changes.map((c) => `${c.at} ${c.change} ${printable(c.entryId)} v${c.version} (${c.register ?? '?'}) by ${printable(c.by)}: ${printable(c.why)}`).join('\n')}\n`,
      );
      return 0;
    }
    const query = new URLSearchParams();
    if (values['as-of'] !== undefined) query.set('asOf', values['as-of']);
    if (values.all) query.set('includeRetired', 'true');
    if (values['due-for-review']) query.set('dueForReview', 'true');
    const qs = query.size === 0 ? '' : `?${query.toString()}`;
    const registers = values.register === undefined ? REGISTERS : [values.register];
    const lists: RegisterList[] = [];
    for (const r of registers) lists.push((await getJson(`${baseUrl}/v1/context/${r}${qs}`, token)) as RegisterList);
    io.stdout(values.json ? `${JSON.stringify(lists)}\n` : lists.map(formatRegister).join('\n'));
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

const TITLES: Record<string, string> = {
  issue: 'Issues (4.1)',
  interested_party: 'Interested parties (4.2)',
  obligation: 'Obligations (4.2)',
};

function summary(e: ContextEntryRow): string {
  const c = e.content;
  const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : '');
  if (e.register === 'issue') return `[${String(c.origin)}] ${String(c.title)}${list(c.aiRoles) ? ` (AI roles: ${list(c.aiRoles)})` : ''}`;
  if (e.register === 'interested_party') return `${String(c.name)}: ${list(c.requirements)}`;
  return `[${String(c.source)}] ${String(c.title)} (${list(c.references)})`;
}

/** OVERDUE once the date has passed; DUE FOR REVIEW from the notice period on; with its task when one is open. */
function dueMark(e: ContextEntryRow): string {
  const task = typeof e.reviewTaskId === 'string' ? `, task ${printable(e.reviewTaskId)}` : '';
  if (e.reviewOverdue) return ` (OVERDUE${task})`;
  return e.dueForReview === true ? ` (DUE FOR REVIEW${task})` : '';
}

export function formatRegister(r: RegisterList): string {
  const head = `# ${TITLES[r.register] ?? r.register}\n`;
  if (r.items.length === 0) return `${head}(none)\n`;
  return `${head}${r.items
    .map(
      (e) =>
        `- ${printable(e.entryId)} v${e.version} ${printable(summary(e))}; owner ${printable(e.owner)}, review by ${e.reviewBy}${dueMark(e)}${e.status === 'retired' ? ' [retired]' : ''}`,
    )
    .join('\n')}\n`;
}
