/**
 * `aims nc`: nonconformities and corrective action (clause 10.2), read through the API.
 *
 *   aims nc list [--status S] [--severity S] [--system ID] [--overdue] [--json]
 *   aims nc show ID [--json]
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success, 2 an error (bad arguments, the API
 * unreachable or refusing, an unknown nonconformity).
 */
import { parseArgs } from 'node:util';
import { nonconformityStreamName } from '../../../../domain/nonconformity/identity';
import { NONCONFORMITY_SEVERITIES, NONCONFORMITY_STATUSES } from '../../../../domain/nonconformity/nonconformity';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson } from '../api-get';

export interface NcIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): NcIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
});

export const NC_USAGE = `Usage: aims nc list [--status S] [--severity S] [--system ID] [--overdue] [--json]
       aims nc show ID [--json]
  Nonconformities (ISO/IEC 42001 10.2) from the API: AIMS_URL (e.g. http://127.0.0.1:3000) and AIMS_TOKEN.
  --status ${NONCONFORMITY_STATUSES.join('|')}
  --severity ${NONCONFORMITY_SEVERITIES.join('|')}
  --overdue  only those with a corrective action past due now. Exit 0 success, 2 error.`;

/** Pages requested per listing call; the listing follows nextCursor to the end. */
const PAGE_SIZE = 200;

interface Row {
  nonconformityId: string;
  title: string;
  status: string;
  severity: string;
  source: string;
  aiSystemIds: string[];
  raisedAt: string;
  raisedBy: { id: string; role: string };
  closedAt: string | null;
  reopenCount: number;
  round: number;
  awaiting: Array<{ step: string; [key: string]: unknown }>;
  openActions: Array<{ actionId: string; owner: string; dueDate: string; description: string }>;
  overdue: boolean;
}

interface Detail extends Row {
  description: string;
  sourceReference: string | null;
  annexAControlIds: string[];
  clauseIds: string[];
  history: {
    revision: number;
    items: Array<{
      revision: number;
      type: string;
      recordedAt: string;
      position: number;
      metadata: { actor?: { id: string; role: string } };
    }>;
    nextCursor: string | null;
  };
}

/** A failed call, reported on stderr with exit 2. */

export async function ncCommand(argv: string[], io: NcIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'show')
    throw new UsageError(sub === undefined ? `nc needs list or show\n\n${NC_USAGE}` : `unknown nc command "${sub}"\n\n${NC_USAGE}`);
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  try {
    return sub === 'list' ? await list(rest, baseUrl, token, io) : await show(rest, baseUrl, token, io);
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

async function list(argv: string[], baseUrl: string, token: string, io: NcIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      status: { type: 'string' },
      severity: { type: 'string' },
      system: { type: 'string' },
      overdue: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`nc list takes no arguments besides options, not "${positionals.join(' ')}"`);
  if (values.status !== undefined && !(NONCONFORMITY_STATUSES as readonly string[]).includes(values.status)) {
    throw new UsageError(`--status must be one of ${NONCONFORMITY_STATUSES.join(', ')}`);
  }
  if (values.severity !== undefined && !(NONCONFORMITY_SEVERITIES as readonly string[]).includes(values.severity)) {
    throw new UsageError(`--severity must be one of ${NONCONFORMITY_SEVERITIES.join(', ')}`);
  }
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (values.status) query.set('status', values.status);
  if (values.severity) query.set('severity', values.severity);
  if (values.system) query.set('system', values.system);
  if (values.overdue) query.set('overdue', 'true');

  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    if (cursor !== null) query.set('cursor', cursor);
    const page = (await getJson(`${baseUrl}/v1/nonconformities?${query.toString()}`, token)) as { items: Row[]; nextCursor: string | null };
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);

  if (values.json) {
    io.stdout(`${JSON.stringify(rows)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout('no nonconformities match\n');
    return 0;
  }
  const table = [
    ['ID', 'STATUS', 'SEVERITY', 'RAISED', 'AI SYSTEMS', 'AWAITING', 'TITLE'],
    ...rows.map((r) => [
      r.nonconformityId,
      r.status,
      r.severity,
      r.raisedAt.slice(0, 10),
      r.aiSystemIds.join(',') || '-',
      `${r.awaiting.map((a) => a.step).join(',') || '-'}${r.overdue ? ' (OVERDUE)' : ''}`,
      r.title,
    ]),
  ];
  io.stdout(formatTable(table));
  io.stdout(`${rows.length} nonconformit${rows.length === 1 ? 'y' : 'ies'}\n`);
  return 0;
}

async function show(argv: string[], baseUrl: string, token: string, io: NcIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`nc show takes one nonconformity id\n\n${NC_USAGE}`);
  const id = positionals[0];
  const detail = (await getJson(`${baseUrl}/v1/nonconformities/${encodeURIComponent(id)}?limit=500`, token)) as Detail;
  if (values.json) {
    io.stdout(`${JSON.stringify(detail)}\n`);
    return 0;
  }
  const lines = [
    `${detail.nonconformityId}: ${detail.title}`,
    `  status        ${detail.status}${detail.closedAt ? ` (closed ${detail.closedAt})` : ''}, round ${detail.round}, reopened ${detail.reopenCount}×`,
    `  severity      ${detail.severity}`,
    `  source        ${detail.source}${detail.sourceReference ? ` (${detail.sourceReference})` : ''}`,
    `  raised        ${detail.raisedAt} by ${detail.raisedBy.id} as ${detail.raisedBy.role}`,
    `  AI systems    ${detail.aiSystemIds.join(', ') || '-'}`,
    `  controls      ${detail.annexAControlIds.join(', ') || '-'}`,
    `  clauses       ${detail.clauseIds.join(', ') || '-'}`,
    `  awaiting      ${detail.awaiting.map((a) => a.step).join(', ') || 'nothing'}${detail.overdue ? ' — a corrective action is OVERDUE' : ''}`,
    ...detail.openActions.map((a) => `  open action   ${a.actionId} (owner ${a.owner}, due ${a.dueDate}): ${a.description}`),
    `  description   ${detail.description}`,
    `  evidence      stream ${nonconformityStreamName(detail.nonconformityId)}, revision ${detail.history.revision}`,
    ...detail.history.items.map(
      (e) =>
        `    #${e.revision} ${e.recordedAt} ${e.type}${e.metadata.actor ? ` — ${e.metadata.actor.id} (${e.metadata.actor.role})` : ''} @${e.position}`,
    ),
    ...(detail.history.nextCursor ? ['    … (more: GET the history with its cursor)'] : []),
  ];
  // Each line is one line: a newline or escape sequence in server text is shown, never obeyed.
  io.stdout(`${lines.map(printable).join('\n')}\n`);
  return 0;
}

function formatTable(unsafe: string[][]): string {
  const rows = unsafe.map((r) => r.map(printable));
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  // The last column (the title) is not padded.
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}
