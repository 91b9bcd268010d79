/**
 * `aims tokens create|list|rotate|revoke`: the API's bearer tokens, kept (as salted hashes) in the evidence
 * store's database. `create` and `rotate` print the token once; nothing can show it again. A name is one
 * person's identity for good (stored in lower case; never issued again, even after revocation): `rotate`
 * replaces a person's token, `revoke` takes an id first, then a name.
 * Exit codes: 0 done, 2 an error (bad arguments, unknown token, name taken, store unreachable).
 */
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { AIMS_ROLES, isAimsRole, type AimsRole } from '../../../../domain/shared/roles';
import { openTokenStore } from '../../../../infra/auth/open-token-store';
import { TokenStoreError } from '../../../../infra/auth/token-errors';
import { loadConfig } from '../../../../infra/config/config';
import type { ApiTokenRecord, TokenStore } from '../../../../infra/ports/token-store.port';
import { printable } from '../printable';
import { UsageError } from '../usage-error';

export const TOKENS_USAGE = `Usage:
  aims tokens create --name NAME --role ROLE [--role ROLE ...] [--expires-in DAYS] [--store URL] [--json]
  aims tokens list [--all] [--store URL] [--json]
  aims tokens rotate NAME|ID [--expires-in DAYS] [--store URL] [--json]
  aims tokens revoke ID|NAME [--store URL]

A name is its holder's identity, in lower case: it is issued once (never again, even after revocation);
rotate gives that person a new token with the same roles and revokes the old one. Names starting with
"aims:" are reserved for the engine. revoke takes a token id first, then an active token's name.

Roles: ${AIMS_ROLES.join(', ')} (auditor is read-only; internal_auditor writes internal-audit records only).
The token is printed once; send it as "Authorization: Bearer <token>".
--store defaults to AIMS_EVENT_STORE_URL (sqlite:<data dir>/evidence.db).`;

export interface TokensIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo = (): TokensIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });

/** Who ran the command, recorded as created_by / revoked_by. */
function operator(): string {
  try {
    return `cli:${os.userInfo().username}@${os.hostname()}`;
  } catch {
    return `cli:${os.hostname()}`;
  }
}

async function withStore<T>(url: string | undefined, work: (store: TokenStore) => Promise<T>): Promise<T> {
  const store = await openTokenStore(url ?? loadConfig().eventStoreUrl);
  try {
    return await work(store);
  } catch (error) {
    // Refusals (name taken, unknown token) are the caller's to fix: show them like usage mistakes.
    if (error instanceof TokenStoreError) throw new UsageError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

export async function tokensCommand(argv: string[], io: TokensIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create':
      return create(rest, io);
    case 'list':
      return list(rest, io);
    case 'rotate':
      return rotate(rest, io);
    case 'revoke':
      return revoke(rest, io);
    default:
      throw new UsageError(
        sub === undefined ? `tokens needs a subcommand\n\n${TOKENS_USAGE}` : `unknown tokens subcommand "${sub}"\n\n${TOKENS_USAGE}`,
      );
  }
}

async function create(args: string[], io: TokensIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
      'expires-in': { type: 'string' },
      store: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.name) throw new UsageError('tokens create needs --name NAME');
  const roles = (values.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim());
  if (roles.length === 0) throw new UsageError(`tokens create needs --role ROLE (one of ${AIMS_ROLES.join(', ')})`);
  const unknown = roles.filter((r) => !isAimsRole(r));
  if (unknown.length > 0) throw new UsageError(`unknown role ${unknown.join(', ')}; roles are ${AIMS_ROLES.join(', ')}`);
  const expiresAt = expiryOf(values['expires-in']) ?? null;
  const issued = await withStore(values.store, (store) =>
    store.issue({ name: values.name as string, roles: roles as AimsRole[], createdBy: operator(), expiresAt }),
  );
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...issued.record, token: issued.token })}\n`);
  } else {
    io.stdout(`${issued.token}\n`);
    io.stderr(
      `token "${issued.record.name}" (id ${issued.record.id}, roles ${issued.record.roles.join(', ')}${expiresAt ? `, expires ${expiresAt}` : ''}) created.\n` +
        'It is shown only now: store it as a secret. Use it as "Authorization: Bearer <token>" (or AIMS_TOKEN).\n',
    );
  }
  return 0;
}

/** --expires-in DAYS as an instant; undefined when not given. */
function expiryOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const days = raw.replace(/d$/, '');
  if (!/^\d{1,5}$/.test(days) || Number(days) < 1) throw new UsageError('--expires-in must be a whole number of days, e.g. 90 or 90d');
  return new Date(Date.now() + Number(days) * 86_400_000).toISOString();
}

function describe(record: ApiTokenRecord): string {
  const state = record.revokedAt
    ? `revoked ${record.revokedAt}`
    : record.expiresAt && Date.parse(record.expiresAt) <= Date.now()
      ? `expired ${record.expiresAt}`
      : 'active';
  return `${record.id}  ${printable(record.name).padEnd(24)}  ${record.roles.join(',').padEnd(24)}  created ${record.createdAt}  ${state}`;
}

async function list(args: string[], io: TokensIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { all: { type: 'boolean', default: false }, store: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const records = await withStore(values.store, (store) => store.list({ activeOnly: !values.all }));
  if (values.json) io.stdout(`${JSON.stringify(records)}\n`);
  else if (records.length === 0)
    io.stderr(`no ${values.all ? '' : 'active '}tokens; create one with: aims tokens create --name NAME --role ROLE\n`);
  else for (const record of records) io.stdout(`${describe(record)}\n`);
  return 0;
}

async function rotate(args: string[], io: TokensIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'expires-in': { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('tokens rotate needs exactly one NAME or ID');
  const expiresAt = expiryOf(values['expires-in']);
  const rotated = await withStore(values.store, (store) =>
    store.rotate(positionals[0], { rotatedBy: operator(), ...(expiresAt === undefined ? {} : { expiresAt }) }),
  );
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...rotated.record, token: rotated.token, revoked: rotated.revoked })}\n`);
  } else {
    io.stdout(`${rotated.token}\n`);
    io.stderr(
      `token "${printable(rotated.record.name)}" (id ${rotated.record.id}, roles ${rotated.record.roles.join(', ')}` +
        `${rotated.record.expiresAt ? `, expires ${rotated.record.expiresAt}` : ''}) replaces ${rotated.revoked.map((r) => r.id).join(', ')}, now revoked.\n` +
        'It is shown only now: store it as a secret.\n',
    );
  }
  return 0;
}

async function revoke(args: string[], io: TokensIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { store: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('tokens revoke needs exactly one ID or NAME');
  const record = await withStore(values.store, (store) => store.revoke(positionals[0], operator()));
  // Say how the argument matched: an id wins over a name, and the operator should see which they hit.
  io.stdout(
    `revoked token "${printable(record.name)}" (id ${record.id}, matched by ${record.matchedBy === 'id' ? 'its id' : 'its name'}) at ${record.revokedAt}\n`,
  );
  return 0;
}
