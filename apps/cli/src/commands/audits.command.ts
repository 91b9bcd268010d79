/**
 * `aims audits`: internal audits (ISO/IEC 42001 9.2), read through the API.
 *
 *   aims audits list [--status S] [--programme P] [--lead ID] [--json]
 *   aims audits show ID [--json]
 *   aims audits report ID [--format md|html] [--as-of POSITION|DATE] [--out FILE]
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success, 2 an error (bad arguments, the API
 * unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import type { InternalAudit } from '../../../../domain/internal-audit/model';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson, getText } from '../api-get';
import { writeReport } from '../report-output';

export interface AuditsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): AuditsIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

export const AUDITS_USAGE = `Usage: aims audits list [--status S] [--programme P] [--lead ID] [--json] | aims audits show ID [--json]
       aims audits report ID [--format md|html] [--as-of POSITION|DATE] [--out FILE]
  Internal audits (ISO/IEC 42001 9.2.1) from the API: AIMS_URL and AIMS_TOKEN. list: one line per audit
  (id, status, lead auditor, planned dates, findings, open corrective actions), every page, narrowed by
  status (planned, fieldwork, follow_up, closed), programme or lead auditor; show: one audit in full;
  report: the audit report an auditor reads, as Markdown (default) or one self-contained HTML file, as of
  a position or date (default: now), each statement with the evidence ids it rests on (docs/reports.md).`;

/** Every page of the list the filters keep, following nextCursor. */
async function allAudits(baseUrl: string, token: string, filters: Record<string, string | undefined>): Promise<InternalAudit[]> {
  const items: InternalAudit[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '200' });
    for (const [name, value] of Object.entries(filters)) if (value !== undefined) query.set(name, value);
    if (cursor !== null) query.set('cursor', cursor);
    const page = (await getJson(`${baseUrl}/v1/internal-audits?${query.toString()}`, token)) as {
      items: InternalAudit[];
      nextCursor: string | null;
    };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

export async function auditsCommand(argv: string[], io: AuditsIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'report') return reportCommand(rest, io);
  if (sub !== 'list' && sub !== 'show')
    throw new UsageError(
      sub === undefined ? `audits needs list, show or report\n\n${AUDITS_USAGE}` : `unknown audits command "${sub}"\n\n${AUDITS_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      json: { type: 'boolean', default: false },
      status: { type: 'string' },
      programme: { type: 'string' },
      lead: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (sub === 'list' && positionals.length > 0) throw new UsageError(`audits list takes only options\n\n${AUDITS_USAGE}`);
  if (sub === 'show' && (values.status ?? values.programme ?? values.lead) !== undefined)
    throw new UsageError(`audits show takes only --json\n\n${AUDITS_USAGE}`);
  if (sub === 'show' && positionals.length !== 1) throw new UsageError(`audits show needs one audit id\n\n${AUDITS_USAGE}`);
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  try {
    if (sub === 'list') {
      const items = await allAudits(baseUrl, token, { status: values.status, programme: values.programme, leadAuditor: values.lead });
      io.stdout(values.json ? `${JSON.stringify({ items })}\n` : formatAudits(items));
    } else {
      const audit = (await getJson(`${baseUrl}/v1/internal-audits/${encodeURIComponent(positionals[0])}`, token)) as InternalAudit;
      io.stdout(values.json ? `${JSON.stringify(audit)}\n` : formatAudit(audit));
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

function apiOf(io: AuditsIo): { baseUrl: string; token: string } {
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  return { baseUrl, token };
}

/** `aims audits report`: the report as the API renders it, to stdout or (whole, or not at all) to a file. */
async function reportCommand(args: string[], io: AuditsIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string', default: 'md' }, 'as-of': { type: 'string' }, out: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`audits report needs one audit id\n\n${AUDITS_USAGE}`);
  if (values.format !== 'md' && values.format !== 'html') throw new UsageError(`--format must be md or html, not "${values.format}"`);
  if (values.out === '') throw new UsageError('--out needs a file name');
  const { baseUrl, token } = apiOf(io);
  const query = new URLSearchParams({ format: values.format });
  if (values['as-of'] !== undefined) query.set('asOf', values['as-of']);
  const url = `${baseUrl}/v1/internal-audits/${encodeURIComponent(positionals[0])}/report?${query.toString()}`;
  try {
    const text = await getText(url, token, values.format === 'html' ? 'text/html' : 'text/markdown');
    writeReport(text, values.out, io, `report of internal audit ${printable(positionals[0])}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

const openActions = (a: InternalAudit): number =>
  a.findings.filter((f) => f.nonconformityId !== null && f.correctiveAction !== 'closed' && f.correctiveAction !== 'plan_approved').length;

/** One line per audit, columns padded; "No internal audits." when there are none. */
export function formatAudits(items: readonly InternalAudit[]): string {
  if (items.length === 0) return 'No internal audits.\n';
  const header = ['AUDIT', 'STATUS', 'LEAD', 'PLANNED', 'FINDINGS', 'OPEN CORRECTIVE ACTIONS'];
  const rows = items.map((a) => [
    a.auditId,
    a.status,
    a.plan.leadAuditor,
    `${a.plan.plannedStart.slice(0, 10)}..${a.plan.plannedEnd.slice(0, 10)}`,
    String(a.findings.length),
    String(openActions(a)),
  ]);
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

/** One audit: plan, samples (with their positions), checklist, findings, report. */
export function formatAudit(a: InternalAudit): string {
  const lines = [
    `Internal audit ${a.auditId}: ${a.plan.title} (${a.status})`,
    `  Scope      ${a.plan.scope.map((s) => `${s.kind}:${s.id}`).join(', ')}`,
    `  Lead       ${a.plan.leadAuditor}${a.plan.team.length > 0 ? `, team ${a.plan.team.join(', ')}` : ''}`,
    `  Planned    ${a.plan.plannedStart} .. ${a.plan.plannedEnd}`,
    ...a.plan.criteria.map(
      (c) =>
        `  Criterion  ${c.criterionId}: ${c.text} -> ${a.checklist.find((r) => r.criterionId === c.criterionId)?.result ?? 'not yet audited'}`,
    ),
    ...a.samples.map((s) => `  Sample     ${s.sampleId} as of position ${s.asOfPosition}: ${s.records.length} record(s)`),
    ...a.findings.map(
      (f) =>
        `  Finding    ${f.findingId} ${f.type}: ${f.statement}${f.nonconformityId === null ? '' : ` [nonconformity ${f.nonconformityId}: ${f.correctiveAction ?? 'opened'}]`}`,
    ),
    ...(a.report === null ? [] : [`  Report     ${a.report.summary} Conclusion: ${a.report.conclusion}`]),
  ];
  return `${lines.map((l) => printable(l)).join('\n')}\n`;
}
