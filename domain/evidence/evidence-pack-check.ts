/**
 * The checks `aims evidence verify-pack` makes on a pack's lines, pure (docs/evidence-pack.md §5): it folds
 * events.jsonl and proofs.jsonl one pair of lines at a time (an event and its inclusion proof), so
 * verifying a pack of any size keeps one line and one entry per stream in memory. And what an intact
 * pack proves and cannot exclude, in plain words.
 */
import { canonicalize } from './canonical-json';
import { EVIDENCE_GENESIS_HASH } from './evidence-envelope';
import {
  digestToHex,
  HEX64,
  isCount,
  isObject,
  type PackFailure,
  type PackFailures,
  type PackHashing,
  type PackInclusion,
  type PackManifest,
} from './evidence-pack';
import { type Digest, verifyInclusion } from './merkle';

const ENVELOPE_MEMBERS = ['data', 'hash', 'id', 'metadata', 'position', 'prevHash', 'recordedAt', 'revision', 'stream', 'type'];

interface ParsedEvent {
  position: number;
  revision: number;
  stream: string;
  hash: string;
  prevHash: string;
}

/** An event line's envelope, or why it is not one. */
function parseEventLine(line: string): { event: ParsedEvent; envelope: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'not JSON' };
  }
  if (!isObject(value)) return { problem: 'not a JSON object' };
  const keys = Object.keys(value).sort();
  if (keys.join() !== ENVELOPE_MEMBERS.join()) return { problem: `members are ${keys.join(', ')}, not the ten of an envelope` };
  const v = value;
  const ok =
    isCount(v.position) &&
    v.position >= 1 &&
    isCount(v.revision) &&
    typeof v.stream === 'string' &&
    typeof v.hash === 'string' &&
    typeof v.prevHash === 'string' &&
    typeof v.id === 'string' &&
    typeof v.type === 'string' &&
    typeof v.recordedAt === 'string' &&
    isObject(v.data) &&
    isObject(v.metadata);
  if (!ok) return { problem: 'a member has the wrong JSON type' };
  return {
    event: {
      position: v.position as number,
      revision: v.revision as number,
      stream: v.stream as string,
      hash: v.hash as string,
      prevHash: v.prevHash as string,
    },
    envelope: v,
  };
}

function parseInclusionLine(line: string): PackInclusion | undefined {
  try {
    const v: unknown = JSON.parse(line);
    if (
      isObject(v) &&
      isCount(v.position) &&
      isCount(v.leafIndex) &&
      isCount(v.treeSize) &&
      Array.isArray(v.hashes) &&
      v.hashes.every((h) => typeof h === 'string' && HEX64.test(h))
    ) {
      return v as unknown as PackInclusion;
    }
  } catch {
    // reported by the caller
  }
  return undefined;
}

export interface PackCheckpointFacts {
  size: number;
  rootHash: Digest;
}

export interface PackEventSummary {
  events: number;
  firstPosition: number | null;
  lastPosition: number | null;
  chainLinksChecked: number;
  proofsChecked: number;
  streams: Map<string, { events: number; lastRevision: number }>;
}

/**
 * Checks events.jsonl and proofs.jsonl line by line, in step: each event's hash recomputed from its
 * canonical form, its proof against the checkpoint's root, the order, the as-of point, the chain links
 * between consecutive positions, and each stream's revisions (from 0, without gaps).
 */
export class PackEventCheck {
  private previous: ParsedEvent | undefined;
  private eventLine = 0;
  private proofLine = 0;
  private readonly summary: PackEventSummary = {
    events: 0,
    firstPosition: null,
    lastPosition: null,
    chainLinksChecked: 0,
    proofsChecked: 0,
    streams: new Map(),
  };

  constructor(
    private readonly hashing: PackHashing,
    private readonly failures: PackFailures,
    private readonly checkpoint: PackCheckpointFacts | undefined,
    private readonly manifest: PackManifest | undefined,
  ) {}

