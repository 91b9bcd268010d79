/**
 * `aims evidence pack`: one self-contained archive (docs/evidence-pack.md) holding the selected events as of
 * a point, a signed checkpoint covering them, an inclusion proof of each against it, the verifier keys, a
 * manifest of digests and a readable index. It streams: whole-store packs read the events in global order
 * once; a pack of some streams (an AI system's, with the nonconformities its history links) reads only
 * those streams (readStream) and asks the store for each event's O(log n) audit path, so its cost follows
 * that history, not the size of the store. Members go to temporary files beside the output first (their
 * digests are needed for the manifest, which comes first in the archive); the archive is renamed into
 * place only once complete.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aiSystemStreamName, systemIdOfStream, systemIdProblem } from '../../domain/ai-system/identity';
import { storedEvidence } from '../personal-data/personal-data-event-store';
import { canonicalize } from '../../domain/evidence/canonical-json';
import { verifyInclusion } from '../../domain/evidence/merkle';
import { inclusionLine, PACK_FORMAT, type PackManifest, type PackSelection } from '../../domain/evidence/evidence-pack';
import { nonconformityStreamName } from '../../domain/nonconformity/identity';
import { streamNameProblem } from '../../domain/evidence/stream-name';
import type { CheckpointConfig } from '../config/config';
import { loadSigner, signCheckpoint } from '../event-store/evidence-checkpoints';
import { RFC6962_SHA256 } from '../event-store/rfc6962-hasher';
import { openNote, parseCheckpoint, parseVerifierKey, SignedNoteError } from '../event-store/signed-note';
import type { EventStore, RecordedEvidenceEvent, StoredCheckpoint } from '../ports/event-store.port';
import { writePackIndex, type IndexGroup } from './pack-index-writer';
import { mergeByPosition, MemberFile, writeArchive } from './pack-files';

/**
 * Why no pack was written. `exitCode` 1: the store cannot vouch for the pack (no covering checkpoint and no
 * key to sign one, or its tree disagrees with the signed root); 2: the request itself is wrong.
 */
export class EvidencePackError extends Error {
  constructor(
    readonly code:
      'PACK_NO_CHECKPOINT' | 'PACK_CHECKPOINT_MISMATCH' | 'PACK_STORE_INCONSISTENT' | 'PACK_BAD_REQUEST' | 'PACK_NO_VERIFIER_KEY',
    message: string,
  ) {
    super(message);
    this.name = 'EvidencePackError';
  }

  get exitCode(): 1 | 2 {
    return this.code === 'PACK_BAD_REQUEST' || this.code === 'PACK_NO_VERIFIER_KEY' ? 2 : 1;
  }
}

export interface PackRequest {
  asOf: { position: number } | { time: string };
  /** How the as-of point was asked for, recorded in the manifest. */
  requested: string;
  /** AI system ids: each system's stream and the nonconformity streams its history links. */
  systems: string[];
  /** Further streams by name. Neither systems nor streams: every event up to the as-of point. */
  streams: string[];
  out: string;
  /** gzip the archive (the CLI asks for it when the file name ends in .gz or .tgz). */
  gzip: boolean;
  now?: Date;
  onProgress?: (line: string) => void;
}

export interface PackResult {
  out: string;
  manifest: PackManifest;
  /** True when no stored checkpoint covered the as-of point and one was signed for the pack. */
  signedCheckpoint: boolean;
}

const bad = (message: string): EvidencePackError => new EvidencePackError('PACK_BAD_REQUEST', message);

async function firstOf<T>(items: AsyncIterable<T>): Promise<T | undefined> {
  for await (const item of items) return item;
  return undefined;
}

