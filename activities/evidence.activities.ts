/**
 * Appends workflow evidence to the event store. Event ids are made inside the workflow, so when Temporal
 * retries this activity after a lost response the store recognises the same events and writes nothing.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { EvidenceError } from '../domain/evidence/evidence-errors';
import type { AppendResult, EventStore, ExpectedRevision, NewEvidenceEvent } from '../infra/ports/event-store.port';

export interface RecordEvidenceInput {
  stream: string;
  events: NewEvidenceEvent[];
  expectedRevision?: ExpectedRevision;
}

export interface EvidenceActivities {
  recordEvidence(input: RecordEvidenceInput): Promise<AppendResult>;
}

export function createEvidenceActivities(store: EventStore): EvidenceActivities {
  return {
    async recordEvidence(input: RecordEvidenceInput): Promise<AppendResult> {
      try {
        return await store.append(input.stream, input.events, { expectedRevision: input.expectedRevision ?? 'any' });
      } catch (err) {
        // Refusals of the input (bad event, conflicting id, wrong revision) will not change on retry;
        // anything else (database unreachable) is retried by Temporal's policy.
        if (err instanceof EvidenceError) {
          throw ApplicationFailure.nonRetryable(err.message, err.code, { code: err.code, name: err.name });
        }
        throw err;
      }
    },
  };
}
