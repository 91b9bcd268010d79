/**
 * Checks an inclusion proof of the evidence tree in the browser (WebCrypto only), so that what the console
 * says is included was established here, not taken from the server's word:
 *  - the leaf is recomputed from the event as the console received it: SHA-256(0x00 ‖ its export line),
 *    the export line being the RFC 8785 canonical JSON of the whole envelope, `hash` included
 *    (docs/evidence-format.md §7; the server's infra/event-store/rfc6962-hasher.ts);
 *  - the audit path is walked from that leaf (RFC 9162 §2.1.3.2, nodes SHA-256(0x01 ‖ left ‖ right));
 *  - the root reached must be the one in the signed checkpoint of that tree size (the note itself, parsed
 *    here), not merely the root the server sent beside it.
 * The note's signature is not checked here: that needs the log's verifier key, which `aims evidence
 * verify` holds. Pure apart from crypto.subtle, which browsers and Node ≥ 20 both provide.
 */
import { parseCheckpointNote } from './signed-note';

export type Digest = Uint8Array;

async function sha256(...parts: Uint8Array[]): Promise<Digest> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

export const hashLeaf = (data: Uint8Array): Promise<Digest> => sha256(LEAF, data);
export const hashChildren = (left: Digest, right: Digest): Promise<Digest> => sha256(NODE, left, right);

/** RFC 8785 canonical JSON of parsed JSON data: members sorted by UTF-16 code units, ECMAScript numbers and strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('a number that JSON cannot carry');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`a ${typeof value} is not JSON data`);
}

/** The members of an evidence envelope that its export line (the tree's leaf) is made of. */
export interface EvidenceEnvelope {
  data: Record<string, unknown>;
  hash: string;
  id: string;
  metadata: Record<string, unknown>;
  position: number;
  prevHash: string;
  recordedAt: string;
  revision: number;
  stream: string;
  type: string;
}

/** The leaf data of an event: the UTF-8 bytes of its export line without the line feed. */
export function evidenceLeafData(e: EvidenceEnvelope): Uint8Array {
  const envelope = {
    data: e.data,
    hash: e.hash,
    id: e.id,
    metadata: e.metadata,
    position: e.position,
    prevHash: e.prevHash,
    recordedAt: e.recordedAt,
    revision: e.revision,
    stream: e.stream,
    type: e.type,
  };
  return new TextEncoder().encode(canonicalJson(envelope));
}

/** RFC 9162 §2.1.3.2: the root the audit path leads to from leaf `index` of a tree of `size`, or null if it cannot. */
export async function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Digest,
  path: readonly Digest[],
): Promise<Digest | null> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  // Plain arithmetic rather than bit operators, which stop at 2^31.
  const odd = (x: number) => x % 2 === 1;
  const half = (x: number) => Math.floor(x / 2);
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    if (odd(fn) || fn === sn) {
      r = await hashChildren(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** An inclusion proof as GET /v1/evidence/proofs/inclusion answers it (encoding=base64). */
export interface InclusionProof {
  eventId: string;
  position: number;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  rootHash: string;
  auditPath: string[];
  checkpoint: string | null;
}

export type InclusionCheck = { verified: true; treeSize: number; rootHash: string; origin: string } | { verified: false; reason: string };

/** Whether `proof` shows `event` (as received) in the tree its signed checkpoint vouches for. */
export async function checkInclusion(event: EvidenceEnvelope, proof: InclusionProof): Promise<InclusionCheck> {
  const fail = (reason: string): InclusionCheck => ({ verified: false, reason });
  if (proof.eventId !== event.id || proof.position !== event.position || proof.leafIndex !== event.position - 1) {
    return fail(`the proof is for event ${proof.eventId} at position ${proof.position}, not this one`);
  }
  if (proof.checkpoint === null) return fail(`no signed checkpoint vouches for the tree of size ${proof.treeSize}`);
  let signed;
  try {
    signed = parseCheckpointNote(proof.checkpoint);
  } catch (error) {
    return fail(`the checkpoint cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (signed.treeSize !== proof.treeSize) return fail(`the checkpoint signs size ${signed.treeSize}, the proof is for ${proof.treeSize}`);
  const leaf = await hashLeaf(evidenceLeafData(event));
  if (toBase64(leaf) !== proof.leafHash)
    return fail(
      'the leaf computed from this event as shown differs from the proof’s leaf: the event differs from its stored form (changed, or with personal fields sealed in storage and shown opened here)',
    );
  let path: Digest[];
  try {
    path = proof.auditPath.map(fromBase64);
  } catch {
    return fail('the audit path is not base64');
  }
  if (path.some((p) => p.length !== 32)) return fail('a hash of the audit path is not 32 bytes');
  const root = await rootFromInclusionProof(proof.leafIndex, proof.treeSize, leaf, path);
  if (root === null) return fail(`the audit path has the wrong length for leaf ${proof.leafIndex} of ${proof.treeSize}`);
  if (!equal(root, fromBase64(signed.rootHash))) return fail('the audit path does not lead to the signed root hash');
  return { verified: true, treeSize: signed.treeSize, rootHash: signed.rootHash, origin: signed.origin };
}