/** The last position recorded at or before `time`: recordedAt never decreases along positions, so a binary search. */
async function positionAtTime(store: EventStore, time: string, head: number): Promise<number> {
  let lo = 0;
  let hi = head;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const event = await firstOf(store.readAll({ fromPosition: mid, toPosition: mid, maxCount: 1 }));
    if (event && event.recordedAt <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

async function resolveAsOf(store: EventStore, asOf: PackRequest['asOf']): Promise<number> {
  const head = (await store.head())?.position ?? 0;
  if (head === 0) throw bad('the evidence store is empty: there is nothing to pack');
  if ('position' in asOf) {
    if (asOf.position > head) throw bad(`--as-of ${asOf.position} is beyond the store's last position ${head}`);
    return asOf.position;
  }
  const position = await positionAtTime(store, asOf.time, head);
  if (position === 0) throw bad(`nothing was recorded by ${asOf.time}`);
  return position;
}

/** The nonconformity ids an AI system's events name (breaches, incidents, openings), as of the point. */
async function linkedNonconformityStreams(store: EventStore, systemStream: string, asOf: number): Promise<string[]> {
  const linked = new Set<string>();
  for await (const event of store.readStream(systemStream, { asOf: { position: asOf } })) {
    const id = event.data.nonconformityId;
    if (typeof id === 'string' && streamNameProblem(nonconformityStreamName(id)) === undefined) linked.add(nonconformityStreamName(id));
  }
  return [...linked];
}

interface Selection {
  selection: PackSelection;
  streams: string[];
  groups: IndexGroup[];
}

async function resolveSelection(store: EventStore, request: PackRequest, asOf: number): Promise<Selection | undefined> {
  if (request.systems.length === 0 && request.streams.length === 0) return undefined;
  const all = new Set<string>();
  const groups: IndexGroup[] = [];
  const exists = async (stream: string): Promise<boolean> => (await store.streamRevision(stream, { position: asOf })) !== null;
  for (const systemId of new Set(request.systems)) {
    const problem = systemIdProblem(systemId);
    if (problem) throw bad(`--system "${systemId}": ${problem}`);
    const stream = aiSystemStreamName(systemId);
    if (!(await exists(stream))) throw bad(`AI system ${systemId} has no evidence as of position ${asOf} (no stream ${stream})`);
    const linked = (await linkedNonconformityStreams(store, stream, asOf)).filter((s) => !all.has(s));
    const present: string[] = [];
    for (const nc of linked) if (await exists(nc)) present.push(nc);
    [stream, ...present].forEach((s) => all.add(s));
    groups.push({ kind: 'system', systemId, streams: [stream, ...present] });
  }
  for (const stream of new Set(request.streams)) {
    const problem = streamNameProblem(stream);
    if (problem) throw bad(`--stream "${stream}": ${problem}`);
    if (all.has(stream)) continue;
    if (!(await exists(stream))) throw bad(`stream ${stream} has no events as of position ${asOf}`);
    all.add(stream);
    const systemId = systemIdOfStream(stream);
    groups.push(systemId === null ? { kind: 'stream', streams: [stream] } : { kind: 'system', systemId, streams: [stream] });
  }
  const streams = [...all].sort();
  return { selection: { kind: 'streams', systems: [...new Set(request.systems)], streams }, streams, groups };
}

/** The latest stored checkpoint if it covers `asOf`; otherwise one signed now when a key is configured. */
async function coveringCheckpoint(
  store: EventStore,
  config: CheckpointConfig,
  asOf: number,
): Promise<{ stored: StoredCheckpoint; signed: boolean }> {
  const latest = await store.latestCheckpoint();
  if (latest && latest.treeSize >= asOf) return { stored: latest, signed: false };
  const signer = loadSigner(config);
  if (!signer) {
    throw new EvidencePackError(
      'PACK_NO_CHECKPOINT',
      `no signed checkpoint covers position ${asOf} (${latest ? `the latest covers ${latest.treeSize} event(s)` : 'none is stored'}), and no signer key is configured to sign one: run \`aims evidence checkpoint\` with AIMS_CHECKPOINT_KEY_FILE set, or configure it here`,
    );
  }
  return { stored: await signCheckpoint(store, config.origin, signer), signed: true };
}

/** The configured verifier keys (the signer's own included) that verify the checkpoint's signature. */
function keysVerifying(note: string, config: CheckpointConfig): string[] {
  const signer = loadSigner(config);
  const keys = [...new Set([...config.verifierKeys, ...(signer ? [signer.verifierKey] : [])])];
  const good = keys.filter((key) => {
    try {
      openNote(note, [parseVerifierKey(key)]);
      return true;
    } catch (error) {
      if (error instanceof SignedNoteError) return false;
      throw error;
    }
  });
  if (good.length === 0) {
    throw new EvidencePackError(
      'PACK_NO_VERIFIER_KEY',
      `no configured key verifies the checkpoint's signature${keys.length === 0 ? ' (none is configured)' : ''}: set AIMS_CHECKPOINT_VERIFIER_KEYS to the signer's verifier key so the pack can carry it`,
    );
  }
  return good;
}

export async function writeEvidencePack(opened: EventStore, config: CheckpointConfig, request: PackRequest): Promise<PackResult> {
  // A pack carries the stored bytes (the tree's leaves): personal fields stay sealed (docs/personal-data.md).
  const store = storedEvidence(opened);
  const asOf = await resolveAsOf(store, request.asOf);
  const chosen = await resolveSelection(store, request, asOf);
  const { stored, signed } = await coveringCheckpoint(store, config, asOf);
  const keys = keysVerifying(stored.note, config);
  const checkpoint = parseCheckpoint(openNote(stored.note, keys.map(parseVerifierKey)).text);
  const treeRoot = (await store.treeHead(checkpoint.size)).rootHash;
  if (!treeRoot.equals(checkpoint.rootHash)) {
    throw new EvidencePackError(
      'PACK_CHECKPOINT_MISMATCH',
      `the store's tree of ${checkpoint.size} events has root ${treeRoot.toString('hex')}, not the signed ${checkpoint.rootHash.toString('hex')}: run \`aims evidence verify\``,
    );
  }
  const createdAt = (request.now ?? new Date()).toISOString();
  const out = path.resolve(request.out);
  const work = fs.mkdtempSync(path.join(path.dirname(out), '.aims-pack-'));
  const events = new MemberFile('events.jsonl', path.join(work, 'events.jsonl'));
  const proofs = new MemberFile('proofs.jsonl', path.join(work, 'proofs.jsonl'));
  try {
    const streams = new Map<string, { events: number; lastRevision: number }>();
    const links = new Map<string, Set<string>>();
    let count = 0;
    let first: number | null = null;
    let last: number | null = null;
    const source = chosen
      ? mergeByPosition(chosen.streams.map((s) => store.readStream(s, { asOf: { position: asOf } })))
      : store.readAll({ fromPosition: 1, toPosition: asOf });
    for await (const event of source) {
      const line = canonicalize(event);
      const auditPath = await store.inclusionProof(event.position, checkpoint.size);
      const leaf = RFC6962_SHA256.hashLeaf(Buffer.from(line, 'utf8'));
      // The store's own audit path must lead to the signed root: a pack that cannot verify is never written.
      if (!verifyInclusion(RFC6962_SHA256, event.position - 1, checkpoint.size, leaf, auditPath, checkpoint.rootHash)) {
        throw new EvidencePackError(
          'PACK_STORE_INCONSISTENT',
          `the store's audit path for position ${event.position} does not lead to the checkpoint's root: run \`aims evidence verify\` and \`aims evidence tree rebuild\``,
        );
      }
      await events.write(`${line}\n`);
      await proofs.write(
        `${inclusionLine(
          event.position,
          checkpoint.size,
          auditPath.map((h) => h.toString('hex')),
        )}\n`,
      );
      const seen = streams.get(event.stream);
      streams.set(event.stream, { events: (seen?.events ?? 0) + 1, lastRevision: event.revision });
      if (!chosen) noteLinks(event, links);
      count++;
      first ??= event.position;
      last = event.position;
      if (request.onProgress && count % 10_000 === 0) request.onProgress(`pack: ${count} events (position ${event.position})`);
    }
    const eventsDigest = await events.close();
    const proofsDigest = await proofs.close();
    const selection: PackSelection = chosen?.selection ?? { kind: 'all' };
    const groups = chosen?.groups ?? groupsOfWholeStore([...streams.keys()], links);
    const verifierKeys = Buffer.from(keys.map((k) => `${k}\n`).join(''), 'utf8');
    const note = Buffer.from(stored.note, 'utf8');
    const index = await writePackIndex(store, work, groups, asOf, {
      title: `Evidence pack of ${selection.kind === 'all' ? 'every stream' : describeSelection(selection)}`,
      createdAt,
      asOf: { position: asOf, requested: request.requested },
      checkpoint: {
        origin: checkpoint.origin,
        size: checkpoint.size,
        rootHash: checkpoint.rootHash.toString('hex'),
        keyName: stored.keyName,
        verifierKeys: keys,
      },
      selection: selection.kind === 'all' ? `every event up to position ${asOf}` : describeSelection(selection),
      events: count,
    });
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const manifest: PackManifest = {
      format: PACK_FORMAT,
      createdAt,
      origin: checkpoint.origin,
      asOf: { position: asOf, requested: request.requested },
      selection,
      checkpoint: { size: checkpoint.size, rootHash: checkpoint.rootHash.toString('hex'), keyName: stored.keyName },
      events: { count, firstPosition: first, lastPosition: last },
      streams: [...streams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([stream, s]) => ({ stream, ...s })),
      members: [
        { name: 'checkpoint.note', size: note.length, sha256: sha(note) },
        { name: 'keys.txt', size: verifierKeys.length, sha256: sha(verifierKeys) },
        { name: 'events.jsonl', size: events.size, sha256: eventsDigest },
        { name: 'proofs.jsonl', size: proofs.size, sha256: proofsDigest },
        ...index,
      ].map(({ name, size, sha256 }) => ({ name, size, sha256 })),
    };
    const partial = `${out}.partial-${process.pid}`;
    try {
      await writeArchive(
        partial,
        [
          { name: 'manifest.json', content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
          { name: 'checkpoint.note', content: note },
          { name: 'keys.txt', content: verifierKeys },
          { name: 'events.jsonl', content: { file: events.path, size: events.size } },
          { name: 'proofs.jsonl', content: { file: proofs.path, size: proofs.size } },
          ...index.map((m) => ({ name: m.name, content: { file: m.path, size: m.size } })),
        ],
        Math.floor(Date.parse(createdAt) / 1000),
        request.gzip,
      );
      fs.renameSync(partial, out);
    } catch (error) {
      fs.rmSync(partial, { force: true });
      throw error;
    }
    return { out, manifest, signedCheckpoint: signed };
  } finally {
    events.destroy();
    proofs.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function describeSelection(selection: Extract<PackSelection, { kind: 'streams' }>): string {
  const systems =
    selection.systems.length > 0 ? `AI system${selection.systems.length > 1 ? 's' : ''} ${selection.systems.join(', ')}: ` : '';
  return `${systems}stream${selection.streams.length > 1 ? 's' : ''} ${selection.streams.join(', ')}`;
}

/** In a whole-store pack: which nonconformity streams each AI system's events name. */
function noteLinks(event: RecordedEvidenceEvent, links: Map<string, Set<string>>): void {
  const id = event.data.nonconformityId;
  if (systemIdOfStream(event.stream) === null || typeof id !== 'string') return;
  const set = links.get(event.stream) ?? new Set<string>();
  set.add(nonconformityStreamName(id));
  links.set(event.stream, set);
}

function groupsOfWholeStore(streams: string[], links: Map<string, Set<string>>): IndexGroup[] {
  const present = new Set(streams);
  const grouped = new Set<string>();
  const groups: IndexGroup[] = [];
  for (const stream of streams.filter((s) => systemIdOfStream(s) !== null).sort()) {
    const linked = [...(links.get(stream) ?? [])].filter((s) => present.has(s) && !grouped.has(s)).sort();
    [stream, ...linked].forEach((s) => grouped.add(s));
    groups.push({ kind: 'system', systemId: systemIdOfStream(stream) as string, streams: [stream, ...linked] });
  }
  for (const stream of streams.filter((s) => !grouped.has(s)).sort()) groups.push({ kind: 'stream', streams: [stream] });
  return groups;
}
