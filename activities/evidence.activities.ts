/**
 * Appends workflow evidence to the event store. Event ids are made inside the workflow, so when Temporal
 * retries this activity after a lost response the store recognises the same events and writes nothing.
 */
import { ApplicationFailure, asyncLocalStorage } from '@temporalio/activity';
import { EventIdConflictError, EvidenceError } from '../domain/evidence/evidence-errors';
import type { JsonObject } from '../domain/shared/json';
import type { AppendResult, EventStore, ExpectedRevision, NewEvidenceEvent } from '../infra/ports/event-store.port';
import type { EvidenceVouch } from '../domain/command-signature/evidence-vouch';
import { checkVouch, type CommandVouchPolicy } from './command-vouch';

export interface RecordEvidenceInput {
  stream: string;
  events: NewEvidenceEvent[];
  expectedRevision?: ExpectedRevision;
  /** What vouches for the step (see command-vouch.ts); required for a person's step. */
  vouch?: EvidenceVouch;
  /**
   * Set by a workflow that appends in a local activity. Such an append runs before the workflow task that
   * asked for it is committed; when that task fails (its worker killed, its completion lost) the retried
   * task decides the step again with the same event ids (made with the run's seeded `uuid4()`) but on a
   * later workflow clock, so the content differs. `take-recorded` answers then with what the earlier
   * attempt of this run recorded under those ids (nothing is written twice), for the workflow to fold.
   */
  onEarlierAttempt?: 'take-recorded';
}

/** What an append answers; `recorded` when an earlier attempt of the same run had recorded the batch. */
export interface RecordEvidenceResult extends AppendResult {
  recorded?: Array<{ type: string; data: JsonObject }>;
}

export interface EvidenceActivities {
  recordEvidence(input: RecordEvidenceInput): Promise<RecordEvidenceResult>;
}

export function createEvidenceActivities(store: EventStore, vouching: CommandVouchPolicy): EvidenceActivities {
  return {
    async recordEvidence(input: RecordEvidenceInput): Promise<RecordEvidenceResult> {
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
        if (input.onEarlierAttempt === 'take-recorded' && err instanceof EventIdConflictError && err.reason === 'different-content') {
          const earlier = await earlierAttempt(store, input.stream, events);
          if (earlier !== null) {
            logRecorded(input.stream, events, earlier);
            return earlier;
          }
        }
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
 * The batch as an earlier attempt of the same workflow run recorded it: every id on this stream, in one
 * run of consecutive revisions, with the same types and written by the same run; else null (a real conflict).
 */
async function earlierAttempt(store: EventStore, stream: string, events: NewEvidenceEvent[]): Promise<RecordEvidenceResult | null> {
  const runId = events[0]?.metadata?.runId;
  if (typeof runId !== 'string') return null;
  const recorded = await Promise.all(events.map((e) => store.eventById(e.id)));
  const first = recorded[0];
  if (first === null || first === undefined) return null;
  const same = recorded.every(
    (r, i) =>
      r !== null &&
      r.stream === stream &&
      r.type === events[i].type &&
      r.metadata.runId === runId &&
      r.revision === first.revision + i &&
      r.position === first.position + i,
  );
  if (!same) return null;
  const last = recorded[recorded.length - 1] as NonNullable<(typeof recorded)[number]>;
  return {
    stream,
    nextExpectedRevision: last.revision,
    lastPosition: last.position,
    alreadyRecorded: true,
    recorded: recorded.map((r) => ({ type: (r as NonNullable<typeof r>).type, data: (r as NonNullable<typeof r>).data })),
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
