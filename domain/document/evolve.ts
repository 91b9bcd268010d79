/**
 * Folds what happened to a document; decides nothing. Also how its events become evidence (data, actor,
 * the clauses and controls they are evidence for) and what the process must do by itself next.
 */
import { nextTaskDeadline, openedHumanTask, withHumanTaskDecided, withHumanTaskSuperseded } from '../shared/human-task';
import type { JsonObject } from '../shared/json';
import type { ActorRef } from '../shared/roles';
import { DEFAULT_ACKNOWLEDGEMENT_TIME, DEFAULT_DECISION_TIME } from './authority';
import type {
  DocumentCommand,
  DocumentEvent,
  DocumentEventType,
  DocumentRecord,
  DocumentState,
  DocumentTask,
  DocumentTaskSubject,
  DocumentVersion,
  DocumentTaskKind,
} from './model';

const withVersion = (d: DocumentRecord, version: number, f: (v: DocumentVersion) => DocumentVersion): DocumentRecord => ({
  ...d,
  versions: d.versions.map((v) => (v.version === version ? f(v) : v)),
});

export function evolve(s: DocumentState, e: DocumentEvent): DocumentState {
  if (e.type === 'DocumentCreated') {
    return {
      documentId: e.documentId,
      kind: e.kind,
      title: e.title,
      owner: e.owner,
      classification: e.classification,
      retention: e.retention,
      acknowledgementRoles: e.acknowledgementRoles,
      reviewInterval: e.reviewInterval,
      decisionTime: e.decisionTime ?? DEFAULT_DECISION_TIME,
      acknowledgementTime: e.acknowledgementTime ?? DEFAULT_ACKNOWLEDGEMENT_TIME,
      createdBy: e.by,
      createdAt: e.at,
      versions: [],
      publishedVersion: null,
      reviewDueAt: null,
      reviews: [],
      acknowledgements: [],
      tasks: [],
    };
  }
  if (s === null) return s;
  switch (e.type) {
    case 'DocumentVersionSubmitted':
      return {
        ...s,
        versions: [
          ...s.versions,
          {
            version: e.version,
            markdown: e.markdown,
            markdownDigest: e.markdownDigest,
            attachments: e.attachments,
            changeSummary: e.changeSummary,
            change: e.change,
            submittedBy: e.by,
            submittedAt: e.at,
            status: 'in_review',
            review: null,
            approval: null,
            returned: null,
            publishedAt: null,
            obsoleteAt: null,
          },
        ],
      };
    case 'HumanTaskOpened': {
      const task: DocumentTask = { ...openedHumanTask<DocumentTaskKind, DocumentTaskSubject>(e), assignee: e.assignee ?? null };
      // An acknowledgement task is also the acknowledgement register's entry: who must acknowledge which version.
      const acknowledgements =
        e.kind === 'document_acknowledgement' && e.assignee !== null
          ? [
              ...s.acknowledgements,
              { version: e.subject.version, identity: e.assignee, taskId: e.taskId, requestedAt: e.at, acknowledgedAt: null },
            ]
          : s.acknowledgements;
      return { ...s, tasks: [...s.tasks, task], acknowledgements };
    }
    case 'HumanTaskDecided':
      return { ...s, tasks: withHumanTaskDecided(s.tasks, e) };
    case 'HumanTaskSuperseded':
      return { ...s, tasks: withHumanTaskSuperseded(s.tasks, e) };
    case 'HumanTaskReminderSent':
      return { ...s, tasks: s.tasks.map((t) => (t.taskId === e.taskId ? { ...t, reminderSentAt: e.at } : t)) };
    case 'HumanTaskEscalated':
      return { ...s, tasks: s.tasks.map((t) => (t.taskId === e.taskId ? { ...t, escalatedAt: e.at, escalatedTo: e.escalatedTo } : t)) };
    case 'DocumentVersionReviewed':
      return withVersion(s, e.version, (v) => ({ ...v, status: 'awaiting_approval', review: { by: e.by, at: e.at, reasons: [] } }));
    case 'DocumentVersionReturned':
      return withVersion(s, e.version, (v) => ({
        ...v,
        status: e.outcome === 'rejected' ? 'rejected' : 'changes_requested',
        returned: { by: e.by, at: e.at, reasons: e.reasons, stage: e.stage, outcome: e.outcome },
      }));
    case 'DocumentVersionPublished': {
      const published = withVersion(s, e.version, (v) => ({
        ...v,
        status: 'published',
        approval: { by: e.by, at: e.at, reasons: [] },
        publishedAt: e.at,
      }));
      const next =
        e.obsoletes === null ? published : withVersion(published, e.obsoletes, (v) => ({ ...v, status: 'obsolete', obsoleteAt: e.at }));
      return { ...next, publishedVersion: e.version, reviewDueAt: e.reviewDueAt };
    }
    case 'DocumentAcknowledgementsRequested':
      return s;
    case 'DocumentAcknowledged':
      return {
        ...s,
        acknowledgements: s.acknowledgements.map((a) => (a.taskId === e.taskId ? { ...a, acknowledgedAt: e.at } : a)),
      };
    case 'DocumentReviewDue':
      return s;
    case 'DocumentReviewConfirmed':
      return {
        ...s,
        reviewDueAt: e.reviewDueAt,
        reviews: [...s.reviews, { version: e.version, confirmedBy: e.by, at: e.at, note: e.note }],
      };
    default:
      return s;
  }
}

