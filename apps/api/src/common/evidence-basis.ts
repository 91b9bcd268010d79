/**
 * The basis of a report (domain/report ReportBasis): the last event of the evidence log at or before the
 * point the reader asked for, with its position, recordedAt and chain hash, so the report says exactly
 * which records it was computed from and the reader can check that event. Found in O(log n) single-event
 * reads (recordedAt never goes backwards along the chain), never by walking the log.
 */
import type { ReportBasis } from '../../../../domain/report/model';
import type { AsOf, EventStore, RecordedEvidenceEvent } from '../../../../infra/ports/event-store.port';

async function eventAt(store: EventStore, position: number): Promise<RecordedEvidenceEvent | null> {
  for await (const e of store.readAll({ fromPosition: position, toPosition: position, maxCount: 1 })) return e;
  return null;
}

/** The last position whose event was recorded at or before `time` (0: none), by bisection. */
async function lastPositionAtOrBefore(store: EventStore, time: string, head: number): Promise<number> {
  const limit = Date.parse(time);
  let low = 0; // recorded at or before
  let high = head + 1; // recorded after
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    const e = await eventAt(store, mid);
    if (e !== null && Date.parse(e.recordedAt) <= limit) low = mid;
    else high = mid;
  }
  return low;
}

/**
 * The basis as of `asOf` (default: the head now). `asOfText` is what the reader typed, shown in the report;
 * a position beyond the head is the head (the records then are all there are).
 */
export async function evidenceBasis(store: EventStore, asOf?: AsOf, asOfText?: string): Promise<ReportBasis> {
  const head = (await store.head())?.position ?? 0;
  let position = head;
  if (asOf !== undefined && 'position' in asOf) position = Math.min(asOf.position, head);
  if (asOf !== undefined && 'time' in asOf) position = await lastPositionAtOrBefore(store, new Date(asOf.time).toISOString(), head);
  const event = position === 0 ? null : await eventAt(store, position);
  return {
    position: event?.position ?? 0,
    ...(event === null ? {} : { recordedAt: event.recordedAt, hash: event.hash }),
    ...(asOfText === undefined ? {} : { asOf: asOfText }),
  };
}
