/**
 * Signed checkpoints of the evidence tree: a C2SP tlog-checkpoint (origin, tree size, root) in a
 * signed-note signed with the deployment's Ed25519 key, stored in evidence_checkpoints; and the check
 * verify makes with the latest one (docs/evidence-format.md §7–8). The signer key comes from the
 * configuration (a file or an environment variable), never from the database.
 */
import * as fs from 'node:fs';
import type { CheckpointConfig } from '../config/config';
import type { EventStore, StoredCheckpoint, VerifyOptions, VerifyReport } from '../ports/event-store.port';
import {
  formatCheckpoint,
  NoteSigner,
  NoteVerifier,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  SignedNoteError,
} from './signed-note';
import type { WitnessVerifier } from './cosignature';
import { checkpointCosigners, loadWitnesses } from './witness-cosignatures';

export class CheckpointKeyMissingError extends Error {
  readonly code = 'CHECKPOINT_KEY_MISSING';
  constructor() {
    super('no checkpoint signer key: set AIMS_CHECKPOINT_KEY_FILE (see `aims keys generate`) or AIMS_CHECKPOINT_KEY');
    this.name = 'CheckpointKeyMissingError';
  }
}

export function loadSigner(config: CheckpointConfig): NoteSigner | undefined {
  if (!config.signerKey) return undefined;
  const text = 'text' in config.signerKey ? config.signerKey.text : fs.readFileSync(config.signerKey.file, 'utf8');
  return parseSignerKey(text);
}

/** The configured verifier keys, plus the signer's own (so a deployment verifies what it signs). */
export function loadVerifiers(config: CheckpointConfig): NoteVerifier[] {
  const keys = [...config.verifierKeys];
  const signer = loadSigner(config);
  if (signer) keys.push(signer.verifierKey);
  return [...new Set(keys)].map(parseVerifierKey);
}

/** Signs and stores a checkpoint of the tree as it is now. */
export async function signCheckpoint(store: EventStore, origin: string, signer: NoteSigner): Promise<StoredCheckpoint> {
  const head = await store.treeHead();
  const note = signNote(formatCheckpoint({ origin, size: head.size, rootHash: head.rootHash }), signer);
  return store.addCheckpoint({ origin, treeSize: head.size, rootHash: head.rootHash, keyName: signer.name, note });
}

/**
 * What verify checks the chain against: the latest stored checkpoint, once its signature verified with a
 * trusted key and its origin is this log's. Undefined when there is no checkpoint or no trusted key.
 * Throws SignedNoteError when the stored checkpoint does not verify (forged, or signed by an unknown key).
 */
export async function latestCheckpointForVerify(
  store: EventStore,
  origin: string,
  verifiers: readonly NoteVerifier[],
  witnesses: readonly WitnessVerifier[] = [],
): Promise<VerifyOptions['checkpoint']> {
  if (verifiers.length === 0) return undefined;
  const stored = await store.latestCheckpoint();
  if (!stored) return undefined;
  const opened = openNote(stored.note, verifiers);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== origin) {
    throw new SignedNoteError('CHECKPOINT_MALFORMED', `the latest checkpoint is for log "${checkpoint.origin}", not "${origin}"`);
  }
  const { cosignedBy } = await checkpointCosigners(store, stored, witnesses);
  return {
    origin,
    size: checkpoint.size,
    keyName: opened.verifiedBy[0],
    rootHash: checkpoint.rootHash.toString('hex'),
    ...(cosignedBy.length > 0 ? { cosignedBy } : {}),
  };
}

/**
 * `aims evidence verify` and POST /v1/audit/verify: the chain checked against the latest signed
 * checkpoint when there is one and a key to verify it (unless an anchor was given: one trust source per
 * run), otherwise as before.
 */
export async function verifyEvidence(store: EventStore, config: CheckpointConfig, options: VerifyOptions): Promise<VerifyReport> {
  if (options.anchor || options.checkpoint || (options.fromPosition ?? 1) !== 1) return store.verify(options);
  const checkpoint = await latestCheckpointForVerify(store, config.origin, loadVerifiers(config), loadWitnesses(config));
  return store.verify({ ...options, checkpoint });
}
