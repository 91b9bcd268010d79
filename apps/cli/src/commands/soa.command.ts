/**
 * `aims soa`: the Statement of Applicability, read through the API.
 *
 *   aims soa show [--as-of DATE] [--format md|csv|json]   the SoA in force, each control's status and its
 *                                                        crosswalk to EU AI Act articles and NIST AI RMF
 *   aims soa gaps [--as-of DATE] [--json]                 applicable controls that do not operate, and why
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success, 1 (gaps only) when there are gaps or
 * no SoA is in force, 2 an error (bad arguments, the API unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson } from '../api-get';

export interface SoaIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): SoaIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

export const SOA_USAGE = `Usage: aims soa show [--as-of DATE] [--format md|csv|json]
       aims soa gaps [--as-of DATE] [--json]
  The Statement of Applicability (ISO/IEC 42001 6.1.3, Annex A) from the API: AIMS_URL and AIMS_TOKEN.
  show: every control, applicable or not and why, its owner, implementation, status from the evidence, its
  crosswalk (EU AI Act, NIST AI RMF) and what is missing (the records that break it). gaps: exit 1 when an
  applicable control does not operate, or no SoA is in force.`;

export interface SoaControlRow {
  controlId: string;
  title: string;
  applicable: boolean;
  justification: { text: string; riskIds: string[]; obligations: string[]; scope: string | null };
  owner: string | null;
  implementation: string | null;
  method: string;
  status: string;
  missing: string[];
  euAiAct: string[];
  nistAiRmf: string[];
}

export interface SoaViewBody {
  revisionId: string | null;
  version: number;
  approvedAt: string | null;
  approvedBy: string | null;
  at: string;
  controls: SoaControlRow[];
  summary: Record<string, number>;
}

const FORMATS = ['md', 'csv', 'json'] as const;

export async function soaCommand(argv: string[], io: SoaIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'show' && sub !== 'gaps')
    throw new UsageError(sub === undefined ? `soa needs show or gaps\n\n${SOA_USAGE}` : `unknown soa command "${sub}"\n\n${SOA_USAGE}`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { 'as-of': { type: 'string' }, format: { type: 'string', default: 'md' }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`soa ${sub} takes no arguments besides options, not "${positionals.join(' ')}"`);
  const format = values.json ? 'json' : (values.format ?? 'md');
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  const query = values['as-of'] === undefined ? '' : `?asOf=${encodeURIComponent(values['as-of'])}`;
  try {
    if (sub === 'show') {
      const view = (await getJson(`${baseUrl}/v1/soa${query}`, token)) as SoaViewBody;
      io.stdout(formatSoa(view, format as (typeof FORMATS)[number]));
      return 0;
    }
    const gaps = (await getJson(`${baseUrl}/v1/soa/gaps${query}`, token)) as {
      revisionId: string | null;
      at: string;
      gaps: SoaControlRow[];
    };
    io.stdout(format === 'json' ? `${JSON.stringify(gaps)}\n` : formatGaps(gaps.gaps, gaps.revisionId, gaps.at));
    // No SoA in force is a gap too (6.1.3 requires one): a check in a pipeline must not read it as clean.
    return gaps.revisionId !== null && gaps.gaps.length === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

const justification = (c: SoaControlRow): string =>
  [
    c.justification.text,
    ...(c.justification.riskIds.length ? [`risks ${c.justification.riskIds.join(', ')}`] : []),
    ...c.justification.obligations,
    ...(c.justification.scope ? [`scope: ${c.justification.scope}`] : []),
  ].join('; ');

const cell = (text: string): string => printable(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const csvCell = (text: string): string => `"${printable(text).replace(/"/g, '""')}"`;

/** The SoA as an auditor reads it: markdown table, CSV (one line per control) or the API's JSON. */
export function formatSoa(view: SoaViewBody, format: 'md' | 'csv' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(view)}\n`;
  // What is missing names the systems and records that break a control, so the export shows them too.
  const header = [
    'Control',
    'Title',
    'Applicable',
    'Justification',
    'Owner',
    'Implementation',
    'Status',
    'EU AI Act',
    'NIST AI RMF',
    'Missing',
  ];
  const rows = view.controls.map((c) => [
    c.controlId,
    c.title,
    c.applicable ? 'yes' : 'no',
    justification(c),
    c.owner ?? '',
    c.implementation ?? '',
    c.status,
    c.euAiAct.join(', '),
    c.nistAiRmf.join(', '),
    c.missing.join('; '),
  ]);
  if (format === 'csv') return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
  const title =
    view.revisionId === null
      ? `# Statement of Applicability\n\nNo revision was in force at ${view.at}.\n`
      : `# Statement of Applicability\n\nRevision ${view.revisionId} (version ${view.version}), approved ${view.approvedAt ?? ''} by ${view.approvedBy ?? ''}; statuses at ${view.at}.\n`;
  if (rows.length === 0) return title;
  const table = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return `${title}\n${table.join('\n')}\n`;
}

export function formatGaps(gaps: SoaControlRow[], revisionId: string | null, at: string): string {
  if (revisionId === null) return `no Statement of Applicability in force at ${at}\n`;
  if (gaps.length === 0) return `every applicable control of ${revisionId} operates at ${at}\n`;
  return `${gaps.map((g) => `${g.controlId} ${printable(g.title)} [${g.status}]\n${g.missing.map((m) => `  - ${printable(m)}`).join('\n')}`).join('\n')}\n`;
}
