/**
 * Appends workflow evidence to the event store. Event ids are made inside the workflow, so when Temporal
 * retries this activity after a lost response the store recognises the same events and writes nothing.
 */
import { ApplicationFailure, asyncLocalStorage } from '@temporalio/activity';
import { EvidenceError } from '../domain/evidence/evidence-errors';
import type { AppendResult, EventStore, ExpectedRevision, NewEvidenceEvent } from '../infra/ports/event-store.port';
import type { EvidenceVouch } from '../domain/command-signature/evidence-vouch';
import { checkVouch, type CommandVouchPolicy } from './command-vouch';

export interface RecordEvidenceInput {
  stream: string;
  events: NewEvidenceEvent[];
  expectedRevision?: ExpectedRevision;
  /** What vouches for the step (see command-vouch.ts); required for a person's step. */
  vouch?: EvidenceVouch;
}

export interface EvidenceActivities {
  recordEvidence(input: RecordEvidenceInput): Promise<AppendResult>;
}

export function createEvidenceActivities(store: EventStore, vouching: CommandVouchPolicy): EvidenceActivities {
  return {
    async recordEvidence(input: RecordEvidenceInput): Promise<AppendResult> {
      const first = input.events[0];
      if (first === undefined) return store.append(input.stream, [], { expectedRevision: input.expectedRevision ?? 'any' });
      // Checked on every attempt, and the same way: a retry records exactly what the first try would have.
      const vouched = await checkVouch(store, vouching, first.metadata ?? {}, input.vouch);
      if (!vouched.ok) throw ApplicationFailure.nonRetryable(vouched.reason, vouched.code, { code: vouched.code, reason: vouched.reason });
      // What vouched for the step, and the credential the person authenticated with, on every event of it.
      const events =
        vouched.vouchedBy === null
          ? input.events
          : input.events.map((e) => ({
              ...e,
              metadata: {
                ...e.metadata,
                vouchedBy: vouched.vouchedBy,
                ...(vouched.credential === undefined ? {} : { credential: vouched.credential }),
                ...(vouched.httpRequestId === undefined ? {} : { httpRequestId: vouched.httpRequestId }),
              },
            }));
      try {
        const result = await store.append(input.stream, events, { expectedRevision: input.expectedRevision ?? 'any' });
        logRecorded(input.stream, events, result);
        return result;
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

/**
 * One log line per recorded step, through the activity's logger (which adds the workflow id, run id,
 * activity type and attempt): the request id of the HTTP call that caused it, so an operator can follow a
 * command from the API's access log to its evidence. Ids and types only: no actor, no free text.
 * Outside an activity (a direct call in a test) there is no logger, and nothing is logged.
 */
function logRecorded(stream: string, events: NewEvidenceEvent[], result: AppendResult): void {
  const httpRequestId = events[0]?.metadata?.httpRequestId;
  asyncLocalStorage.getStore()?.log.info(result.alreadyRecorded ? 'evidence already recorded (a retry)' : 'evidence recorded', {
    stream,
    eventTypes: events.map((e) => e.type),
    eventIds: events.map((e) => e.id),
    lastPosition: result.lastPosition,
    ...(typeof httpRequestId === 'string' ? { httpRequestId } : {}),
  });
}
