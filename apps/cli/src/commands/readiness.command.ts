/**
 * `aims readiness`: is the organisation ready for a certification audit? Asks the API (GET /v1/readiness)
 * and prints every check met and every gap, each with where, what and the clause, then a summary line.
 *
 *   aims readiness [--stage 1|2] [--as-of DATE] [--since DATE] [--json | --format md|html [--out FILE]]
 *
 * With --format, the same check as a report an auditor reads (GET /v1/readiness/report), read as of the
 * instant the check itself was judged at, so the report and the exit code say the same thing.
 * Needs AIMS_URL and AIMS_TOKEN (auditor, internal_auditor, aims_owner or top_management). Exit 0 ready,
 * 1 not ready (every gap named), 2 an error (bad arguments, the API unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import { printable } from '../printable';
import { textTable } from '../text-table';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson, getText } from '../api-get';
import { writeReport } from '../report-output';

export interface ReadinessIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): ReadinessIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

export const READINESS_USAGE = `Usage: aims readiness [--stage 1|2] [--as-of DATE] [--since DATE] [--json | --format md|html [--out FILE]]
  What a certification auditor will ask for (ISO/IEC 42001), checked against the evidence as of DATE (default
  now), from the API: AIMS_URL and AIMS_TOKEN. Stage 1 (default): scope, AI policy, risk criteria and results,
  SoA, objectives, competence, audit programme, a management review. Stage 2 adds the records over the
  operating period (from --since, or the first deployment). --format md|html: the report (Markdown, or one
  self-contained HTML file) instead of the table, to stdout or --out FILE. Exit 0 ready, 1 with every gap
  named, 2 an error.`;

export interface ReadinessCheckBody {
  id: string;
  clause: string;
  title: string;
  status: 'met' | 'gap';
  where: string;
  what: string;
  evidence: string[];
}

export interface ReadinessBody {
  stage: 1 | 2;
  asOf: string;
  operatingPeriodFrom: string | null;
  ready: boolean;
  met: number;
  gaps: number;
  checks: ReadinessCheckBody[];
  basis: { position: number; recordedAt?: string; hash?: string; asOf?: string };
}

export async function readinessCommand(argv: string[], io: ReadinessIo = defaultIo()): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string', default: '1' },
      'as-of': { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`readiness takes no arguments besides options, not "${positionals.join(' ')}"`);
  if (values.stage !== '1' && values.stage !== '2') throw new UsageError('--stage must be 1 or 2');
  const format = values.format;
  if (format !== undefined && format !== 'md' && format !== 'html') throw new UsageError(`--format must be md or html, not "${format}"`);
  if (format !== undefined && values.json) throw new UsageError('--json and --format are two answers: choose one');
  if (values.out !== undefined && format === undefined) throw new UsageError('--out writes a report: give --format md or html');
  if (values.out === '') throw new UsageError('--out needs a file name');
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  const query = new URLSearchParams({ stage: values.stage });
  if (values['as-of'] !== undefined) query.set('asOf', values['as-of']);
  if (values.since !== undefined) query.set('since', values.since);
  let body: ReadinessBody;
  try {
    body = (await getJson(`${baseUrl}/v1/readiness?${query.toString()}`, token)) as ReadinessBody;
    if (format !== undefined) {
      query.set('asOf', body.asOf);
      query.set('format', format);
      const text = await getText(
        `${baseUrl}/v1/readiness/report?${query.toString()}`,
        token,
        format === 'html' ? 'text/html' : 'text/markdown',
      );
      writeReport(text, values.out, io, `readiness report (Stage ${values.stage})`);
      return body.ready ? 0 : 1;
    }
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
  io.stdout(values.json ? `${JSON.stringify(body)}\n` : formatReadiness(body));
  return body.ready ? 0 : 1;
}

/** Every line as a table (gaps first, so a reader sees what to do), then one summary line. */
export function formatReadiness(body: ReadinessBody): string {
  const ordered = [...body.checks.filter((c) => c.status === 'gap'), ...body.checks.filter((c) => c.status === 'met')];
  const table = textTable(
    ['STATUS', 'CLAUSE', 'CHECK', 'WHERE', 'WHAT'],
    ordered.map((c) => [c.status === 'gap' ? 'GAP' : 'met', c.clause, c.id, c.where, c.what]),
  );
  const period = body.stage === 2 ? `; operating period from ${body.operatingPeriodFrom ?? '(none found)'}` : '';
  const summary = body.ready
    ? `Ready for Stage ${body.stage} as of ${body.asOf}: all ${body.met} checks met${period} (evidence up to position ${body.basis.position}).`
    : `Not ready for Stage ${body.stage} as of ${body.asOf}: ${body.gaps} gap${body.gaps === 1 ? '' : 's'}, ${body.met} met${period} (evidence up to position ${body.basis.position}).`;
  return `${table}\n${printable(summary)}\n`;
}
