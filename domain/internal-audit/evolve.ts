/**
 * Folds what happened to an internal audit (decides nothing), and how its events become evidence: their
 * data, their actor, and the clauses and controls they are evidence for.
 */
import { openedHumanTask } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import type { ActorRef } from '../shared/roles';
import type { AuditFollowUpTask, InternalAuditEvent, InternalAuditEventType, InternalAuditState } from './model';

export function evolve(s: InternalAuditState, e: InternalAuditEvent): InternalAuditState {
  if (e.type === 'AuditPlanned') {
    const { type: _t, auditId, by, at, ...plan } = e;
    return {
      auditId,
      status: 'planned',
      plan,
      plannedBy: by,
      plannedAt: at,
      fieldworkStartedAt: null,
      samples: [],
      checklist: [],
      findings: [],
      report: null,
      closedAt: null,
    };
  }
  if (s === null) return s;
  switch (e.type) {
    case 'AuditFieldworkStarted':
      return { ...s, status: 'fieldwork', fieldworkStartedAt: e.at };
    case 'AuditSampleRecorded':
      return {
        ...s,
        samples: [...s.samples, { sampleId: e.sampleId, asOfPosition: e.asOfPosition, records: e.records, takenBy: e.by, takenAt: e.at }],
      };
    case 'AuditChecklistResultRecorded': {
      const { type: _t, ...result } = e;
      // The latest result per criterion stands (an auditor may revise one during fieldwork).
      return { ...s, checklist: [...s.checklist.filter((r) => r.criterionId !== e.criterionId), result] };
    }
    case 'AuditFindingRecorded':
      return {
        ...s,
        findings: [
          ...s.findings,
          {
            findingId: e.findingId,
            type: e.findingType,
            criterionId: e.criterionId,
            area: e.area,
            statement: e.statement,
            evidenceRefs: e.evidenceRefs,
            recordedBy: e.by,
            recordedAt: e.at,
            nonconformityId: e.nonconformityId,
            correctiveAction: e.nonconformityId === null ? null : 'opened',
          },
        ],
      };
    case 'AuditReportIssued':
      return { ...s, status: 'follow_up', report: { summary: e.summary, conclusion: e.conclusion, issuedBy: e.by, issuedAt: e.at } };
    case 'FindingCorrectiveActionNoted':
      return {
        ...s,
        findings: s.findings.map((f) => (f.nonconformityId === e.nonconformityId ? { ...f, correctiveAction: e.progress } : f)),
      };
    case 'AuditClosed':
      return { ...s, status: 'closed', closedAt: e.at };
    case 'HumanTaskOpened':
      return { ...s, followUp: { ...openedHumanTask(e), assignee: e.assignee } };
    case 'HumanTaskReminderSent':
    case 'HumanTaskEscalated':
    case 'HumanTaskDecided':
      return { ...s, followUp: followUpAfter(s.followUp, e) };
  }
}

/** The follow-up task after a reminder, an escalation or its closing. */
function followUpAfter(t: AuditFollowUpTask | undefined, e: InternalAuditEvent): AuditFollowUpTask | undefined {
  if (t === undefined || !('taskId' in e) || e.taskId !== t.taskId) return t;
  if (e.type === 'HumanTaskReminderSent') return { ...t, reminderSentAt: e.at };
  if (e.type === 'HumanTaskEscalated') return { ...t, escalatedAt: e.at, escalatedTo: e.escalatedTo };
  if (e.type === 'HumanTaskDecided')
    return { ...t, status: 'decided', decision: { outcome: e.outcome, by: e.by, reasons: e.reasons, at: e.at } };
  return t;
}

export function replayInternalAudit(events: readonly InternalAuditEvent[]): InternalAuditState {
  return events.reduce<InternalAuditState>(evolve, null);
}

export function internalAuditEventData(event: InternalAuditEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

/** The auditor (or planner) who took the step; null for what the process heard from a corrective action. */
export function internalAuditEventActor(event: InternalAuditEvent): ActorRef | null {
  return 'by' in event ? event.by : null;
}

/**
 * What each event is evidence for: the audit itself is 9.2.1's documented information (planning, criteria
 * and scope, objectivity, results reported); nonconformity findings and their follow-up are 10.2's.
 */
export const INTERNAL_AUDIT_ISO_42001_REFERENCES: Record<InternalAuditEventType, string[]> = {
  AuditPlanned: ['9.2.1', '9.2.2'],
  AuditFieldworkStarted: ['9.2.1'],
  AuditSampleRecorded: ['9.2.1'],
  AuditChecklistResultRecorded: ['9.2.1'],
  // 10.2 only for a nonconformity finding (internalAuditEventReferences); listed so a scan for 10.2 finds them.
  AuditFindingRecorded: ['9.2.1', '10.2'],
  AuditReportIssued: ['9.2.1'],
  FindingCorrectiveActionNoted: ['9.2.1', '10.2'],
  AuditClosed: ['9.2.1'],
  // The follow-up as the lead auditor's assigned work (5.3); following up findings is 9.2.1's and 10.2's.
  HumanTaskOpened: ['9.2.1', '10.2', '5.3'],
  HumanTaskReminderSent: ['9.2.1', '5.3'],
  HumanTaskEscalated: ['9.2.1', '5.3'],
  HumanTaskDecided: ['9.2.1', '10.2', '5.3'],
};

export function internalAuditEventReferences(event: InternalAuditEvent): readonly string[] {
  if (event.type === 'AuditFindingRecorded' && event.nonconformityId === null) return ['9.2.1'];
  return INTERNAL_AUDIT_ISO_42001_REFERENCES[event.type];
}
