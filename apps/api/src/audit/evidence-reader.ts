/**
 * Pages of evidence for the audit endpoints, read straight from the event store (not from projections:
 * auditors see the record itself). Each page streams from the store and stops after `limit + 1` events,
 * so memory is bounded by the page, whatever the store holds.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InvalidReadOptionsError } from '../../../../domain/evidence/evidence-errors';
import { isStreamInCategory } from '../../../../domain/evidence/stream-name';
import { evidenceCandidates, isEvidenceFor } from '../../../../domain/iso-references/evidence-references';
import type { AsOf, EventStore, RecordedEvidenceEvent } from '../../../../infra/ports/event-store.port';
import { invalidField } from '../common/problems';
import { EVENT_STORE } from '../stores/store.tokens';

export interface EvidencePage {
  items: RecordedEvidenceEvent[];
  nextCursor: string | null;
}

export interface EvidenceQuery {
  categories?: string[];
  types?: string[];
  /** Only evidence for this ISO/IEC 42001 clause (with its sub-clauses) or Annex A control. */
  reference?: string;
  stream?: string;
  fromPosition?: number;
  asOf?: AsOf;
  limit: number;
  cursor?: string;
}

/** Cursors: after a global position (across streams) or after a revision (within one stream). */
type Cursor = { after: number } | { afterRevision: number };

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decode(raw: string | undefined, kind: 'after' | 'afterRevision'): number | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
    const n = value[kind];
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= -1 && Object.keys(value).length === 1) return n;
  } catch {
    // reported below
  }
  throw invalidField('cursor', 'is not a nextCursor of this listing');
}

@Injectable()
export class EvidenceReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async events(query: EvidenceQuery): Promise<EvidencePage> {
    if (query.stream !== undefined) return this.streamEvents(query.stream, query);
    const narrowed = narrowTo(query);
    if (narrowed === null) return { items: [], nextCursor: null };
    const after = Math.max((query.fromPosition ?? 1) - 1, decode(query.cursor, 'after') ?? 0);
    const asOf = query.asOf;
    const toPosition = asOf && 'position' in asOf ? asOf.position : undefined;
    if (toPosition !== undefined && toPosition <= after) return { items: [], nextCursor: null };
    const asOfTime = asOf && 'time' in asOf ? new Date(asOf.time).toISOString() : undefined;
    const items: RecordedEvidenceEvent[] = [];
    const source = this.store.readAll({
      fromPosition: after + 1,
      toPosition,
      categories: narrowed.categories,
      types: narrowed.types,
      pageSize: Math.min(query.limit + 1, 1000),
      // With a reference, the store narrows to the types that can cite it and each event is then checked.
      maxCount: query.reference === undefined ? query.limit + 1 : undefined,
    });
    for await (const event of source) {
      // recordedAt never decreases along positions, so "as of T" is a prefix of the global order.
      if (asOfTime !== undefined && event.recordedAt > asOfTime) break;
      if (query.reference !== undefined && !isEvidenceFor(event, query.reference)) continue;
      items.push(event);
      if (items.length > query.limit) break;
    }
    return this.page(items, query.limit, (last) => ({ after: last.position }));
  }

  /** A stream's events in revision order (as of a point), filtered; 404 is the caller's to decide. */
  async streamEvents(stream: string, query: Omit<EvidenceQuery, 'stream'>): Promise<EvidencePage> {
    if (query.categories && !query.categories.some((c) => isStreamInCategory(stream, c))) return { items: [], nextCursor: null };
    const fromRevision = (decode(query.cursor, 'afterRevision') ?? -1) + 1;
    const items: RecordedEvidenceEvent[] = [];
    const types = query.types ? new Set(query.types) : undefined;
    for await (const event of this.store.readStream(stream, {
      fromRevision,
      asOf: query.asOf,
      pageSize: Math.min(query.limit + 1, 1000),
    })) {
      if (query.fromPosition !== undefined && event.position < query.fromPosition) continue;
      if (types && !types.has(event.type)) continue;
      if (query.reference !== undefined && !isEvidenceFor(event, query.reference)) continue;
      items.push(event);
      if (items.length > query.limit) break;
    }
    return this.page(items, query.limit, (last) => ({ afterRevision: last.revision }));
  }

  /** The stream's revision as of the point; null when it had no events then. */
  streamRevision(stream: string, asOf?: AsOf): Promise<number | null> {
    return this.store.streamRevision(stream, asOf);
  }

  private page(items: RecordedEvidenceEvent[], limit: number, cursorOf: (last: RecordedEvidenceEvent) => Cursor): EvidencePage {
    if (items.length <= limit) return { items, nextCursor: null };
    const kept = items.slice(0, limit);
    return { items: kept, nextCursor: encode(cursorOf(kept[kept.length - 1])) };
  }
}

/**
 * The categories and types the store is asked for: the caller's, intersected with where evidence for the
 * reference can be; null when nothing can match.
 */
function narrowTo(query: EvidenceQuery): { categories?: string[]; types?: string[] } | null {
  if (query.reference === undefined) return { categories: query.categories, types: query.types };
  const candidates = evidenceCandidates(query.reference);
  if (candidates === null) return null;
  const types = query.types === undefined ? candidates.types : query.types.filter((t) => candidates.types.includes(t));
  // The caller's categories may be narrower than a process's (`ai-system-credit`): kept as given, each
  // event is checked anyway.
  const categories = query.categories ?? candidates.categories;
  return types.length === 0 ? null : { categories, types };
}

/** Store refusals of read options are the caller's mistake: 400 naming the option. */
export function asBadRequest(error: unknown): never {
  if (error instanceof InvalidReadOptionsError) throw invalidField(error.option, error.problem);
  throw error;
}
