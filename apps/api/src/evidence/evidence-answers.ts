/**
 * What the evidence-proof and tlog endpoints share: store refusals as problem+json, checkpoints and proofs
 * as JSON with hashes in the encoding asked, and the plain-text note with its cache headers.
 */
import type { Response } from 'express';
import {
  ConsistencyAnswer,
  encodeHash,
  HashEncoding,
  InclusionAnswer,
  ProofRequestError,
} from '../../../../infra/event-store/evidence-proofs';
import { TileError } from '../../../../infra/event-store/tlog-tiles';
import type { StoredCheckpoint } from '../../../../infra/ports/event-store.port';
import { MerkleRangeError } from '../../../../domain/evidence/merkle';
import { problem } from '../common/problems';
import type { CheckpointDto, ConsistencyProofDto, InclusionProofDto } from './evidence-proofs.dto';

/** Mutable answers (the latest checkpoint, partial tiles) may be cached this long, in seconds. */
export const SHORT_CACHE = 'public, max-age=5';
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

export function asProofProblem(error: unknown): never {
  if (error instanceof ProofRequestError) {
    throw problem(error.code === 'PROOF_RANGE' ? 400 : 404, error.code, error.message);
  }
  if (error instanceof TileError) {
    const status = error.code === 'TILE_PATH_INVALID' ? 400 : error.code === 'TILE_NOT_FOUND' ? 404 : 422;
    throw problem(status, error.code, error.message);
  }
  if (error instanceof MerkleRangeError) throw problem(400, 'PROOF_RANGE', error.message);
  throw error;
}

export function checkpointJson(c: StoredCheckpoint, encoding: HashEncoding): CheckpointDto {
  return {
    id: c.id,
    origin: c.origin,
    treeSize: c.treeSize,
    rootHash: encodeHash(c.rootHash, encoding),
    keyName: c.keyName,
    signedAt: c.signedAt,
    note: c.note,
  };
}

export function inclusionJson(a: InclusionAnswer, encoding: HashEncoding): InclusionProofDto {
  return {
    eventId: a.eventId,
    position: a.position,
    leafIndex: a.leafIndex,
    treeSize: a.treeSize,
    encoding,
    leafHash: encodeHash(a.leafHash, encoding),
    rootHash: encodeHash(a.rootHash, encoding),
    auditPath: a.auditPath.map((h) => encodeHash(h, encoding)),
    checkpoint: a.checkpoint?.note ?? null,
  };
}

export function consistencyJson(a: ConsistencyAnswer, encoding: HashEncoding): ConsistencyProofDto {
  return {
    first: a.first,
    second: a.second,
    encoding,
    firstRootHash: encodeHash(a.firstRootHash, encoding),
    secondRootHash: encodeHash(a.secondRootHash, encoding),
    proof: a.proof.map((h) => encodeHash(h, encoding)),
    firstCheckpoint: a.firstCheckpoint?.note ?? null,
    secondCheckpoint: a.secondCheckpoint?.note ?? null,
  };
}

/** A signed note as a C2SP log serves it. */
export function sendNote(res: Response, note: string, cacheControl: string): string {
  res.type('text/plain; charset=utf-8');
  res.setHeader('Cache-Control', cacheControl);
  return note;
}
