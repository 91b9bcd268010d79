/**
 * `aims scope`: the scope of the AI management system (ISO/IEC 42001 4.3), read through the API.
 *
 *   aims scope show [--as-of WHEN] [--json]    the statement in force, its versions and the decision per AI system
 *   aims scope check [--as-of WHEN] [--json]   the inventory reconciled against the scope
 *
 * Needs AIMS_URL and AIMS_TOKEN (any role may read). Exit 0 success (check: reconciled), 1 (check only) when
 * there are gaps, each named, 2 an error (bad arguments, the API unreachable or refusing).
 */
import { parseArgs } from 'node:util';
import { printable } from '../printable';
import { UsageError } from '../usage-error';
import { ApiCallError, getJson } from '../api-get';

export interface ScopeIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): ScopeIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

export const SCOPE_USAGE = `Usage: aims scope show [--as-of WHEN] [--json]
       aims scope check [--as-of WHEN] [--json]
  The AIMS scope (ISO/IEC 42001 4.3) from the API: AIMS_URL and AIMS_TOKEN. show: the statement in force
  (units, locations, lifecycle stages, systems in and out, third-party AI services, exclusions), its
  versions and the decision per AI system. check: exit 1 when a system or service has no decision, a
  decision contradicts the statement, or the statement names a system that is not registered.`;

type Basis = { kind: 'statement'; version: number } | { kind: 'person'; id: string; role: string };

/** The controlled document the statement in force rests on (absent from an API before statements named one). */
export interface ScopeDocumentBody {
  documentId: string;
  version: number;
  title: string;
  markdownDigest: string | null;
  publishedAt: string;
  versionInForce: number | null;
  current: boolean;
}

export interface ScopeViewBody {
  version: number;
  inForce: {
    version: number;
    proposalId: string;
    approvedAt: string;
    approvedBy: { id: string; role: string };
    statement: {
      organisationalUnits: string[];
      locations: string[];
      lifecycleStages: string[];
      systemsIn: string[];
      systemsOut: Array<{ systemId: string; justification: string }>;
      thirdPartyServices: Array<{ serviceId: string; provider: string; description: string; inScope: boolean; justification: string }>;
      exclusions: Array<{ subject: string; justification: string }>;
    };
  } | null;
  versions: Array<{ version: number; approvedAt: string; approvedBy: { id: string }; replacedAt: string | null }>;
  decisions: Array<{ systemId: string; inScope: boolean; justification: string; basis: Basis; decidedAt: string }>;
  document?: ScopeDocumentBody | null;
}

export interface ScopeCheckBody {
  version: number | null;
  reconciled: boolean;
  at: string;
  inventory: Array<{ id: string; kind: string; name: string; decision: { inScope: boolean; justification: string; basis: Basis } | null }>;
  withoutDecision: string[];
  contradictions: Array<{ systemId: string; decided: boolean; statementSays: boolean; version: number }>;
  namedNotRegistered: string[];
  document?: ScopeDocumentBody | null;
}

export async function scopeCommand(argv: string[], io: ScopeIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'show' && sub !== 'check')
    throw new UsageError(
      sub === undefined ? `scope needs show or check\n\n${SCOPE_USAGE}` : `unknown scope command "${sub}"\n\n${SCOPE_USAGE}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    options: { 'as-of': { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`scope ${sub} takes no arguments besides options, not "${positionals.join(' ')}"`);
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name me --role auditor`)');
  const query = values['as-of'] === undefined ? '' : `?asOf=${encodeURIComponent(values['as-of'])}`;
  try {
    if (sub === 'show') {
      const view = (await getJson(`${baseUrl}/v1/scope${query}`, token)) as ScopeViewBody;
      io.stdout(values.json ? `${JSON.stringify(view)}\n` : formatScope(view));
      return 0;
    }
    const check = (await getJson(`${baseUrl}/v1/scope/check${query}`, token)) as ScopeCheckBody;
    io.stdout(values.json ? `${JSON.stringify(check)}\n` : formatCheck(check));
    return check.reconciled ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    io.stderr(`aims: ${printable(error.message)}\n`);
    return 2;
  }
}

