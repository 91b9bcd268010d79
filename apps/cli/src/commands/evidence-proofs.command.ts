/**
 * `aims evidence prove`: an inclusion proof of one event, or a consistency proof between two tree sizes,
 * printed and checked against signed checkpoints (docs/evidence-format.md §9). The checkpoint's signature
 * is checked with the configured verifier keys (AIMS_CHECKPOINT_VERIFIER_KEYS, or the signer's own) and its
 * origin with AIMS_LOG_ORIGIN before its root is trusted; the leaf hash is recomputed from the event.
 * Exit codes: 0 verified, 1 the proof or a checkpoint does not verify (the reason is printed), 2 bad input.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, type CheckpointConfig } from '../../../../infra/config/config';
import { loadVerifiers } from '../../../../infra/event-store/evidence-checkpoints';
import {
  checkConsistency,
  checkInclusion,
  ProofRequestError,
  proveConsistency,
  proveInclusion,
} from '../../../../infra/event-store/evidence-proofs';
import { openEventStore } from '../../../../infra/event-store/open-event-store';
import { Checkpoint, openNote, parseCheckpoint, SignedNoteError } from '../../../../infra/event-store/signed-note';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { UsageError } from '../usage-error';
import type { EvidenceIo } from './evidence.command';

export const PROVE_USAGE = `  aims evidence prove --event ID|--position P [--checkpoint FILE] [--store URL] [--json]
      Print the inclusion proof of one event and check it against a signed checkpoint: FILE (a note as
      served by GET /v1/evidence/checkpoint) or the store's latest. Exit 0 verified, 1 not, 2 bad input.
  aims evidence prove --consistency FIRST SECOND [--checkpoint FILE] [--store URL] [--json]
      Print and check the consistency proof between the checkpoints of tree sizes FIRST and SECOND (the
      store's, or FILE for SECOND).`;

/** A signed checkpoint that did not verify: the proof cannot be checked against it. */
class CheckpointRefused extends Error {}

