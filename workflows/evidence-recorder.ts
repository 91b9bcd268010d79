/**
 * How workflows write audit evidence. Ids are made here, inside the workflow (`uuid4()` is deterministic
 * under replay), so when the activity is retried after a lost response the store sees the same ids and
 * writes nothing twice. Metadata carries the actor and the workflow/run that recorded the step, and the
 * clauses and Annex A controls each event is evidence for (`iso42001`).
 */
import { proxyActivities, uuid4, workflowInfo } from '@temporalio/workflow';
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
  const result = await appendEvidence({ stream, events: withIds, ...(context.vouch === undefined ? {} : { vouch: context.vouch }) });
  return { ids: withIds.map((e) => e.id), result };
}
