/**
 * RFC 6962 / RFC 9162 hashing for the evidence tree (domain/evidence/merkle.ts holds the shapes), and the
 * leaf data of an evidence event: the UTF-8 bytes of its export line without the line feed, i.e. the
 * canonical JSON of the whole envelope, `hash` included (docs/evidence-format.md §7).
 */
import { hash } from 'node:crypto';
import { canonicalEnvelopeLine, EnvelopeParts } from '../../domain/evidence/evidence-envelope';
import type { Digest, MerkleHasher } from '../../domain/evidence/merkle';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const RFC6962_SHA256: MerkleHasher = {
  emptyRoot: () => hash('sha256', Buffer.alloc(0), 'buffer'),
  // One-shot crypto.hash over one buffer: cheaper per call than createHash(), and appends call it per node.
  hashLeaf: (data) => hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer'),
  hashChildren: (left, right) => hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer'),
};

/** The tree's leaf data of one event: exactly what `aims evidence export` writes for it, minus the "\n". */
export function evidenceLeafData(event: EnvelopeParts & { hash: string }): Buffer {
  return Buffer.from(canonicalEnvelopeLine(event), 'utf8');
}

export function evidenceLeafHash(event: EnvelopeParts & { hash: string }): Digest {
  // Same bytes as hashLeaf(evidenceLeafData(event)), without copying them: U+0000 is the one byte 0x00 in
  // UTF-8, and crypto.hash encodes a string as UTF-8. verify pays this for every event under a checkpoint.
  return hash('sha256', `\u0000${canonicalEnvelopeLine(event)}`, 'buffer');
}
