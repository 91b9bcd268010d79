/**
 * Witness cosignatures of the log's checkpoints (docs/evidence-format.md §11): a cosignature sent by a
 * witness is checked against the stored checkpoint and the configured witness keys (AIMS_WITNESS_KEYS)
 * before it is stored; a checkpoint is served with its cosignature lines after the log's own signature,
 * as one signed note (C2SP signed-note allows several signatures).
 */
import type { CheckpointConfig } from '../config/config';
import type { EventStore, StoredCheckpoint, StoredCosignature } from '../ports/event-store.port';
import { parseWitnessKey, verifyCosignature, WitnessVerifier } from './cosignature';

export class CheckpointNotFoundError extends Error {
  readonly code = 'CHECKPOINT_NOT_FOUND';
  constructor(readonly treeSize: number) {
    super(`no checkpoint of tree size ${treeSize} is stored`);
    this.name = 'CheckpointNotFoundError';
  }
}

export function loadWitnesses(config: CheckpointConfig): WitnessVerifier[] {
  return (config.witnessKeys ?? []).map(parseWitnessKey);
}

/** The checkpoint body a note signs: the text before the blank line (its lines are never empty). */
export function noteBody(note: string): string {
  return note.slice(0, note.indexOf('\n\n') + 1);
}

/** Verifies a witness's cosignature line over the stored checkpoint of `treeSize`, then stores it. */
export async function addWitnessCosignature(
  store: EventStore,
  witnesses: readonly WitnessVerifier[],
  treeSize: number,
  line: string,
): Promise<{ checkpoint: StoredCheckpoint; cosignature: StoredCosignature; alreadyStored: boolean }> {
  const checkpoint = await store.checkpoint({ treeSize });
  if (!checkpoint) throw new CheckpointNotFoundError(treeSize);
  const verified = verifyCosignature(line, noteBody(checkpoint.note), witnesses);
  const stored = await store.addCosignature({ checkpointId: checkpoint.id, ...verified });
  return { checkpoint, ...stored };
}

/** The signed note with every stored cosignature line appended after the log's signature. */
export async function noteWithCosignatures(store: EventStore, checkpoint: StoredCheckpoint): Promise<string> {
  const lines = (await store.cosignatures(checkpoint.id)).map((c) => `${c.line}\n`);
  return checkpoint.note + lines.join('');
}

/**
 * Which configured witnesses cosigned a checkpoint, each re-verified now (a row written around the store
 * that does not verify is reported, not trusted).
 */
export async function checkpointCosigners(
  store: EventStore,
  checkpoint: StoredCheckpoint,
  witnesses: readonly WitnessVerifier[],
): Promise<{ cosignedBy: Array<{ witness: string; timestamp: number }>; refused: Array<{ line: string; reason: string }> }> {
  const cosignedBy: Array<{ witness: string; timestamp: number }> = [];
  const refused: Array<{ line: string; reason: string }> = [];
  for (const c of await store.cosignatures(checkpoint.id)) {
    try {
      const v = verifyCosignature(c.line, noteBody(checkpoint.note), witnesses, Number.MAX_SAFE_INTEGER);
      cosignedBy.push({ witness: v.witness, timestamp: v.timestamp });
    } catch (error) {
      refused.push({ line: c.line, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { cosignedBy, refused };
}
