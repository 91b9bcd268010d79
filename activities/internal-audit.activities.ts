/**
 * Reads the records an internal audit samples (9.2.1): each event by id, as the evidence store holds it,
 * with the global position it sits at and the actor its metadata names (its author). Records past the
 * stated position were not in the store then, so they are reported, never sampled. The workflow records
 * what this answers with the sample, so the audit can be repeated from the same position.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { SampledRecord } from '../domain/internal-audit/model';
import type { EventStore } from '../infra/ports/event-store.port';

export interface ReadSampleInput {
  eventIds: string[];
  asOfPosition: number;
}

export interface ReadSampleResult {
  records: SampledRecord[];
  /** Ids with no event in the store, or recorded after `asOfPosition`. */
  unavailable: string[];
}

export interface InternalAuditActivities {
  readAuditSample(input: ReadSampleInput): Promise<ReadSampleResult>;
}

/** At most this many records per sample: a sample is a selection, never the whole store. */
export const MAX_SAMPLE_RECORDS = 500;

export function createInternalAuditActivities(store: EventStore): InternalAuditActivities {
  return {
    async readAuditSample(input: ReadSampleInput): Promise<ReadSampleResult> {
      if (!Array.isArray(input?.eventIds) || input.eventIds.length > MAX_SAMPLE_RECORDS || !Number.isInteger(input.asOfPosition)) {
        throw ApplicationFailure.nonRetryable(`a sample is 1–${MAX_SAMPLE_RECORDS} event ids as of an integer position`, 'INVALID_SAMPLE');
      }
      const records: SampledRecord[] = [];
      const unavailable: string[] = [];
      for (const eventId of [...new Set(input.eventIds)]) {
        const event = typeof eventId === 'string' ? await store.eventById(eventId) : null;
        if (event === null || event.position > input.asOfPosition) {
          unavailable.push(String(eventId));
          continue;
        }
        const actor = event.metadata?.actor as { id?: unknown } | undefined;
        records.push({
          eventId: event.id,
          stream: event.stream,
          type: event.type,
          position: event.position,
          authorId: typeof actor?.id === 'string' ? actor.id : null,
        });
      }
      return { records, unavailable };
    },
  };
}
