/**
 * `aims people competence`: competence (ISO/IEC 42001 7.2) read through the API, now or as of an instant.
 *
 *   aims people competence requirements [--role R] [--as-of T] [--json]
 *   aims people competence records [--person P] [--competence C] [--as-of T] [--json]
 *   aims people competence gaps [--person P] [--role R] [--competence C] [--as-of T] [--json]
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success, 2 an error (bad arguments, the API
 * unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import { ApiCallError, getJson } from '../api-get';
import { printable } from '../printable';
import { textTable } from '../text-table';
import { UsageError } from '../usage-error';

export interface CompetenceIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const PAGE_SIZE = 200;

export const COMPETENCE_USAGE = `Usage: aims people competence requirements [--role R] [--as-of T] [--json]
       aims people competence records [--person P] [--competence C] [--as-of T] [--json]
       aims people competence gaps [--person P] [--role R] [--competence C] [--as-of T] [--json]
  Competence (ISO/IEC 42001 7.2) from the API: what each role requires (and whether it is enforced), each
  person's records (approved by someone other than them), and the gaps between the roles people are appointed
  to and what those roles require; --as-of a date or time reads the evidence as it stood then.`;

type Row = Record<string, unknown>;
const SUBCOMMANDS = ['requirements', 'records', 'gaps'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

const text = (v: unknown): string =>
  typeof v === 'string' ? v || '-' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v == null ? '-' : JSON.stringify(v);

function format(sub: Sub, items: readonly Row[]): string {
  if (items.length === 0) return { requirements: 'No requirements.\n', records: 'No records.\n', gaps: 'No gaps.\n' }[sub];
  if (sub === 'requirements')
    return textTable(
      ['ROLE', 'COMPETENCE', 'WITHIN MONTHS', 'ENFORCED'],
      items.map((r) => [
        text(r.role),
        text(r.competence),
        r.withinMonths === null ? 'any age' : text(r.withinMonths),
        r.enforced ? 'yes' : 'no',
      ]),
    );
  if (sub === 'records')
    return textTable(
      ['PERSON', 'RECORD', 'COMPETENCE', 'KIND', 'OBTAINED', 'EXPIRES', 'CURRENT', 'APPROVED BY'],
      items.map((r) => [
        text(r.personId),
        text(r.recordId),
        text(r.competence),
        text(r.kind),
        text(r.obtainedAt),
        text(r.expiresAt),
        r.current ? 'yes' : 'no',
        text((r.approvedBy as { id?: string } | null)?.id),
      ]),
    );
  return textTable(
    ['PERSON', 'ROLE', 'COMPETENCE', 'WHY', 'RECORD', 'ENFORCED'],
    items.map((r) => [
      text(r.personId),
      text(r.role),
      text(r.competence),
      text(r.reason).replace(/_/g, ' '),
      text(r.recordId),
      r.enforced ? 'yes' : 'no',
    ]),
  );
}

export async function competenceCommand(argv: string[], io: CompetenceIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!(SUBCOMMANDS as readonly string[]).includes(sub ?? ''))
    throw new UsageError(
      sub === undefined
        ? `people competence needs ${SUBCOMMANDS.join(', ')}\n\n${COMPETENCE_USAGE}`
        : `unknown people competence command "${sub}"\n\n${COMPETENCE_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      person: { type: 'string' },
      role: { type: 'string' },
      competence: { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`people competence ${sub} takes no arguments besides options, not "${positionals.join(' ')}"`);
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  const which = sub as Sub;
  if (which === 'requirements' && (values.person !== undefined || values.competence !== undefined))
    throw new UsageError('people competence requirements takes --role and --as-of only');
  if (which === 'records' && values.role !== undefined) throw new UsageError('people competence records takes no --role (use gaps)');
  try {
    const items: Row[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (values.person !== undefined) query.set('person', values.person);
      if (values.role !== undefined) query.set('role', values.role);
      if (values.competence !== undefined) query.set('competence', values.competence);
      if (values['as-of'] !== undefined) query.set('asOf', values['as-of']);
      if (cursor !== null) query.set('cursor', cursor);
      const page = (await getJson(`${baseUrl}/v1/competence/${which}?${query.toString()}`, token)) as {
        items: Row[];
        nextCursor: string | null;
      };
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    io.stdout(values.json ? `${JSON.stringify({ items })}\n` : format(which, items));
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}