export async function proveCommand(args: string[], io: EvidenceIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      event: { type: 'string' },
      position: { type: 'string' },
      consistency: { type: 'boolean', default: false },
      checkpoint: { type: 'string' },
      store: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const modes = [values.event !== undefined, values.position !== undefined, values.consistency].filter(Boolean).length;
  if (modes !== 1) throw new UsageError(`prove needs exactly one of --event, --position or --consistency\n\n${PROVE_USAGE}`);
  if (!values.consistency && positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const noteFile = values.checkpoint === undefined ? undefined : readNote(values.checkpoint);
  const config = loadConfig();
  const store = await openEventStore(values.store ?? config.eventStoreUrl, { personalData: config.personalData });
  try {
    if (values.consistency) {
      if (positionals.length !== 2) throw new UsageError('--consistency needs two tree sizes: FIRST SECOND');
      const [first, second] = positionals.map((raw) => size(raw));
      return await consistency(store, config.checkpoints, first, second, noteFile, values.json, io);
    }
    const target = values.event !== undefined ? { eventId: values.event } : { position: position(values.position as string) };
    return await inclusion(store, config.checkpoints, target, noteFile, values.json, io);
  } catch (error) {
    if (error instanceof ProofRequestError) throw new UsageError(error.message);
    if (error instanceof CheckpointRefused) {
      io.stdout(values.json ? `${JSON.stringify({ verified: false, reason: error.message })}\n` : `NOT VERIFIED: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

async function inclusion(
  store: EventStore,
  config: CheckpointConfig,
  target: { eventId: string } | { position: number },
  noteFile: string | undefined,
  json: boolean,
  io: EvidenceIo,
): Promise<number> {
  const note = noteFile ?? (await store.latestCheckpoint())?.note;
  if (note === undefined) throw new UsageError('no checkpoint is stored: give --checkpoint FILE, or sign one (aims evidence checkpoint)');
  const { checkpoint, signers } = trusted(note, config);
  const answer = await proveInclusion(store, target, checkpoint.size);
  const verified = checkInclusion(answer, checkpoint.rootHash);
  const b64 = (h: Buffer): string => h.toString('base64');
  if (json) {
    io.stdout(
      `${JSON.stringify({
        verified,
        eventId: answer.eventId,
        position: answer.position,
        leafIndex: answer.leafIndex,
        treeSize: answer.treeSize,
        leafHash: b64(answer.leafHash),
        auditPath: answer.auditPath.map(b64),
        checkpoint: { origin: checkpoint.origin, size: checkpoint.size, rootHash: b64(checkpoint.rootHash), signedBy: signers },
      })}\n`,
    );
  } else {
    io.stdout(
      `event ${answer.eventId} at position ${answer.position} (leaf ${answer.leafIndex}) in the tree of ${answer.treeSize}\n` +
        `leaf hash  ${b64(answer.leafHash)}\n` +
        answer.auditPath.map((h, i) => `path[${i}]    ${b64(h)}\n`).join('') +
        `checkpoint ${checkpoint.origin} size ${checkpoint.size} root ${b64(checkpoint.rootHash)}, signed by ${signers.join(', ')}\n` +
        (verified ? 'VERIFIED: the event is in the signed tree\n' : 'NOT VERIFIED: the audit path does not lead to the signed root\n'),
    );
  }
  return verified ? 0 : 1;
}

async function consistency(
  store: EventStore,
  config: CheckpointConfig,
  first: number,
  second: number,
  noteFile: string | undefined,
  json: boolean,
  io: EvidenceIo,
): Promise<number> {
  if (first > second) throw new UsageError(`FIRST (${first}) must not be larger than SECOND (${second})`);
  const noteOf = async (size: number): Promise<string> => {
    const stored = await store.checkpoint({ treeSize: size });
    if (!stored) throw new UsageError(`no checkpoint of tree size ${size} is stored`);
    return stored.note;
  };
  const older = trusted(await noteOf(first), config);
  const newer = trusted(noteFile ?? (await noteOf(second)), config);
  if (newer.checkpoint.size !== second)
    throw new UsageError(`the checkpoint file is for tree size ${newer.checkpoint.size}, not ${second}`);
  const answer = await proveConsistency(store, first, second);
  const verified = checkConsistency(answer, older.checkpoint.rootHash, newer.checkpoint.rootHash);
  const b64 = (h: Buffer): string => h.toString('base64');
  const describe = (t: { checkpoint: Checkpoint; signers: string[] }): Record<string, unknown> => ({
    size: t.checkpoint.size,
    rootHash: b64(t.checkpoint.rootHash),
    signedBy: t.signers,
  });
  if (json) {
    io.stdout(
      `${JSON.stringify({ verified, first, second, proof: answer.proof.map(b64), firstCheckpoint: describe(older), secondCheckpoint: describe(newer) })}\n`,
    );
  } else {
    io.stdout(
      `tree ${first} root ${b64(older.checkpoint.rootHash)}, signed by ${older.signers.join(', ')}\n` +
        `tree ${second} root ${b64(newer.checkpoint.rootHash)}, signed by ${newer.signers.join(', ')}\n` +
        answer.proof.map((h, i) => `proof[${i}]   ${b64(h)}\n`).join('') +
        (verified
          ? `VERIFIED: the tree of ${first} is a prefix of the tree of ${second}\n`
          : `NOT VERIFIED: the proof does not link the two signed roots\n`),
    );
  }
  return verified ? 0 : 1;
}

/** The checkpoint in a note, once a trusted key's signature and this log's origin are checked. */
function trusted(note: string, config: CheckpointConfig): { checkpoint: Checkpoint; signers: string[] } {
  const verifiers = loadVerifiers(config);
  if (verifiers.length === 0) {
    throw new UsageError('no verifier key: set AIMS_CHECKPOINT_VERIFIER_KEYS (or the signer key) to check checkpoints with');
  }
  try {
    const opened = openNote(note, verifiers);
    const checkpoint = parseCheckpoint(opened.text);
    if (checkpoint.origin !== config.origin) {
      throw new CheckpointRefused(`the checkpoint is for log "${checkpoint.origin}", not "${config.origin}" (AIMS_LOG_ORIGIN)`);
    }
    return { checkpoint, signers: opened.verifiedBy };
  } catch (error) {
    if (error instanceof SignedNoteError) throw new CheckpointRefused(`the checkpoint is refused: ${error.message}`);
    throw error;
  }
}

function readNote(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --checkpoint ${file}: ${(error as Error).message}`);
  }
}

function position(raw: string): number {
  if (!/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new UsageError(`--position must be a whole number from 1, not "${raw}"`);
  return Number(raw);
}

function size(raw: string): number {
  if (!/^(0|[1-9]\d*)$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new UsageError(`a tree size is a whole number, not "${raw}"`);
  return Number(raw);
}