export function eventData(event: DocumentEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

export function eventActor(event: DocumentEvent): ActorRef {
  return event.by;
}

/**
 * What each event is evidence for: document control (7.5.2 creating and updating: identification, review
 * and approval; 7.5.3 control: distribution, versions, retention), authority (5.3, A.3.2), awareness of the
 * policy (7.3), the AI policy itself (5.2, A.2.2–A.2.4), planned changes (6.3) and information for users
 * (A.8.2). The table lists every reference a type can carry; `eventReferences` narrows by the document's kind.
 */
export const DOCUMENT_ISO_42001_REFERENCES: Record<DocumentEventType, string[]> = {
  DocumentCreated: ['7.5.1', '7.5.2', '7.5.3'],
  DocumentVersionSubmitted: ['7.5.2', '6.3', '5.2', 'A.2.2', 'A.2.3', 'A.8.2'],
  HumanTaskOpened: ['5.3', 'A.3.2', '7.3'],
  HumanTaskDecided: ['5.3', 'A.3.2', '7.3'],
  HumanTaskReminderSent: ['5.3'],
  HumanTaskEscalated: ['5.3'],
  HumanTaskSuperseded: ['5.3'],
  DocumentVersionReviewed: ['7.5.2', 'A.2.4'],
  DocumentVersionReturned: ['7.5.2'],
  DocumentVersionPublished: ['7.5.2', '7.5.3', '5.2', '5.1', '6.3', 'A.2.2', 'A.8.2'],
  DocumentAcknowledgementsRequested: ['7.3', '7.4', '7.5.3'],
  DocumentAcknowledged: ['7.3'],
  DocumentReviewDue: ['7.5.2', 'A.2.4'],
  DocumentReviewConfirmed: ['7.5.2', 'A.2.4'],
};

/** The clauses and controls one event is evidence for (the runtime tags its evidence with them). */
export function eventReferences(event: DocumentEvent): readonly string[] {
  if (event.type === 'HumanTaskOpened' || event.type === 'HumanTaskDecided')
    return event.kind === 'document_acknowledgement' ? ['7.3'] : ['5.3', 'A.3.2'];
  return DOCUMENT_ISO_42001_REFERENCES[event.type];
}

/** The state after one recorded evidence event (its type and data); unknown types change nothing. */
export function evolveRecorded(s: DocumentState, recorded: { type: string; data: JsonObject }): DocumentState {
  return evolve(s, { type: recorded.type, ...recorded.data } as unknown as DocumentEvent);
}

/** What the process must do by itself next: remind and escalate open tasks, open the periodic review. */
export function nextDocumentFollowUp(
  s: DocumentState,
  escalationAfterMs: number,
): { at: number; summary: string; command: (at: string) => DocumentCommand } | null {
  if (s === null) return null;
  const candidates: { at: number; summary: string; command: (at: string) => DocumentCommand }[] = [];
  for (const t of s.tasks) {
    const deadline = nextTaskDeadline(t, escalationAfterMs);
    if (deadline === null) continue;
    const taskId = t.taskId;
    candidates.push(
      t.reminderSentAt === null
        ? {
            at: Date.parse(deadline),
            summary: `reminder for task ${taskId}`,
            command: (at) => ({ type: 'SendDocumentTaskReminder', taskId, at }),
          }
        : {
            at: Date.parse(deadline),
            summary: `escalation of task ${taskId}`,
            command: (at) => ({ type: 'EscalateDocumentTask', taskId, escalationAfterMs, at }),
          },
    );
  }
  const reviewOpen = s.tasks.some((t) => t.kind === 'document_periodic_review' && t.status === 'open');
  if (s.publishedVersion !== null && s.reviewDueAt !== null && !reviewOpen)
    candidates.push({
      at: Date.parse(s.reviewDueAt),
      summary: `review of ${s.documentId}`,
      command: (at) => ({ type: 'OpenPeriodicReview', at }),
    });
  return candidates.sort((a, b) => a.at - b.at)[0] ?? null;
}
