/**
 * `aims evidence verify|replay|export`: what an auditor runs against the evidence store itself; and
 * `aims evidence migrate`, which an administrator runs as the owner of the tables.
 * The first three stream the store page by page, so memory stays flat however many events it holds.
 * Exit codes: 0 intact / done, 1 not intact (the broken position is named), 2 an error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { canonicalize } from '../../../../domain/evidence/canonical-json';
import { loadConfig } from '../../../../infra/config/config';
import { loadSigner, signCheckpoint, verifyEvidence, CheckpointKeyMissingError } from '../../../../infra/event-store/evidence-checkpoints';
import { migrateEventStore, openEventStore } from '../../../../infra/event-store/open-event-store';
import { storedEvidence } from '../../../../infra/personal-data/personal-data-event-store';
import { APPEND_ROLE_GRANTS } from '../../../../infra/event-store/postgres-roles';
import type { AsOf, EventStore, RecordedEvidenceEvent, VerifyReport } from '../../../../infra/ports/event-store.port';
import { printable } from '../printable';
import { PROVE_USAGE, proveCommand } from './evidence-proofs.command';
import { ANCHOR_USAGE, anchorCommand } from './evidence-anchor.command';
import { UsageError } from '../usage-error';
import { EVIDENCE_PACK_USAGE, evidencePackCommand } from './evidence-pack.command';
import { ERASE_USAGE, eraseSubjectCommand, personalDataKeyCommand } from './evidence-erase.command';

export const EVIDENCE_USAGE = `Usage:
  aims evidence verify [--store URL] [--from P] [--to P] [--anchor P:HASH] [--json]
  aims evidence replay --stream S [--as-of TIME|POSITION] [--store URL] [--json]
  aims evidence export --out FILE.jsonl [--from P] [--to P] [--store URL]
  aims evidence checkpoint [--store URL] [--json]
      Sign a checkpoint of the evidence tree now (C2SP tlog-checkpoint in a signed note) with the key of
      AIMS_CHECKPOINT_KEY_FILE / AIMS_CHECKPOINT_KEY, store it, and print the note. verify then checks
      the chain against the latest one.
${PROVE_USAGE}
${ANCHOR_USAGE}
  aims evidence tree rebuild [--store URL]
      Recompute the Merkle tree from the events (same result as the one kept on append); owner's URL on
      PostgreSQL.
  aims evidence migrate [--store URL] [--app-role ROLE]
      Bring the store's schema to this version (run with the URL of the role that owns the tables); on
      PostgreSQL, --app-role grants ROLE what the engine's appends and reads need and nothing more
      (docs/database-roles.md).
${EVIDENCE_PACK_USAGE}
${ERASE_USAGE}

--store defaults to AIMS_EVENT_STORE_URL (sqlite:<data dir>/evidence.db).`;

type Out = (text: string) => void;

export interface EvidenceIo {
  stdout: Out;
  stderr: Out;
  /** Progress lines go to stderr only when someone watches a terminal, or always when asked. */
  progress: boolean;
}

const defaultIo = (): EvidenceIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  progress: Boolean(process.stderr.isTTY) || process.env.AIMS_PROGRESS === '1',
});

export async function evidenceCommand(argv: string[], io: EvidenceIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'verify':
      return verify(rest, io);
    case 'replay':
      return replay(rest, io);
    case 'export':
      return exportJsonl(rest, io);
    case 'migrate':
      return migrate(rest, io);
    case 'checkpoint':
      return checkpoint(rest, io);
    case 'tree':
      return tree(rest, io);
    case 'prove':
      return proveCommand(rest, io);
    case 'anchor':
      return anchorCommand(rest, io);
    case 'erase-subject':
      return eraseSubjectCommand(rest, io);
    case 'personal-data-key':
      return personalDataKeyCommand(rest, io);
    case 'pack':
    case 'verify-pack':
      return evidencePackCommand(sub, rest, io);
    default:
      throw new UsageError(
        sub === undefined
          ? `evidence needs a subcommand\n\n${EVIDENCE_USAGE}`
          : `unknown evidence subcommand "${sub}"\n\n${EVIDENCE_USAGE}`,
      );
  }
}

