/**
 * `aims people`: the person register and role appointments (ISO/IEC 42001 5.3, A.3.2), read through the API.
 *
 *   aims people list [--unit U] [--role R] [--status active|left] [--json]
 *   aims people show <personId> [--json]
 *   aims people competence requirements|records|gaps ... (competence.command.ts)
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read; with appointments enforced, a token whose person is
 * appointed). Exit 0 success, 2 an error (bad arguments, the API unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson } from '../api-get';
import { textTable } from '../text-table';
import { competenceCommand } from './competence.command';

export interface PeopleIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): PeopleIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

/** People asked for per page; every page is followed. */
const PAGE_SIZE = 200;

export const PEOPLE_USAGE = `Usage: aims people list [--unit U] [--role R] [--status active|left] [--as-of POSITION|DATE] [--json]
       aims people show <personId> [--json]
       aims people competence requirements|records|gaps [options]   (aims people competence for its usage)
  The person register and role appointments (ISO/IEC 42001 5.3, A.3.2) from the API: AIMS_URL and AIMS_TOKEN.
  list: one line per person (id, name, unit, status, appointed roles), now or as the evidence stood at
  --as-of (a global position, a date or an ISO 8601 instant); show: one person, each appointment
  with its cover, term and status, and the roles they act with now.`;

interface Appointment {
  appointmentId: string;
  role: string;
  covers: { wholeAims: boolean; systemIds: string[]; units: string[] };
  from: string;
  until: string | null;
  status: string;
  endReason: string | null;
}
export interface PersonRow {
  personId: string;
  name: string;
  unit: string;
  status: string;
  identities: string[];
  appointedRoles?: string[];
  appointments: Appointment[];
  acting?: { roles: string[]; grants: Array<{ role: string; appointmentId: string | null }> };
}

function connection(io: PeopleIo): { baseUrl: string; token: string } {
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  return { baseUrl, token };
}

export async function peopleCommand(argv: string[], io: PeopleIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'competence') return competenceCommand(rest, io);
  if (sub !== 'list' && sub !== 'show')
    throw new UsageError(
      sub === undefined ? `people needs list or show\n\n${PEOPLE_USAGE}` : `unknown people command "${sub}"\n\n${PEOPLE_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      unit: { type: 'string' },
      role: { type: 'string' },
      status: { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  const { baseUrl, token } = connection(io);
  try {
    if (sub === 'show') {
      if (positionals.length !== 1) throw new UsageError(`people show takes one person id\n\n${PEOPLE_USAGE}`);
      const person = (await getJson(`${baseUrl}/v1/people/${encodeURIComponent(positionals[0] ?? '')}`, token)) as PersonRow;
      io.stdout(values.json ? `${JSON.stringify(person)}\n` : formatPerson(person));
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`people list takes no arguments besides options, not "${positionals.join(' ')}"`);
    const items: PersonRow[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (values.unit !== undefined) query.set('unit', values.unit);
      if (values.role !== undefined) query.set('role', values.role);
      if (values.status !== undefined) query.set('status', values.status);
      if (values['as-of'] !== undefined) query.set('asOf', values['as-of']);
      if (cursor !== null) query.set('cursor', cursor);
      const page = (await getJson(`${baseUrl}/v1/people?${query.toString()}`, token)) as { items: PersonRow[]; nextCursor: string | null };
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    io.stdout(values.json ? `${JSON.stringify({ items })}\n` : formatPeople(items));
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

/** One line per person; "No people." when the filters keep none. */
export function formatPeople(items: readonly PersonRow[]): string {
  if (items.length === 0) return 'No people.\n';
  return textTable(
    ['PERSON', 'NAME', 'UNIT', 'STATUS', 'APPOINTED ROLES'],
    items.map((p) => [p.personId, p.name, p.unit, p.status, (p.appointedRoles ?? []).join(', ') || '-']),
  );
}

const coverOf = (a: Appointment): string =>
  a.covers.wholeAims
    ? 'whole AIMS'
    : [...a.covers.systemIds.map((s) => `system ${s}`), ...a.covers.units.map((u) => `unit ${u}`)].join(', ');

/** A person, their identities, each appointment, and the roles they act with now. */
export function formatPerson(p: PersonRow): string {
  const head = `${p.personId}  ${p.name}  (${p.unit}, ${p.status})\n  identities: ${p.identities.join(', ') || '-'}\n`;
  const acting = p.acting ? `  acts now as: ${p.acting.roles.join(', ') || 'no role'}\n` : '';
  if (p.appointments.length === 0) return `${head}${acting}  no appointments\n`;
  return `${head}${acting}${textTable(
    ['APPOINTMENT', 'ROLE', 'COVERS', 'FROM', 'UNTIL', 'STATUS'],
    p.appointments.map((a) => [
      a.appointmentId,
      a.role,
      coverOf(a),
      a.from,
      a.until ?? '-',
      a.endReason ? `${a.status} (${a.endReason})` : a.status,
    ]),
  )}`;
}
