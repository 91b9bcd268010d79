/**
 * The evidence hash (docs/evidence-format.md): lower-case hex SHA-256 over the UTF-8 bytes of the canonical
 * JSON of the envelope without `hash`, chained in global position order from EVIDENCE_GENESIS_HASH.
 */
import { createHash } from 'node:crypto';
import { EnvelopeParts, envelopeHashInput } from '../../domain/evidence/evidence-envelope';
import { UnhashedEnvelope } from '../../domain/evidence/evidence-append';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function hashEnvelope(parts: EnvelopeParts): string {
  return sha256Hex(envelopeHashInput(parts));
}

export type HashedEnvelope = EnvelopeParts & { hash: string };

/** Links envelopes (in position order) into the chain after `firstPrevHash`. */
export function chainEnvelopes(envelopes: UnhashedEnvelope[], firstPrevHash: string): HashedEnvelope[] {
  let prevHash = firstPrevHash;
  return envelopes.map((envelope) => {
    const parts: EnvelopeParts = { ...envelope, prevHash };
    const hash = hashEnvelope(parts);
    prevHash = hash;
    return { ...parts, hash };
  });
}
