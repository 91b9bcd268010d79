/**
 * How workflows write audit evidence. Ids are made here, inside the workflow (`uuid4()` is deterministic
 * under replay), so when the activity is retried after a lost response the store sees the same ids and
 * writes nothing twice. Metadata carries the actor and the workflow/run that recorded the step, and the
 * clauses and Annex A controls each event is evidence for (`iso42001`).
 *
 * Since LOCAL_EVIDENCE_PATCH the append is a local activity: it runs inside the workflow task that decided
 * the step, so an Update that records one step is answered in one workflow task instead of two plus an
 * activity task's round trip through the server (issue 13 item 6: the gate is on a deploy's critical
 * path). Runs recorded before the patch replay their scheduled activities; after it, their next steps
 * append locally too. A workflow task that fails after its local append is retried with the same ids;
 * the activity then answers with what the earlier attempt recorded (`recorded`), which the step folds.
 */
import { patched, proxyActivities, proxyLocalActivities, uuid4, workflowInfo } from '@temporalio/workflow';
import type { EvidenceActivities } from '../activities/evidence.activities';
import type { EvidenceVouch } from '../domain/command-signature/evidence-vouch';
import { ISO_42001_METADATA_KEY, iso42001Tags } from '../domain/iso-references/evidence-references';
import type { AppendResult, EvidenceMetadata, JsonObject } from '../infra/ports/event-store.port';

// Evidence must land: retry until the store is back (an outage must not lose a record), except for
// refusals of the input, which the activity marks non-retryable.
const { recordEvidence: appendEvidence } = proxyActivities<EvidenceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Evidence appended by a local activity in the workflow task that decides the step. */
export const LOCAL_EVIDENCE_PATCH = 'evidence-appended-by-local-activity';

// The same policy; past the SDK's local retry threshold (1 min) the retries wait on workflow timers.
const { recordEvidence: appendEvidenceLocally } = proxyLocalActivities<EvidenceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// A type alias, not an interface, so it fits the metadata's JSON index signature.
export type EvidenceActor = { id: string; role: string };

export interface EvidenceToRecord {
  type: string;
  data: JsonObject;
  /** Clauses and Annex A controls it is evidence for; recorded as `metadata.iso42001` when any. */
  references?: readonly string[];
}

export type { EvidenceVouch };

export interface EvidenceContext {
  /** Who did it; omitted for steps the system itself takes (timers, checks). */
  actor?: EvidenceActor;
  vouch?: EvidenceVouch;
  correlationId?: string;
  causationId?: string;
}

export interface RecordedEvidence {
  ids: string[];
  result: AppendResult;
  /**
   * The batch's types and data as the store holds them, when an earlier attempt of this workflow task had
   * recorded it (on an earlier workflow clock): what the step must fold instead of what it decided again.
   */
  recorded?: Array<{ type: string; data: JsonObject }>;
}

function tagged(metadata: EvidenceMetadata, references: readonly string[] | undefined): EvidenceMetadata {
  if (references === undefined || references.length === 0) return metadata;
  const { clauses, controls } = iso42001Tags(references);
  return { ...metadata, [ISO_42001_METADATA_KEY]: { clauses, controls } };
}

export async function recordEvidence(stream: string, events: EvidenceToRecord[], context: EvidenceContext = {}): Promise<RecordedEvidence> {
  const info = workflowInfo();
  const metadata: EvidenceMetadata = {
    actor: context.actor ?? { id: 'system', role: 'system' },
    workflowId: info.workflowId,
    runId: info.runId,
    correlationId: context.correlationId ?? info.workflowId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    source: `workflow:${info.workflowType}`,
  };
  const withIds = events.map((event) => ({
    id: uuid4(),
    type: event.type,
    data: event.data,
    metadata: tagged(metadata, event.references),
  }));
  const input = { stream, events: withIds, ...(context.vouch === undefined ? {} : { vouch: context.vouch }) };
  if (!patched(LOCAL_EVIDENCE_PATCH)) return { ids: withIds.map((e) => e.id), result: await appendEvidence(input) };
  const { recorded, ...result } = await appendEvidenceLocally({ ...input, onEarlierAttempt: 'take-recorded' });
  return { ids: withIds.map((e) => e.id), result, ...(recorded === undefined ? {} : { recorded }) };
}