  /** One line of each member (without its line feed); undefined when that member has no more lines. */
  add(eventLine: string | undefined, proofLine: string | undefined): void {
    if (eventLine === undefined && proofLine === undefined) return;
    if (proofLine !== undefined) this.proofLine++;
    if (eventLine === undefined) {
      this.failures.add({
        member: 'proofs.jsonl',
        line: this.proofLine,
        reason: 'proof-mismatch',
        detail: 'a proof with no event: events.jsonl has fewer lines (an event was removed?)',
      });
      return;
    }
    this.eventLine++;
    const line = this.eventLine;
    const parsed = parseEventLine(eventLine);
    if ('problem' in parsed) {
      this.failures.add({ member: 'events.jsonl', line, reason: 'event-malformed', detail: `not an evidence envelope: ${parsed.problem}` });
      if (proofLine === undefined) this.noProof(line, undefined);
      return;
    }
    const { event, envelope } = parsed;
    const at = { member: 'events.jsonl', position: event.position, line };
    this.checkContent(eventLine, envelope, event, at);
    this.checkPlace(event, at);
    this.checkStream(event, at);
    if (proofLine === undefined) this.noProof(line, event.position);
    else this.checkProof(eventLine, event.position, proofLine);
    this.previous = event;
    this.summary.events++;
    this.summary.firstPosition ??= event.position;
    this.summary.lastPosition = event.position;
  }

  private noProof(line: number, position: number | undefined): void {
    this.failures.add({ member: 'proofs.jsonl', line, position, reason: 'proof-missing', detail: 'no inclusion proof for this event' });
  }

  private checkContent(
    text: string,
    envelope: Record<string, unknown>,
    event: ParsedEvent,
    at: Omit<PackFailure, 'reason' | 'detail'>,
  ): void {
    let canonical: string | undefined;
    try {
      canonical = canonicalize(envelope);
    } catch (error) {
      this.failures.add({ ...at, reason: 'event-malformed', detail: `cannot be canonicalised: ${(error as Error).message}` });
      return;
    }
    if (canonical !== text) {
      this.failures.add({ ...at, reason: 'not-canonical', detail: 'the line is not the RFC 8785 canonical JSON of its envelope' });
    }
    const { hash: _hash, ...hashed } = envelope;
    const recomputed = this.hashing.sha256Hex(canonicalize(hashed));
    if (recomputed !== event.hash) {
      this.failures.add({
        ...at,
        reason: 'hash-mismatch',
        detail: `content changed: the envelope hashes to ${recomputed}, not its recorded hash ${event.hash}`,
      });
    }
  }

  private checkPlace(event: ParsedEvent, at: Omit<PackFailure, 'reason' | 'detail'>): void {
    const previous = this.previous;
    if (previous && event.position <= previous.position) {
      this.failures.add({
        ...at,
        reason: 'out-of-order',
        detail: `position ${event.position} comes after position ${previous.position}: events must be in increasing position`,
      });
    }
    if (this.manifest && event.position > this.manifest.asOf.position) {
      this.failures.add({ ...at, reason: 'beyond-as-of', detail: `the pack is as of position ${this.manifest.asOf.position}` });
    }
    if (this.checkpoint && event.position > this.checkpoint.size) {
      this.failures.add({
        ...at,
        reason: 'beyond-checkpoint',
        detail: `the checkpoint covers positions 1 to ${this.checkpoint.size} only`,
      });
    }
    if (event.position === 1 && event.prevHash !== EVIDENCE_GENESIS_HASH) {
      this.failures.add({ ...at, reason: 'chain-broken', detail: 'the first event does not link to the genesis value' });
    }
    if (previous && event.position === previous.position + 1) {
      this.summary.chainLinksChecked++;
      if (event.prevHash !== previous.hash) {
        this.failures.add({
          ...at,
          reason: 'chain-broken',
          detail: `prevHash ${event.prevHash} is not the hash ${previous.hash} of position ${previous.position}`,
        });
      }
    }
    const whole = this.manifest?.selection.kind === 'all';
    const expected = previous ? previous.position + 1 : 1;
    if (whole && event.position > expected) {
      this.failures.add({
        ...at,
        reason: 'event-missing',
        detail: `the pack holds every event up to its as-of point, but position${event.position - expected > 1 ? `s ${expected} to ${event.position - 1} are` : ` ${expected} is`} missing`,
      });
    }
  }

