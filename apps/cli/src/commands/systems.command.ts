/**
 * `aims systems resources <systemId> [--json]`: the tooling, compute and human resources an AI system
 * depends on, with their owners (ISO/IEC 42001 7.1, A.4.2, A.4.4–A.4.6), as its evidence last recorded
 * them, read through the API (GET /v1/ai-systems/{id}/resources).
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success, 2 an error (bad arguments, the API
 * unreachable or refusing, no such system).
 */
import { parseArgs } from 'node:util';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson } from '../api-get';
import { textTable } from '../text-table';

export interface SystemsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): SystemsIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

export const SYSTEMS_USAGE = `Usage: aims systems resources <systemId> [--json]
  The tooling, compute and human resources an AI system depends on, with owners (ISO/IEC 42001 7.1,
  A.4.2, A.4.4-A.4.6), as last recorded, from the API: AIMS_URL and AIMS_TOKEN.`;

export interface SystemResources {
  systemId: string;
  resources: Array<{ resourceId: string; kind: string; name: string; description: string; owner: string }>;
  reason: string | null;
  recordedBy: { id?: string; role?: string } | null;
  recordedAt: string | null;
}

export async function systemsCommand(argv: string[], io: SystemsIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'resources')
    throw new UsageError(
      sub === undefined ? `systems needs resources\n\n${SYSTEMS_USAGE}` : `unknown systems command "${sub}"\n\n${SYSTEMS_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`systems resources takes one AI system id\n\n${SYSTEMS_USAGE}`);
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  try {
    const answer = (await getJson(
      `${baseUrl}/v1/ai-systems/${encodeURIComponent(positionals[0] ?? '')}/resources`,
      token,
    )) as SystemResources;
    io.stdout(values.json ? `${JSON.stringify(answer)}\n` : formatResources(answer));
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

/** One line per resource, after who recorded the list, when and why. */
export function formatResources(r: SystemResources): string {
  if (r.recordedAt === null) return `${r.systemId}: no resources recorded\n`;
  const head = `${r.systemId}: ${r.resources.length} resource(s), recorded ${r.recordedAt} by ${r.recordedBy?.id ?? '?'} (${r.reason ?? ''})\n`;
  if (r.resources.length === 0) return head;
  return `${head}${textTable(
    ['RESOURCE', 'KIND', 'NAME', 'OWNER', 'DESCRIPTION'],
    r.resources.map((x) => [x.resourceId, x.kind, x.name, x.owner, x.description || '-']),
  )}`;
}