const p = (t: string): string => printable(t);
const basisOf = (b: Basis): string => (b.kind === 'statement' ? `statement v${b.version}` : `${p(b.id)} (${b.role})`);

/** "Rests on document aims-scope v2 "Title" (sha256:…), published …", and whether the document has moved on. */
export function documentLine(d: ScopeDocumentBody | null | undefined): string {
  if (d === null || d === undefined) return 'Rests on no controlled document (the proposal named none).';
  const digest = d.markdownDigest === null ? '' : ` (${d.markdownDigest.slice(0, 19)}…)`;
  const standing = d.current
    ? 'still the version in force'
    : d.versionInForce === null
      ? 'the document has no version in force now'
      : `SUPERSEDED: the document is at v${d.versionInForce}; the statement should follow (6.3)`;
  return `Rests on document ${p(d.documentId)} v${d.version} "${p(d.title)}"${digest}, published ${d.publishedAt}: ${standing}.`;
}

/** The statement in force as Markdown, then its versions and the decision per system. */
export function formatScope(view: ScopeViewBody): string {
  const f = view.inForce;
  if (f === null) return '# AIMS scope\n\nNo scope statement has been approved.\n';
  const s = f.statement;
  const list = (items: string[]): string => (items.length === 0 ? '- (none)' : items.map((i) => `- ${p(i)}`).join('\n'));
  return [
    '# AIMS scope',
    '',
    `Version ${f.version} (${f.proposalId}), approved ${f.approvedAt} by ${p(f.approvedBy.id)}.`,
    documentLine(view.document),
    '',
    `## Organisational units\n${list(s.organisationalUnits)}`,
    `## Locations\n${list(s.locations)}`,
    `## Lifecycle stages\n${list(s.lifecycleStages)}`,
    `## AI systems in scope\n${list(s.systemsIn)}`,
    `## AI systems out of scope\n${list(s.systemsOut.map((x) => `${x.systemId}: ${x.justification}`))}`,
    `## Third-party AI services\n${list(s.thirdPartyServices.map((x) => `${x.serviceId} (${x.provider}, ${x.inScope ? 'in' : 'out'}): ${x.description}; ${x.justification}`))}`,
    `## Exclusions\n${list(s.exclusions.map((x) => `${x.subject}: ${x.justification}`))}`,
    `## Versions\n${list(view.versions.map((v) => `v${v.version} approved ${v.approvedAt} by ${v.approvedBy.id}${v.replacedAt === null ? ' (in force)' : `, replaced ${v.replacedAt}`}`))}`,
    `## Decisions per AI system\n${list(view.decisions.map((d) => `${d.systemId}: ${d.inScope ? 'in' : 'OUT'} (${basisOf(d.basis)}, ${d.decidedAt}): ${d.justification}`))}`,
    '',
  ].join('\n');
}

/** The reconciliation: every gap named, one line each; or that the inventory is reconciled. */
export function formatCheck(c: ScopeCheckBody): string {
  const lines = [
    c.version === null
      ? `no scope statement in force at ${c.at}`
      : `scope statement version ${c.version}, inventory at ${c.at}: ${c.inventory.length} item(s)`,
    c.version === null ? '' : documentLine(c.document),
    ...c.withoutDecision.map((id) => `without a scope decision: ${p(id)}`),
    ...c.contradictions.map(
      (x) =>
        `contradicts statement v${x.version}: ${p(x.systemId)} decided ${x.decided ? 'in' : 'out'}, the statement says ${x.statementSays ? 'in' : 'out'}`,
    ),
    ...c.namedNotRegistered.map((id) => `named by the statement but not registered: ${p(id)}`),
    c.reconciled ? 'reconciled: every system and service has a decision that agrees with the statement' : '',
  ].filter((l) => l !== '');
  return `${lines.join('\n')}\n`;
}