function position(option: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw)))
    throw new UsageError(`${option} must be a position (a whole number from 1), not "${raw}"`);
  return Number(raw);
}

async function withStore<T>(url: string | undefined, work: (store: EventStore) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openEventStore(url ?? config.eventStoreUrl, { personalData: config.personalData });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function verify(args: string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      anchor: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  let anchor: { position: number; hash: string } | undefined;
  if (values.anchor !== undefined) {
    const match = /^(\d+):([0-9a-f]{64})$/.exec(values.anchor);
    if (!match) throw new UsageError('--anchor must be POSITION:HASH (a head noted earlier, 64 hex digits)');
    anchor = { position: Number(match[1]), hash: match[2] };
  }
  const config = loadConfig();
  const report: VerifyReport = await withStore(values.store, (store) =>
    verifyEvidence(store, config.checkpoints, {
      fromPosition: position('--from', values.from),
      toPosition: position('--to', values.to),
      anchor,
      onProgress: io.progress
        ? (p) => io.stderr(`verify: ${p.eventsChecked} events checked, at position ${p.position} of ${p.toPosition}\n`)
        : undefined,
    }),
  );
  if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
  else if (report.intact) {
    io.stdout(
      `intact: ${report.eventsChecked} events, positions ${report.fromPosition}..${report.toPosition}, last hash ${report.lastHash}\n` +
        describeScope(report),
    );
  } else {
    io.stdout(
      `NOT INTACT at position ${report.position}: ${report.problem} — ${report.detail}\n` +
        `  last intact position: ${report.lastIntactPosition}; ${report.eventsChecked} events checked\n` +
        describeScope(report),
    );
  }
  return report.intact ? 0 : 1;
}

/** The report's scope in plain words: "intact" alone would claim more than a chain can show by itself. */
function describeScope(report: VerifyReport): string {
  const { trustSource, proves, cannotExclude } = report.scope;
  const source =
    trustSource.kind === 'anchor'
      ? `the anchor given (position ${trustSource.position}, hash ${trustSource.hash})`
      : trustSource.kind === 'checkpoint'
        ? `the signed checkpoint ${trustSource.origin} at size ${trustSource.size}, signed by ${trustSource.keyName}` +
          (trustSource.cosignedBy?.length ? `, cosigned by ${trustSource.cosignedBy.map((w) => w.witness).join(', ')}` : '')
        : 'none — the chain was checked only against itself';
  const list = (items: string[]): string => items.map((item) => `  - ${item}\n`).join('');
  return `checked against: ${source}\nthis proves:\n${list(proves)}this cannot exclude:\n${list(cannotExclude)}`;
}

function parseAsOf(raw: string | undefined): AsOf | undefined {
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return { position: position('--as-of', raw) as number };
  // A date alone means the end of that day (UTC): "as of 2026-03-31" includes what happened that day.
  const text = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T23:59:59.999Z` : raw;
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(time.getTime())) {
    throw new UsageError(`--as-of must be an ISO-8601 date or time (2026-03-31, 2026-03-31T12:00:00Z) or a position, not "${raw}"`);
  }
  return { time: time.toISOString() };
}

async function replay(args: string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      stream: { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.stream) throw new UsageError('replay needs --stream, e.g. --stream ai-system-42');
  const stream = values.stream;
  const asOf = parseAsOf(values['as-of']);
  const count = await withStore(values.store, async (store) => {
    let n = 0;
    for await (const event of store.readStream(stream, { asOf })) {
      n++;
      io.stdout(values.json ? `${JSON.stringify(event)}\n` : describe(event));
    }
    return n;
  });
  if (!values.json) io.stderr(`${count} event(s) in ${stream}${asOf ? ` as of ${values['as-of']}` : ''}\n`);
  return 0;
}

function describe(event: RecordedEvidenceEvent): string {
  const actor = event.metadata.actor ? `${event.metadata.actor.id} (${event.metadata.actor.role})` : '-';
  // JSON.stringify leaves C1 and bidi characters as they are: printable shows them escaped.
  return `${printable(`#${event.revision}  @${event.position}  ${event.recordedAt}  ${event.type}  by ${actor}`)}\n    ${printable(JSON.stringify(event.data))}\n`;
}

async function exportJsonl(args: string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { store: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw new UsageError('export needs --out FILE.jsonl');
  const out = path.resolve(values.out);
  const fromPosition = position('--from', values.from);
  const toPosition = position('--to', values.to);
  // Written beside the target and renamed at the end, so a failed export never leaves a partial file
  // that an auditor could mistake for the whole chain.
  const partial = `${out}.partial-${process.pid}`;
  const file = fs.createWriteStream(partial, { encoding: 'utf8' });
  let count = 0;
  let last: RecordedEvidenceEvent | undefined;
  try {
    await withStore(values.store, async (store) => {
      // The stored bytes: what the chain and tree hash, personal fields sealed (docs/personal-data.md).
      for await (const event of storedEvidence(store).readAll({ fromPosition, toPosition })) {
        const line = `${canonicalize(event)}\n`;
        if (!file.write(line)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
        count++;
        last = event;
        if (io.progress && count % 50_000 === 0) io.stderr(`export: ${count} events written (position ${event.position})\n`);
      }
    });
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
    fs.renameSync(partial, out);
  } catch (err) {
    file.destroy();
    fs.rmSync(partial, { force: true });
    throw err;
  }
  io.stderr(`exported ${count} event(s)${last ? ` up to position ${last.position}, last hash ${last.hash}` : ''} to ${out}\n`);
  return 0;
}

async function migrate(args: string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { store: { type: 'string' }, 'app-role': { type: 'string' } },
    strict: true,
  });
  const appRole = values['app-role'];
  if (appRole !== undefined && !/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/.test(appRole)) {
    throw new UsageError(`--app-role must be a PostgreSQL role name (letters, digits, _ $ -), not "${appRole}"`);
  }
  const url = values.store ?? loadConfig().eventStoreUrl;
  const result = await migrateEventStore(url, { appRole });
  io.stdout(
    result.applied.length > 0
      ? `evidence schema migrated: applied version(s) ${result.applied.join(', ')}\n`
      : 'evidence schema already current: nothing to apply\n',
  );
  if (appRole !== undefined) {
    io.stdout(
      `role ${appRole} may now append and read, and nothing more on the evidence tables:\n${APPEND_ROLE_GRANTS.map((g) => `  - ${g}\n`).join('')}`,
    );
    io.stdout(`start the engine with its URL and AIMS_EVENT_STORE_MIGRATE=false (docs/database-roles.md)\n`);
  }
  return 0;
}

async function checkpoint(args: string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({ args, options: { store: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const config = loadConfig();
  const signer = loadSigner(config.checkpoints);
  if (!signer) throw new CheckpointKeyMissingError();
  const stored = await withStore(values.store ?? config.eventStoreUrl, (store) => signCheckpoint(store, config.checkpoints.origin, signer));
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...stored, rootHash: stored.rootHash.toString('hex') })}\n`);
  } else {
    io.stdout(stored.note);
    io.stderr(`checkpoint ${stored.id} stored: ${stored.treeSize} event(s), signed by ${stored.keyName}\n`);
  }
  return 0;
}

async function tree(args: string[], io: EvidenceIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rebuild') throw new UsageError(`evidence tree needs the subcommand rebuild\n\n${EVIDENCE_USAGE}`);
  const { values } = parseArgs({ args: rest, options: { store: { type: 'string' } }, strict: true });
  const head = await withStore(values.store, (store) => store.rebuildTree());
  io.stdout(`evidence tree rebuilt: ${head.size} event(s), root ${head.rootHash.toString('hex')}\n`);
  return 0;
}
