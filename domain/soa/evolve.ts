/**
 * Folds what happened to the Statement of Applicability; decides nothing. Also how its events become
 * evidence (data, actor, the clauses and controls they are evidence for) and the ids the workflow gives.
 */
import { ANNEX_A_CONTROL_IDS, isAnnexAControlId } from '../catalogue/annex-a-controls';
import { isRuledControl } from './control-rules';
import { openedHumanTask, withHumanTaskDecided, withHumanTaskSuperseded } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import type { ActorRef } from '../shared/roles';
import type { SoaEvent, SoaEventType, SoaInForce, SoaRevision, SoaState, SoaTaskKind } from './model';

const updateRevision = (s: SoaState, revisionId: string, f: (r: SoaRevision) => SoaRevision): SoaState => ({
  ...s,
  revisions: s.revisions.map((r) => (r.revisionId === revisionId ? f(r) : r)),
});

const updateRequest = (s: SoaState, requestId: string, f: (r: SoaState['requests'][number]) => SoaState['requests'][number]): SoaState => ({
  ...s,
  requests: s.requests.map((r) => (r.requestId === requestId ? f(r) : r)),
});

export function evolve(s: SoaState, e: SoaEvent): SoaState {
  switch (e.type) {
    case 'SoaRevisionProposed':
      return {
        ...s,
        revisions: [
          ...s.revisions,
          {
            revisionId: e.revisionId,
            summary: e.summary,
            entries: e.entries,
            answersRequestIds: e.answersRequestIds,
            proposedBy: e.by,
            proposedAt: e.at,
            status: 'under_review',
            reviewTaskId: '',
            approvalTaskId: null,
            reviewedBy: null,
            reviewedAt: null,
            decidedBy: null,
            decidedAt: null,
            reasons: [],
            version: null,
          },
        ],
      };
    case 'HumanTaskOpened': {
      const tasks = [...s.tasks, openedHumanTask<SoaTaskKind, JsonObject>({ ...e, subject: e.subject })];
      if (e.subject.type === 'soa_revision_request')
        return { ...updateRequest(s, e.subject.requestId, (r) => ({ ...r, taskId: e.taskId })), tasks };
      const revisionId = e.subject.revisionId;
      const next = updateRevision(s, revisionId, (r) =>
        e.kind === 'soa_revision_review' ? { ...r, reviewTaskId: e.taskId } : { ...r, approvalTaskId: e.taskId },
      );
      return { ...next, tasks };
    }
    case 'HumanTaskDecided':
      return {
        ...s,
        tasks: withHumanTaskDecided(s.tasks, e),
      };
    case 'HumanTaskSuperseded':
      return {
        ...s,
        tasks: withHumanTaskSuperseded(s.tasks, e),
      };
    case 'SoaRevisionReviewed':
      return updateRevision(s, e.revisionId, (r) => ({ ...r, status: 'awaiting_approval', reviewedBy: e.by, reviewedAt: e.at }));
    case 'SoaRevisionApproved': {
      const revision = s.revisions.find((r) => r.revisionId === e.revisionId);
      const next = updateRevision(s, e.revisionId, (r) => ({
        ...r,
        status: 'approved',
        decidedBy: e.by,
        decidedAt: e.at,
        version: e.version,
      }));
      if (!revision) return next;
      const inForce: SoaInForce = {
        revisionId: e.revisionId,
        version: e.version,
        approvedAt: e.at,
        approvedBy: e.by,
        entries: revision.entries,
      };
      return { ...next, version: e.version, inForce };
    }
    case 'SoaRevisionRejected':
      return updateRevision(s, e.revisionId, (r) => ({ ...r, status: 'rejected', decidedBy: e.by, decidedAt: e.at, reasons: e.reasons }));
    case 'SoaRevisionRequested':
      return {
        ...s,
        requests: [
          ...s.requests,
          {
            requestId: e.requestId,
            taskId: '',
            reason: e.reason,
            cause: e.cause,
            requestedBy: e.by,
            requestedAt: e.at,
            status: 'open',
            answeredByRevisionId: null,
          },
        ],
      };
    case 'SoaRevisionRequestAnswered':
      return updateRequest(s, e.requestId, (r) => ({ ...r, status: 'answered', answeredByRevisionId: e.revisionId }));
    case 'SoaRevisionRequestDismissed':
      return updateRequest(s, e.requestId, (r) => ({ ...r, status: 'dismissed' }));
    case 'ControlStatusAttested':
      return {
        ...s,
        attestations: {
          ...s.attestations,
          [e.controlId]: {
            controlId: e.controlId,
            status: e.status,
            evidenceRefs: e.evidenceRefs,
            note: e.note,
            reviewBy: e.reviewBy,
            attestedBy: e.by,
            attestedAt: e.at,
          },
        },
      };
    default:
      return s;
  }
}

export function eventData(event: SoaEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

export function eventActor(event: SoaEvent): ActorRef {
  return event.by;
}

/**
 * Which clauses and Annex A controls each event is evidence for: the SoA itself is 6.1.3's documented
 * information, decided under 5.3 authority; attestations are the operation evidence of 8.1 and 9.1.
 */
export const SOA_ISO_42001_REFERENCES: Record<SoaEventType, string[]> = {
  SoaRevisionProposed: ['6.1.3', '8.3'],
  HumanTaskOpened: ['5.3', 'A.3.2'],
  HumanTaskDecided: ['5.3', 'A.3.2'],
  HumanTaskSuperseded: ['5.3'],
  SoaRevisionReviewed: ['6.1.3', '5.3'],
  SoaRevisionApproved: ['6.1.3', '5.1', '5.3', '8.3'],
  SoaRevisionRejected: ['6.1.3', '5.3'],
  SoaRevisionRequested: ['6.1.3', '8.3'],
  SoaRevisionRequestAnswered: ['6.1.3'],
  SoaRevisionRequestDismissed: ['6.1.3', '5.3'],
  // Any unruled Annex A control can be attested: the table lists them all so a reader narrowing by control finds
  // attestations; each event's metadata names only the control it is about (eventReferences).
  ControlStatusAttested: ['8.1', '9.1', ...ANNEX_A_CONTROL_IDS.filter((id) => !isRuledControl(id))],
};

/** The clauses and controls one event is evidence for (the runtime tags its evidence with them). */
export function eventReferences(event: SoaEvent): readonly string[] {
  // An attestation is also evidence for the control it is about.
  if (event.type === 'ControlStatusAttested') return isAnnexAControlId(event.controlId) ? ['8.1', '9.1', event.controlId] : ['8.1', '9.1'];
  return SOA_ISO_42001_REFERENCES[event.type];
}

/** The state after one recorded evidence event (its type and data); unknown types change nothing. */
export function evolveRecorded(s: SoaState, recorded: { type: string; data: JsonObject }): SoaState {
  return evolve(s, { type: recorded.type, ...recorded.data } as unknown as SoaEvent);
}

/** The ids the workflow gives the next revision, its tasks and the next request. */
export function nextRevisionIds(s: SoaState): { revisionId: string; reviewTaskId: string } {
  const n = s.revisions.length + 1;
  return { revisionId: `soa-revision-${n}`, reviewTaskId: `soa-revision-${n}-review` };
}
export function approvalTaskIdOf(revisionId: string): string {
  return `${revisionId}-approval`;
}
export function nextRequestIds(s: SoaState): { requestId: string; taskId: string } {
  const n = s.requests.length + 1;
  return { requestId: `soa-request-${n}`, taskId: `soa-request-${n}-task` };
}
