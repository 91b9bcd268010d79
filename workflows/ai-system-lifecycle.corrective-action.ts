/**
 * The lifecycle's link to corrective action (clause 10.2): a monitoring breach or a serious incident opens
 * a nonconformity in the system's record, and the lifecycle starts its `nonconformity` workflow as a child
 * (ParentClosePolicy ABANDON: corrective action outlives a decommissioned system or a continue-as-new).
 * The two are linked both ways: NonconformityOpened in `ai-system-<id>` names the nonconformity, and the
 * nonconformity's first event names that NonconformityOpened event as its cause.
 */
import { ParentClosePolicy, log, patched, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { AiSystemEvent } from '../domain/ai-system';
import type { IncidentSeverity } from '../domain/ai-system/vocabulary';
import { decide, decideWithinBounds, nonconformityWorkflowId, type NonconformitySeverity } from '../domain/nonconformity';
import type { nonconformity, NonconformityTiming, NonconformityWorkflowInput } from './nonconformity.workflow';
import { eventsOfType, type Step } from './runtime/decider';
import { now } from './runtime/process';

/** The Temporal patch marking runs that start the `nonconformity` workflow; older runs replay without it. */
export const NONCONFORMITY_WORKFLOW_PATCH = 'lifecycle-starts-nonconformity-workflow';

/** Why a corrective action did not start, as the lifecycle records it (CorrectiveActionNotStarted). */
export interface NotStartedReason {
  code: string;
  message: string;
}

/**
 * How a run treats a corrective action that cannot start. Runs since ENGINE_NONCONFORMITY_IDS_PATCH
 * (`surface`) never adopt a workflow that already runs under the id and record every failure to start as
 * the lifecycle's own step (CorrectiveActionNotStarted and a task for the AIMS owner); older runs only log
 * it, and adopt an existing workflow, as they did when recorded.
 */
export type NotStartedPolicy =
  | { surface: false }
  | { surface: true; record(nonconformityId: string, openedEvidenceId: string, reason: NotStartedReason): Promise<Step<AiSystemEvent>> };

/**
 * Starts the `nonconformity` workflow of every nonconformity the step opened, once its evidence is
 * recorded (still in the step's turn, so the answer comes after the child has started). Returns the steps
 * that recorded a corrective action that could not start.
 */
export async function startCorrectiveAction(
  systemId: string,
  done: Step<AiSystemEvent>,
  timing: NonconformityTiming,
  notStarted: NotStartedPolicy = { surface: false },
): Promise<Step<AiSystemEvent>[]> {
  const opened = done.events.flatMap((e, i) => (e.type === 'NonconformityOpened' ? [{ event: e, evidenceId: done.evidenceIds[i] }] : []));
  if (opened.length === 0 || !patched(NONCONFORMITY_WORKFLOW_PATCH)) return [];
  const incidentSeverity = eventsOfType(done, 'IncidentReported')[0]?.severity ?? null;
  const recorded: Step<AiSystemEvent>[] = [];
  for (const { event, evidenceId } of opened) {
    const childInput = nonconformityInputFor(systemId, event, evidenceId, incidentSeverity, timing);
    // The child would refuse the same raise at its start; checking here keeps a lifecycle step from
    // starting a workflow that can only fail. The reference stays open in this system's record, and the
    // nonconformity can still be raised through the API.
    const { timing: childTiming, aiSystemId: _system, triggeringEvidenceEventId: _cause, ...raise } = childInput;
    // New runs' children decide within the bounds (NONCONFORMITY_BOUNDS_PATCH), so the check does too.
    const refused = (notStarted.surface ? decideWithinBounds : decide)(
      { type: 'RaiseNonconformity', ...raise, at: now(), effectivenessReviewDelay: childTiming.effectivenessReviewDelay },
      null,
    );
    if (!refused.ok) {
      if (notStarted.surface) {
        recorded.push(
          await notStarted.record(event.nonconformityId, evidenceId, { code: refused.error.code, message: refused.error.message }),
        );
      } else {
        log.warn(`nonconformity ${event.nonconformityId} not started: ${refused.error.code} ${refused.error.message}`);
      }
      continue;
    }
    const workflowId = nonconformityWorkflowId(event.nonconformityId);
    try {
      await startChild<typeof nonconformity>('nonconformity', {
        workflowId,
        args: [childInput],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // Never a second run under the same id: it would raise the nonconformity again in its stream. A
        // child whose id runs already fails to start too (Temporal's conflict policy for children).
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!notStarted.surface) {
        // Runs recorded before the patch: an existing workflow under the id was taken as the corrective action.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        continue;
      }
      // Never adopted: a workflow under this id is not one this breach started (someone raised it first),
      // so this breach's corrective action has not started, and a person must see to it.
      const reason: NotStartedReason =
        error instanceof WorkflowExecutionAlreadyStartedError
          ? { code: 'NONCONFORMITY_WORKFLOW_EXISTS', message: `A workflow ${workflowId} exists already; the lifecycle does not adopt it.` }
          : {
              code: 'CHILD_WORKFLOW_NOT_STARTED',
              message: `The workflow ${workflowId} could not be started: ${error instanceof Error ? error.message : String(error)}`,
            };
      recorded.push(await notStarted.record(event.nonconformityId, evidenceId, reason));
    }
  }
  return recorded;
}

/** How serious the nonconformity is, by what opened it: a breach is major; an incident keeps its weight. */
function severityOf(incident: IncidentSeverity | null): NonconformitySeverity {
  if (incident === null) return 'major';
  return incident === 'critical' ? 'critical' : incident === 'high' ? 'major' : 'minor';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The `nonconformity` workflow's input for a NonconformityOpened event of this system (pure, so tests and
 * the API can check the mapping). `openedEvidenceId` is the evidence id of that event: the raise names it
 * as its cause. A breach concerns control A.6.2.6 (AI systems run and watched in operation).
 */
export function nonconformityInputFor(
  systemId: string,
  opened: Extract<AiSystemEvent, { type: 'NonconformityOpened' }>,
  openedEvidenceId: string,
  incidentSeverity: IncidentSeverity | null,
  timing: NonconformityTiming,
): NonconformityWorkflowInput {
  const source = opened.source;
  return {
    nonconformityId: opened.nonconformityId,
    openedBy: { id: opened.by.id, role: opened.by.role },
    title: clip(
      source.type === 'monitoring_breach'
        ? `Monitoring threshold breached: ${source.metric} of AI system ${systemId}`
        : `Serious incident ${source.incidentId} of AI system ${systemId}`,
      200,
    ),
    description: clip(opened.description, 10_000),
    source: source.type,
    sourceReference: source.type === 'monitoring_breach' ? `${source.reportId}/${source.metric}` : source.incidentId,
    severity: severityOf(source.type === 'incident' ? incidentSeverity : null),
    aiSystemIds: [systemId],
    annexAControlIds: source.type === 'monitoring_breach' ? ['A.6.2.6'] : [],
    clauseIds: [],
    timing,
    aiSystemId: systemId,
    triggeringEvidenceEventId: openedEvidenceId,
  };
}
