/**
 * The evidence hash (docs/evidence-format.md): lower-case hex SHA-256 over the UTF-8 bytes of the canonical
 * JSON of the envelope without `hash`, chained in global position order from EVIDENCE_GENESIS_HASH.
 */
import { hash } from 'node:crypto';
import { EnvelopeParts, envelopeHashInput } from '../../domain/evidence/evidence-envelope';
import { UnhashedEnvelope } from '../../domain/evidence/evidence-append';

export function sha256Hex(text: string): string {
  // One-shot crypto.hash (strings are hashed as UTF-8): about half the cost of createHash() per event,
  // which verify pays for every event of the store.
  return hash('sha256', text, 'hex');
}

export function hashEnvelope(parts: EnvelopeParts): string {
  return sha256Hex(envelopeHashInput(parts));
}

export type HashedEnvelope = EnvelopeParts & { hash: string };

/** Links envelopes (in position order) into the chain after `firstPrevHash`. */
export function chainEnvelopes(envelopes: UnhashedEnvelope[], firstPrevHash: string): HashedEnvelope[] {
  let prevHash = firstPrevHash;
  return envelopes.map((envelope): HashedEnvelope => {
    const linked: HashedEnvelope = { ...envelope, prevHash, hash: '' };
    linked.hash = hashEnvelope(linked);
    prevHash = linked.hash;
    return linked;
  });
}
