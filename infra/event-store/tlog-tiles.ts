/**
 * The evidence tree served as a C2SP tlog-tiles log (https://c2sp.org/tlog-tiles; docs/evidence-format.md
 * §10), read-only, from the stored complete-subtree hashes and the events:
 *   tile/<L>/<N>[.p/<W>]       hash tile: the hashes of the subtrees of 256^L leaves with indexes
 *                              N·256 … N·256 + W − 1 (W = 256 for a full tile), 32 bytes each;
 *   tile/entries/<N>[.p/<W>]   entry bundle: the leaf data of events N·256 + 1 … N·256 + W, each as a
 *                              big-endian uint16 length and the bytes (the event's export line, §7).
 * <N> is written in 3-digit groups, all but the last prefixed with "x" (1234067 → x001/x234/067).
 */
import { canonicalize } from '../../domain/evidence/canonical-json';
import type { EventStore, RecordedEvidenceEvent } from '../ports/event-store.port';
import { evidenceLeafData } from './rfc6962-hasher';
import { storedEvidence } from '../personal-data/personal-data-event-store';

/** The tree's leaf data of an event as read: its export line (canonical JSON of the envelope) as bytes. */
export function recordedLeafData(event: RecordedEvidenceEvent): Buffer {
  return evidenceLeafData({ ...event, dataJson: canonicalize(event.data), metadataJson: canonicalize(event.metadata) });
}

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
const MAX_LEVEL = 63;
const MAX_ENTRY_BYTES = 0xffff;

export interface TileRef {
  /** A hash tile's level, or 'entries' for an entry bundle. */
  level: number | 'entries';
  index: number;
  /** 256 for a full tile, 1..255 for a partial one. */
  width: number;
}

export type TileErrorCode = 'TILE_PATH_INVALID' | 'TILE_NOT_FOUND' | 'TILE_ENTRY_TOO_LARGE';

export class TileError extends Error {
  constructor(
    readonly code: TileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TileError';
  }
}

const DECIMAL = /^(0|[1-9]\d*)$/;

function invalid(path: string, why: string): TileError {
  return new TileError('TILE_PATH_INVALID', `"${path}" is not a tile path: ${why}`);
}

/** Parses the part after "tile/": "<L>/<N>[.p/<W>]" or "entries/<N>[.p/<W>]". */
export function parseTilePath(path: string): TileRef {
  const parts = path.split('/');
  const head = parts.shift() ?? '';
  let level: TileRef['level'];
  if (head === 'entries') level = 'entries';
  else if (DECIMAL.test(head) && Number(head) <= MAX_LEVEL) level = Number(head);
  else throw invalid(path, 'the level is "entries" or a whole number from 0 to 63 without leading zeros');
  let width = TILE_WIDTH;
  if (parts.length >= 2 && parts[parts.length - 2].endsWith('.p')) {
    const w = parts.pop() as string;
    if (!DECIMAL.test(w) || Number(w) < 1 || Number(w) > 255) throw invalid(path, 'a partial width is a whole number from 1 to 255');
    width = Number(w);
    parts[parts.length - 1] = parts[parts.length - 1].slice(0, -2);
  }
  if (parts.length === 0) throw invalid(path, 'no tile index');
  let index = 0;
  parts.forEach((group, i) => {
    const last = i === parts.length - 1;
    const digits = last ? group : group.startsWith('x') ? group.slice(1) : '';
    if (!/^\d{3}$/.test(digits)) throw invalid(path, 'the index is 3-digit groups, each but the last prefixed with "x"');
    index = index * 1000 + Number(digits);
  });
  if (parts.length > 1 && parts[0] === 'x000') throw invalid(path, 'the index has a leading zero group');
  if (!Number.isSafeInteger(index)) throw invalid(path, 'the index is too large');
  return { level, index, width };
}

export function formatTilePath(ref: TileRef): string {
  const groups: string[] = [];
  let n = ref.index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  const index = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return `${ref.level}/${index}${ref.width === TILE_WIDTH ? '' : `.p/${ref.width}`}`;
}

/** How many leaves the tile's hashes cover, counted from the start of the log: what the tree must hold. */
function leavesNeeded(ref: TileRef): number {
  const perHash = ref.level === 'entries' ? 1 : TILE_WIDTH ** ref.level;
  return (ref.index * TILE_WIDTH + ref.width) * perHash;
}

async function assertInTree(store: EventStore, ref: TileRef): Promise<void> {
  const { size } = await store.treeHead();
  if (leavesNeeded(ref) > size) {
    throw new TileError('TILE_NOT_FOUND', `the tree of ${size} events has no tile ${formatTilePath(ref)}`);
  }
}

export async function readHashTile(store: EventStore, ref: TileRef): Promise<Buffer> {
  if (ref.level === 'entries') throw new TileError('TILE_PATH_INVALID', 'an entry bundle is not a hash tile');
  await assertInTree(store, ref);
  return Buffer.concat(await store.treeNodeHashes(ref.level * TILE_HEIGHT, ref.index * TILE_WIDTH, ref.width));
}

export async function readEntryBundle(store: EventStore, ref: TileRef): Promise<Buffer> {
  if (ref.level !== 'entries') throw new TileError('TILE_PATH_INVALID', 'a hash tile is not an entry bundle');
  await assertInTree(store, ref);
  const from = ref.index * TILE_WIDTH + 1;
  const chunks: Buffer[] = [];
  // The leaves are the stored bytes (personal fields sealed), never a reader's opened view.
  for await (const event of storedEvidence(store).readAll({ fromPosition: from, toPosition: from + ref.width - 1, pageSize: ref.width })) {
    const data = recordedLeafData(event);
    // The bundle's uint16 length cannot carry a longer entry: the event is still in the tree and the export.
    if (data.length > MAX_ENTRY_BYTES) {
      throw new TileError(
        'TILE_ENTRY_TOO_LARGE',
        `the event at position ${event.position} is ${data.length} bytes, more than an entry bundle holds (65535): read it from /v1/audit/events`,
      );
    }
    const length = Buffer.alloc(2);
    length.writeUInt16BE(data.length, 0);
    chunks.push(length, data);
  }
  return Buffer.concat(chunks);
}
