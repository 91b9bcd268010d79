/**
 * `aims evidence pack` and `aims evidence verify-pack` (docs/evidence-pack.md): an offline evidence pack
 * for an auditor, and its verification with no server and no database.
 * Exit codes: pack 0 written / 1 the store cannot vouch for it (no covering checkpoint and no key to sign
 * one; its tree disagrees with the signed root) / 2 bad input; verify-pack 0 intact / 1 any failure (each
 * one named) / 2 bad input (no such file, a --key that is not a verifier key, bad arguments).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../../infra/config/config';
import { openEventStore } from '../../../../infra/event-store/open-event-store';
import { EvidencePackError, writeEvidencePack, type PackRequest } from '../../../../infra/evidence-pack/pack-writer';
import { PackInputError, verifyEvidencePack, type PackVerifyReport } from '../../../../infra/evidence-pack/pack-verifier';
import type { EvidenceIo } from './evidence.command';
import { printable } from '../printable';
import { UsageError } from '../usage-error';

export const EVIDENCE_PACK_USAGE = `  aims evidence pack --as-of DATE|TIME|POSITION [--system ID ...] [--stream S ...] --out FILE [--store URL] [--json]
      Write an offline evidence pack (a POSIX tar; gzip when FILE ends in .gz or .tgz): the events as of
      the point (every event, or each --system's streams with the nonconformities it links, and each
      --stream), a signed checkpoint covering them (the latest stored one, or one signed now when a signer
      key is configured), an inclusion proof of each, the verifier keys, a manifest of SHA-256 digests and
      an index (index.md, index.html). Exit 1 when no checkpoint covers the point and none can be signed.
  aims evidence verify-pack FILE [--key VERIFIER_KEY ...] [--json]
      Verify a pack offline: the checkpoint's signature (with the --key given; without one, with the pack's
      own keys, reported as self-asserted), every event's hash, every inclusion proof, the chain links, the
      manifest's digests. Exit 0 intact, 1 not (every failure named), 2 bad input.`;

export type EvidencePackSubcommand = 'pack' | 'verify-pack';

export async function evidencePackCommand(sub: EvidencePackSubcommand, args: string[], io: EvidenceIo): Promise<number> {
  return sub === 'pack' ? pack(args, io) : verifyPack(args, io);
}

/** `--as-of`: a position, or a date (the end of that day, UTC) or time; answered as the store's position then. */
function parseAsOf(raw: string | undefined): PackRequest['asOf'] {
  if (raw === undefined) throw new UsageError(`pack needs --as-of DATE|TIME|POSITION\n\n${EVIDENCE_PACK_USAGE}`);
  if (/^\d+$/.test(raw)) {
    const position = Number(raw);
    if (position < 1 || !Number.isSafeInteger(position)) throw new UsageError(`--as-of must be a position from 1, not "${raw}"`);
    return { position };
  }
  const text = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T23:59:59.999Z` : raw;
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(time.getTime())) {
    throw new UsageError(`--as-of must be an ISO-8601 date or time (2026-03-31, 2026-03-31T12:00:00Z) or a position, not "${raw}"`);
  }
  return { time: time.toISOString() };
}

async function pack(args: string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      'as-of': { type: 'string' },
      system: { type: 'string', multiple: true },
      stream: { type: 'string', multiple: true },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const asOf = parseAsOf(values['as-of']);
  if (!values.out) throw new UsageError(`pack needs --out FILE (.tar, or .tar.gz / .tgz for gzip)\n\n${EVIDENCE_PACK_USAGE}`);
  const config = loadConfig();
  const store = await openEventStore(values.store ?? config.eventStoreUrl, { personalData: config.personalData });
  try {
    const result = await writeEvidencePack(store, config.checkpoints, {
      asOf,
      requested: values['as-of'] as string,
      systems: values.system ?? [],
      streams: values.stream ?? [],
      out: values.out,
      gzip: /\.(gz|tgz)$/i.test(values.out),
      onProgress: io.progress ? (line) => io.stderr(`${line}\n`) : undefined,
    });
    const m = result.manifest;
    if (values.json) io.stdout(`${JSON.stringify({ out: result.out, signedCheckpoint: result.signedCheckpoint, manifest: m })}\n`);
    else {
      io.stdout(
        `evidence pack written to ${result.out}: ${m.events.count} event(s) as of position ${m.asOf.position}, ` +
          `checkpoint ${m.origin} size ${m.checkpoint.size} signed by ${m.checkpoint.keyName}` +
          `${result.signedCheckpoint ? ' (signed and stored now: no stored checkpoint covered the point)' : ''}\n`,
      );
    }
    return 0;
  } catch (error) {
    if (!(error instanceof EvidencePackError)) throw error;
    if (error.exitCode === 2) throw new UsageError(error.message);
    io.stderr(`aims: no pack written: ${printable(error.message)}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

async function verifyPack(args: string[], io: EvidenceIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { key: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError(`verify-pack needs exactly one FILE\n\n${EVIDENCE_PACK_USAGE}`);
  let report: PackVerifyReport;
  try {
    report = await verifyEvidencePack(positionals[0], { keys: values.key ?? [] });
  } catch (error) {
    if (error instanceof PackInputError) throw new UsageError(error.message);
    throw error;
  }
  if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
  else io.stdout(describe(report));
  return report.intact ? 0 : 1;
}

function describe(r: PackVerifyReport): string {
  const list = (items: string[]): string => items.map((item) => `  - ${printable(item)}\n`).join('');
  const trust =
    r.trust.kind === 'verifier-key'
      ? `the verifier key(s) given (${r.trust.keyNames.join(', ') || 'none verified'})`
      : `SELF-ASSERTED: the pack's own keys.txt (${r.trust.keyNames.join(', ') || 'none verified'}); give --key to check against a key you trust`;
  const head = r.intact
    ? `intact: ${r.events} event(s), ${r.proofsChecked} inclusion proof(s) and ${r.chainLinksChecked} chain link(s) checked against checkpoint ${r.checkpoint?.origin} size ${r.checkpoint?.size}\n`
    : `NOT INTACT: ${r.failures.length + r.failuresOmitted} failure(s)\n` +
      r.failures
        .map(
          (f) =>
            `  - ${printable(f.member)}${f.position !== undefined ? ` position ${f.position}` : ''}${f.line !== undefined ? ` line ${f.line}` : ''}: ${f.reason} — ${printable(f.detail)}\n`,
        )
        .join('') +
      (r.failuresOmitted > 0 ? `  - and ${r.failuresOmitted} more\n` : '');
  return `${head}trust: ${trust}\nthis proves:\n${list(r.proves)}this cannot exclude:\n${list(r.cannotExclude)}`;
}
