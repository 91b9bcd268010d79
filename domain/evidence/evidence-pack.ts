/**
 * Offline evidence packs (docs/evidence-pack.md): what a pack holds and the checks `aims evidence
 * verify-pack` makes on it, pure. The archive I/O, SHA-256 and the signature check come from infra/
 * (infra/evidence-pack/). This file holds the format (members, manifest, proof lines, failure reasons);
 * evidence-pack-check.ts holds the line-by-line check and what a verification proves.
 */
import { canonicalize } from './canonical-json';
import type { Digest, MerkleHasher } from './merkle';

export const PACK_FORMAT = 'aims-evidence-pack/1';

/** The members of a pack, in archive order. */
export const PACK_MEMBERS = [
  'manifest.json',
  'checkpoint.note',
  'keys.txt',
  'events.jsonl',
  'proofs.jsonl',
  'index.md',
  'index.html',
] as const;
export type PackMemberName = (typeof PACK_MEMBERS)[number];

/** Which events a pack holds: every event up to the as-of point, or whole streams (an AI system's). */
export type PackSelection = { kind: 'all' } | { kind: 'streams'; systems: string[]; streams: string[] };

export interface PackManifest {
  format: typeof PACK_FORMAT;
  createdAt: string;
  origin: string;
  /** The point the pack is as of: a global position (and the time asked for, when it was a time). */
  asOf: { position: number; requested: string };
  selection: PackSelection;
  /** The signed checkpoint in checkpoint.note: every proof is against its root. */
  checkpoint: { size: number; rootHash: string; keyName: string };
  events: { count: number; firstPosition: number | null; lastPosition: number | null };
  /** Each stream in the pack: how many events and the last revision (the packer's word, checked against the events). */
  streams: Array<{ stream: string; events: number; lastRevision: number }>;
  /** Every other member with its size and SHA-256 (hex). */
  members: Array<{ name: string; size: number; sha256: string }>;
}

/** One line of proofs.jsonl: the RFC 6962 audit path of the event at `position` (leaf position - 1). */
export interface PackInclusion {
  position: number;
  leafIndex: number;
  treeSize: number;
  hashes: string[];
}

export type PackFailureReason =
  | 'archive-truncated'
  | 'archive-malformed'
  | 'member-missing'
  | 'member-unexpected'
  | 'member-duplicate'
  | 'digest-mismatch'
  | 'manifest-malformed'
  | 'checkpoint-malformed'
  | 'checkpoint-unverified'
  | 'checkpoint-mismatch'
  | 'keys-malformed'
  | 'event-malformed'
  | 'not-canonical'
  | 'hash-mismatch'
  | 'out-of-order'
  | 'beyond-as-of'
  | 'beyond-checkpoint'
  | 'chain-broken'
  | 'event-missing'
  | 'revision-gap'
  | 'not-selected'
  | 'proof-missing'
  | 'proof-malformed'
  | 'proof-mismatch'
  | 'proof-invalid'
  | 'count-mismatch';

export interface PackFailure {
  member: string;
  /** The event's global position, when the failure is about one event. */
  position?: number;
  /** 1-based line in the member, for the line-by-line members. */
  line?: number;
  reason: PackFailureReason;
  detail: string;
}

/** Every failure, up to a bound (a pack damaged throughout would otherwise grow the report without end). */
export class PackFailures {
  readonly list: PackFailure[] = [];
  omitted = 0;

  constructor(private readonly max = 10_000) {}

  add(failure: PackFailure): void {
    if (this.list.length < this.max) this.list.push(failure);
    else this.omitted++;
  }

  get count(): number {
    return this.list.length + this.omitted;
  }
}

/** The hashing a check needs: SHA-256 of UTF-8 text, and RFC 6962 hashes (of a line's UTF-8 bytes as a leaf). */
export interface PackHashing {
  merkle: MerkleHasher;
  sha256Hex(text: string): string;
  leafHashOfLine(line: string): Digest;
  /** 64 hex digits as 32 bytes (hexToDigest does it in plain code; an adapter's native one is faster). */
  fromHex(hex: string): Digest;
}

export const HEX64 = /^[0-9a-f]{64}$/;

export function hexToDigest(hex: string): Digest {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function digestToHex(digest: Digest): string {
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The manifest, or why it is not one. */
export function parseManifest(text: string): { manifest: PackManifest } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  if (!isObject(value)) return { problem: 'not a JSON object' };
  const m = value;
  if (m.format !== PACK_FORMAT) return { problem: `format is not "${PACK_FORMAT}"` };
  if (typeof m.createdAt !== 'string' || typeof m.origin !== 'string') return { problem: 'createdAt and origin must be strings' };
  const asOf = m.asOf;
  if (!isObject(asOf) || !isCount(asOf.position) || asOf.position < 1 || typeof asOf.requested !== 'string')
    return { problem: 'asOf must be { position ≥ 1, requested }' };
  const sel = m.selection;
  const selectionOk =
    isObject(sel) && (sel.kind === 'all' || (sel.kind === 'streams' && isStringList(sel.systems) && isStringList(sel.streams)));
  if (!selectionOk) return { problem: 'selection must be { kind: "all" } or { kind: "streams", systems, streams }' };
  const cp = m.checkpoint;
  if (!isObject(cp) || !isCount(cp.size) || typeof cp.rootHash !== 'string' || !HEX64.test(cp.rootHash) || typeof cp.keyName !== 'string')
    return { problem: 'checkpoint must be { size, rootHash (64 hex digits), keyName }' };
  const ev = m.events;
  const position = (v: unknown): boolean => v === null || (isCount(v) && v >= 1);
  if (!isObject(ev) || !isCount(ev.count) || !position(ev.firstPosition) || !position(ev.lastPosition))
    return { problem: 'events must be { count, firstPosition, lastPosition }' };
  const streamsOk =
    Array.isArray(m.streams) &&
    m.streams.every((s) => isObject(s) && typeof s.stream === 'string' && isCount(s.events) && isCount(s.lastRevision));
  if (!streamsOk) return { problem: 'streams must list { stream, events, lastRevision }' };
  const membersOk =
    Array.isArray(m.members) &&
    m.members.every(
      (x) => isObject(x) && typeof x.name === 'string' && isCount(x.size) && typeof x.sha256 === 'string' && HEX64.test(x.sha256),
    );
  if (!membersOk) return { problem: 'members must list { name, size, sha256 (64 hex digits) }' };
  return { manifest: value as unknown as PackManifest };
}

/** The canonical proofs.jsonl line of an inclusion proof (its hashes as lower-case hex). */
export function inclusionLine(position: number, treeSize: number, hashesHex: readonly string[]): string {
  const line: PackInclusion = { position, leafIndex: position - 1, treeSize, hashes: [...hashesHex] };
  return canonicalize(line);
}
