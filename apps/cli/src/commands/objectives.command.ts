/**
 * `aims objectives` and `aims metrics`: AI objectives (6.2) and the AIMS measures (9.1), through the API.
 *
 *   aims objectives list [--status S] [--owner ID] [--measure ID] [--json]
 *   aims objectives show ID [--json]
 *   aims objectives set --file objective.json      (the body of POST /v1/objectives)
 *   aims objectives withdraw ID --reason TEXT
 *   aims objectives measure ID --value N [--note TEXT] [--evidence REF]...
 *   aims metrics [--as-of DATE] [--last N] [--format md|csv|json]
 *
 * Needs AIMS_URL and AIMS_TOKEN. Exit 0 success, 2 an error (bad arguments, the API unreachable or refusing).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Objective } from '../../../../domain/objective/model';
import { ApiCallError, getJson, postJson } from '../api-get';
import { printable } from '../printable';
import { textTable } from '../text-table';
import { UsageError } from '../usage-error';

export interface ObjectivesIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}
const defaultIo = (): ObjectivesIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
});

export const OBJECTIVES_USAGE = `Usage: aims objectives list [--status active|withdrawn] [--owner ID] [--measure ID] [--json]
       aims objectives show ID [--json]
       aims objectives set --file objective.json
       aims objectives withdraw ID --reason TEXT
       aims objectives measure ID --value N [--note TEXT] [--evidence REF]...
  AI objectives (ISO/IEC 42001 6.2) from the API: AIMS_URL and AIMS_TOKEN. set takes the JSON body of
  POST /v1/objectives; measure enters a manual measure's value (its owner or the AIMS owner).`;

export const METRICS_USAGE = `Usage: aims metrics [--as-of DATE] [--last N] [--format md|csv|json]
  Every AIMS measure (9.1) as of a date (default now), computed from the evidence, with its trend over the
  last N recorded measurements (default 5): the figures the management review takes as input.`;

type Figure = {
  measureId: string;
  title: string;
  unit: string;
  value: number | null;
  reason: string | null;
  trend: Array<{ value: number | null }>;
};

function connection(io: ObjectivesIo): { baseUrl: string; token: string } {
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  return { baseUrl, token };
}

const num = (v: number | null): string => (v === null ? '—' : String(v));

export function formatObjectives(items: Objective[]): string {
  if (items.length === 0) return 'No AI objectives.\n';
  return textTable(
    ['ID', 'STATUS', 'MEASURE', 'TARGET', 'LATEST', 'ON TARGET', 'OWNER', 'DUE'],
    items.map((o) => {
      const latest = o.measurements[o.measurements.length - 1];
      const d = o.definition;
      return [
        o.objectiveId,
        o.status,
        d.measureId,
        `${d.direction === 'at_least' ? '>=' : '<='} ${d.target}`,
        latest === undefined ? '—' : num(latest.value),
        latest === undefined ? '—' : latest.onTarget ? 'yes' : 'no',
        d.owner,
        d.dueDate,
      ];
    }),
  );
}

export function formatMetrics(body: { asOf: string; measures: Figure[] }, format: 'md' | 'csv'): string {
  const trend = (f: Figure): string => f.trend.map((p) => num(p.value)).join(' → ');
  if (format === 'csv') {
    const cell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const rows = body.measures.map((f) => [f.measureId, f.title, f.unit, num(f.value), f.reason ?? '', trend(f)].map(cell).join(','));
    return `${['measure', 'title', 'unit', 'value', 'reason', 'trend'].join(',')}\n${rows.join('\n')}\n`;
  }
  const md = (s: string): string => printable(s).replace(/\|/g, '\\|');
  const rows = body.measures.map(
    (f) => `| ${md(f.title)} | ${md(num(f.value))} | ${md(f.unit)} | ${md(f.reason ?? '')} | ${md(trend(f))} |`,
  );
  return `# AIMS measures as of ${body.asOf}\n\n| Measure | Value | Unit | Why no value | Trend |\n|---|---|---|---|---|\n${rows.join('\n')}\n`;
}

export async function objectivesCommand(argv: string[], io: ObjectivesIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (!['list', 'show', 'set', 'withdraw', 'measure'].includes(sub ?? ''))
    throw new UsageError(
      sub === undefined
        ? `objectives needs a command\n\n${OBJECTIVES_USAGE}`
        : `unknown objectives command "${sub}"\n\n${OBJECTIVES_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      json: { type: 'boolean', default: false },
      status: { type: 'string' },
      owner: { type: 'string' },
      measure: { type: 'string' },
      file: { type: 'string' },
      reason: { type: 'string' },
      value: { type: 'string' },
      note: { type: 'string' },
      evidence: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: true,
  });
  const needsId = sub === 'show' || sub === 'withdraw' || sub === 'measure';
  if (needsId && positionals.length !== 1) throw new UsageError(`objectives ${sub} needs one objective id\n\n${OBJECTIVES_USAGE}`);
  if (!needsId && positionals.length > 0) throw new UsageError(`objectives ${sub} takes no positional arguments\n\n${OBJECTIVES_USAGE}`);
  let body: unknown = undefined;
  if (sub === 'set') {
    if (values.file === undefined) throw new UsageError(`objectives set needs --file\n\n${OBJECTIVES_USAGE}`);
    try {
      body = JSON.parse(fs.readFileSync(values.file, 'utf8'));
    } catch (err) {
      throw new UsageError(`cannot read ${values.file} as JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (sub === 'withdraw' && !values.reason) throw new UsageError('objectives withdraw needs --reason');
  const value = values.value === undefined ? Number.NaN : Number(values.value);
  if (sub === 'measure' && (values.value === undefined || values.value.trim() === '' || !Number.isFinite(value)))
    throw new UsageError('objectives measure needs --value, a number');
  const { baseUrl, token } = connection(io);
  const at = (id: string): string => `${baseUrl}/v1/objectives/${encodeURIComponent(id)}`;
  try {
    if (sub === 'list') {
      const q = new URLSearchParams();
      if (values.status) q.set('status', values.status);
      if (values.owner) q.set('owner', values.owner);
      if (values.measure) q.set('measureId', values.measure);
      const items: Objective[] = [];
      // Every page, following nextCursor, so the list is whole.
      for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
        if (cursor !== null) q.set('cursor', cursor);
        const page = (await getJson(`${baseUrl}/v1/objectives?${q.toString()}`, token)) as {
          items: Objective[];
          nextCursor: string | null;
        };
        items.push(...page.items);
        cursor = page.nextCursor;
      }
      io.stdout(values.json ? `${JSON.stringify({ items })}\n` : formatObjectives(items));
    } else if (sub === 'show') {
      const o = (await getJson(at(positionals[0]), token)) as Objective;
      io.stdout(values.json ? `${JSON.stringify(o)}\n` : `${formatObjectives([o])}\n${JSON.stringify(o.measurements, null, 2)}\n`);
    } else {
      const answer =
        sub === 'set'
          ? await postJson(`${baseUrl}/v1/objectives`, token, body)
          : sub === 'withdraw'
            ? await postJson(`${at(positionals[0])}/withdrawal`, token, { reason: values.reason })
            : await postJson(`${at(positionals[0])}/measurements`, token, {
                value,
                ...(values.note === undefined ? {} : { note: values.note }),
                evidenceRefs: values.evidence ?? [],
              });
      io.stdout(`${JSON.stringify(answer)}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

export async function metricsCommand(argv: string[], io: ObjectivesIo = defaultIo()): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'as-of': { type: 'string' }, last: { type: 'string' }, format: { type: 'string', default: 'md' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`metrics takes no positional arguments\n\n${METRICS_USAGE}`);
  const format = values.format;
  if (format !== 'md' && format !== 'csv' && format !== 'json')
    throw new UsageError(`--format must be md, csv or json\n\n${METRICS_USAGE}`);
  const { baseUrl, token } = connection(io);
  const q = new URLSearchParams();
  if (values['as-of'] !== undefined) q.set('asOf', values['as-of']);
  if (values.last !== undefined) q.set('last', values.last);
  try {
    const body = (await getJson(`${baseUrl}/v1/measures?${q.toString()}`, token)) as { asOf: string; measures: Figure[] };
    io.stdout(format === 'json' ? `${JSON.stringify(body)}\n` : formatMetrics(body, format));
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}