  private checkStream(event: ParsedEvent, at: Omit<PackFailure, 'reason' | 'detail'>): void {
    const selection = this.manifest?.selection;
    if (selection?.kind === 'streams' && !selection.streams.includes(event.stream)) {
      this.failures.add({ ...at, reason: 'not-selected', detail: `stream ${event.stream} is not one of the pack's streams` });
    }
    const seen = this.summary.streams.get(event.stream);
    const expected = seen ? seen.lastRevision + 1 : 0;
    if (event.revision !== expected) {
      this.failures.add({
        ...at,
        reason: 'revision-gap',
        detail:
          event.revision > expected
            ? `stream ${event.stream} goes to revision ${event.revision} without revision${event.revision - expected > 1 ? `s ${expected} to ${event.revision - 1}` : ` ${expected}`}: an event is missing`
            : `stream ${event.stream} has revision ${event.revision} again or out of order (expected ${expected})`,
      });
    }
    this.summary.streams.set(event.stream, {
      events: (seen?.events ?? 0) + 1,
      lastRevision: Math.max(event.revision, seen?.lastRevision ?? -1),
    });
  }

  private checkProof(eventLine: string, position: number, proofLine: string): void {
    const at = { member: 'proofs.jsonl', position, line: this.proofLine };
    const proof = parseInclusionLine(proofLine);
    if (!proof) {
      this.failures.add({ ...at, reason: 'proof-malformed', detail: 'not { position, leafIndex, treeSize, hashes: [64 hex digits, …] }' });
      return;
    }
    if (proof.position !== position || proof.leafIndex !== position - 1) {
      this.failures.add({
        ...at,
        reason: 'proof-mismatch',
        detail: `the proof on this line is for position ${proof.position} (leaf ${proof.leafIndex}), not the event's position ${position}`,
      });
      return;
    }
    if (!this.checkpoint) return;
    if (proof.treeSize !== this.checkpoint.size) {
      this.failures.add({
        ...at,
        reason: 'proof-mismatch',
        detail: `the proof is for a tree of ${proof.treeSize} events, the checkpoint's has ${this.checkpoint.size}`,
      });
      return;
    }
    this.summary.proofsChecked++;
    const leaf = this.hashing.leafHashOfLine(eventLine);
    const hashes = proof.hashes.map((h) => this.hashing.fromHex(h));
    if (!verifyInclusion(this.hashing.merkle, position - 1, this.checkpoint.size, leaf, hashes, this.checkpoint.rootHash)) {
      this.failures.add({
        ...at,
        reason: 'proof-invalid',
        detail: `the event's line and this audit path do not lead to the checkpoint's root ${digestToHex(this.checkpoint.rootHash)}`,
      });
    }
  }

  /** After the last lines: counts against the manifest. */
  finish(): PackEventSummary {
    const m = this.manifest;
    if (m) {
      const s = this.summary;
      if (this.checkpoint && m.asOf.position > this.checkpoint.size) {
        this.failures.add({
          member: 'manifest.json',
          reason: 'beyond-checkpoint',
          detail: `the pack claims to be as of position ${m.asOf.position}, but its checkpoint covers only ${this.checkpoint.size} events`,
        });
      }
      // A whole-log pack must reach its as-of point: a tail cut off breaks no link.
      if (m.selection.kind === 'all' && (s.lastPosition ?? 0) < m.asOf.position) {
        const from = (s.lastPosition ?? 0) + 1;
        this.failures.add({
          member: 'events.jsonl',
          position: from,
          reason: 'event-missing',
          detail: `the pack holds every event up to its as-of point, but position${m.asOf.position > from ? `s ${from} to ${m.asOf.position} are` : ` ${from} is`} missing`,
        });
      }
      if (s.events !== m.events.count || s.firstPosition !== m.events.firstPosition || s.lastPosition !== m.events.lastPosition) {
        this.failures.add({
          member: 'events.jsonl',
          reason: 'count-mismatch',
          detail: `the manifest says ${m.events.count} event(s) at positions ${m.events.firstPosition}..${m.events.lastPosition}; the pack holds ${s.events} at ${s.firstPosition}..${s.lastPosition}`,
        });
      }
      for (const declared of m.streams) {
        const found = s.streams.get(declared.stream);
        if (!found || found.events !== declared.events || found.lastRevision !== declared.lastRevision) {
          this.failures.add({
            member: 'events.jsonl',
            reason: 'count-mismatch',
            detail: `the manifest says stream ${declared.stream} has ${declared.events} event(s) up to revision ${declared.lastRevision}; the pack holds ${found ? `${found.events} up to revision ${found.lastRevision}` : 'none'}`,
          });
        }
      }
      const declared = new Set(m.streams.map((d) => d.stream));
      for (const stream of s.streams.keys()) {
        if (!declared.has(stream))
          this.failures.add({ member: 'events.jsonl', reason: 'count-mismatch', detail: `stream ${stream} is not listed in the manifest` });
      }
    }
    return this.summary;
  }
}

export interface PackScopeFacts {
  intact: boolean;
  /** Where the trusted keys came from: the verifier's own (--key) or the pack itself. */
  trust: 'verifier-key' | 'self-asserted';
  keyNames: string[];
  checkpoint?: { origin: string; size: number; rootHash: string };
  manifest?: PackManifest;
  summary?: PackEventSummary;
}

/** What a pack's verification proves and what it cannot exclude, in plain words (like verify's scope). */
export function describePackScope(f: PackScopeFacts): { proves: string[]; cannotExclude: string[] } {
  const proves: string[] = [];
  const cannotExclude: string[] = [];
  if (!f.intact || !f.checkpoint || !f.manifest || !f.summary) {
    return {
      proves: ['nothing: the pack is not intact (see the failures); do not rely on any of its events'],
      cannotExclude: [
        'that any event in it is what was recorded: the pack is damaged, was changed, or was not made from a log that a trusted key signed',
      ],
    };
  }
  const { checkpoint: cp, manifest: m, summary: s } = f;
  const keys = f.keyNames.join(', ');
  proves.push(
    `every member matches the SHA-256 digest the manifest lists`,
    `each of the ${s.events} event(s) hashes to its recorded hash and is written in its canonical form (RFC 8785)`,
    `each event is leaf (position − 1) of the Merkle tree of the first ${cp.size} events of log ${cp.origin}, whose root ${cp.rootHash} was signed by ${keys}: the event was in that log, unchanged, when the checkpoint was signed`,
    `${s.chainLinksChecked} link(s) between events at consecutive positions hold (prevHash = the hash of the event before)`,
    `every stream in the pack starts at revision 0 and has no gap up to its last revision in the pack`,
  );
  if (m.selection.kind === 'all') proves.push(`the pack holds every event of the log at positions 1 to ${m.asOf.position}, none missing`);
  if (f.trust === 'self-asserted') {
    cannotExclude.push(
      `that the checkpoint was signed by the organisation: the key (${keys}) came with the pack itself, so whoever made the pack could have signed it; verify again with --key and the verifier key the organisation published`,
    );
  }
  if (m.selection.kind === 'streams') {
    cannotExclude.push(
      `events of the selected streams recorded after the last one the pack holds of each stream, up to position ${m.asOf.position}: an inclusion proof shows that an event is in the log, not that no other event is; only the manifest (the packer's word) says how many there were`,
      `anything in the other streams of the log: they are not in the pack`,
    );
  }
  if (cp.size > m.asOf.position) cannotExclude.push(`nothing about events after position ${m.asOf.position}: the pack is as of that point`);
  cannotExclude.push(
    `that the recorded events are true: the pack proves what was recorded and when the log held it, not that it happened as recorded`,
  );
  return { proves, cannotExclude };
}
