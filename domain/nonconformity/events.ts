/**
 * What happened to a nonconformity: the facts `decide` emits and `evolve` folds. Each is plain JSON and
 * self-contained (it names its nonconformity, its time and, where it matters, its round and plan), because
 * each one becomes a piece of audit evidence in stream `nonconformity-<id>` that must read on its own.
 */
import type { ActorRef } from '../shared/roles';
import type {
  CorrectiveAction,
  EffectivenessOutcome,
  NonconformitySeverity,
  NonconformitySource,
  RootCauseAnalysisMethod,
} from './nonconformity';
import type { JsonObject } from '../shared/json';

type Base<T extends string> = { type: T; nonconformityId: string; at: string };

export type NonconformityRaised = Base<'NonconformityRaised'> & {
  raisedBy: ActorRef;
  title: string;
  description: string;
  source: NonconformitySource;
  sourceReference: string | null;
  severity: NonconformitySeverity;
  aiSystemIds: string[];
  annexAControlIds: string[];
  clauseIds: string[];
  effectivenessReviewDelay: string;
};

export type ContainmentRecorded = Base<'ContainmentRecorded'> & {
  recordedBy: ActorRef;
  actions: string[];
  justification: string | null;
  evidenceRefs: string[];
};

export type RootCauseAnalysisSubmitted = Base<'RootCauseAnalysisSubmitted'> & {
  round: number;
  author: ActorRef;
  method: RootCauseAnalysisMethod;
  methodDescription: string | null;
  causes: string[];
  contributingFactors: string[];
  similarNonconformityIds: string[];
  evidenceRefs: string[];
};

export type PlannedCorrectiveAction = Pick<CorrectiveAction, 'actionId' | 'description' | 'owner' | 'dueDate'>;

export type CorrectiveActionPlanSubmitted = Base<'CorrectiveActionPlanSubmitted'> & {
  round: number;
  planId: string;
  author: ActorRef;
  actions: PlannedCorrectiveAction[];
};

export type CorrectiveActionPlanApproved = Base<'CorrectiveActionPlanApproved'> & {
  round: number;
  planId: string;
  approvedBy: ActorRef;
  comment: string | null;
};

export type CorrectiveActionPlanRejected = Base<'CorrectiveActionPlanRejected'> & {
  round: number;
  planId: string;
  rejectedBy: ActorRef;
  reasons: string[];
};

export type CorrectiveActionCompleted = Base<'CorrectiveActionCompleted'> & {
  round: number;
  planId: string;
  actionId: string;
  completedBy: ActorRef;
  evidenceRefs: string[];
  note: string | null;
};

type ActionRef = { round: number; planId: string; actionId: string; owner: string; dueDate: string };

export type CorrectiveActionReminderIssued = Base<'CorrectiveActionReminderIssued'> & ActionRef & { reminderNumber: number };

export type CorrectiveActionOverdue = Base<'CorrectiveActionOverdue'> & ActionRef;

export type CorrectiveActionEscalated = Base<'CorrectiveActionEscalated'> & ActionRef & { escalatedTo: string; level: number };

export type EffectivenessReviewScheduled = Base<'EffectivenessReviewScheduled'> & { round: number; dueAt: string };

export type EffectivenessReviewDue = Base<'EffectivenessReviewDue'> & { round: number; dueAt: string };

export type EffectivenessReviewRecorded = Base<'EffectivenessReviewRecorded'> & {
  round: number;
  reviewedBy: ActorRef;
  outcome: EffectivenessOutcome;
  findings: string;
  evidenceRefs: string[];
};

export type NonconformityClosed = Base<'NonconformityClosed'> & { round: number; closedBy: ActorRef };

export type NonconformityReopened = Base<'NonconformityReopened'> & {
  /** The round found ineffective. */
  previousRound: number;
  /** The new round, which starts with a new root-cause analysis. */
  round: number;
  reason: string;
  reopenCount: number;
};

export type NonconformityEvent =
  | NonconformityRaised
  | ContainmentRecorded
  | RootCauseAnalysisSubmitted
  | CorrectiveActionPlanSubmitted
  | CorrectiveActionPlanApproved
  | CorrectiveActionPlanRejected
  | CorrectiveActionCompleted
  | CorrectiveActionReminderIssued
  | CorrectiveActionOverdue
  | CorrectiveActionEscalated
  | EffectivenessReviewScheduled
  | EffectivenessReviewDue
  | EffectivenessReviewRecorded
  | NonconformityClosed
  | NonconformityReopened;

export type NonconformityEventType = NonconformityEvent['type'];

export const NONCONFORMITY_EVENT_TYPES = [
  'NonconformityRaised',
  'ContainmentRecorded',
  'RootCauseAnalysisSubmitted',
  'CorrectiveActionPlanSubmitted',
  'CorrectiveActionPlanApproved',
  'CorrectiveActionPlanRejected',
  'CorrectiveActionCompleted',
  'CorrectiveActionReminderIssued',
  'CorrectiveActionOverdue',
  'CorrectiveActionEscalated',
  'EffectivenessReviewScheduled',
  'EffectivenessReviewDue',
  'EffectivenessReviewRecorded',
  'NonconformityClosed',
  'NonconformityReopened',
] as const satisfies readonly NonconformityEventType[];

// Compile-time check that the list above names every event type.
const everyEventTypeListed: [Exclude<NonconformityEventType, (typeof NONCONFORMITY_EVENT_TYPES)[number]>] extends [never] ? true : false =
  true;
void everyEventTypeListed;

/** True for a stored event type this domain knows (for readers that see many streams). */
export function isNonconformityEventType(type: string): type is NonconformityEventType {
  return (NONCONFORMITY_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * The event as evidence `data` (everything but `type`). Typed as JsonObject, so this only compiles while
 * every event stays plain JSON.
 */
export function nonconformityEventData(event: NonconformityEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

/**
 * The person an event records as acting, for evidence metadata; null for the steps the workflow's timers
 * take (reminders, overdue, escalation, review scheduling and due) and for the reopening, which follows
 * from the review recorded just before it.
 */
export function nonconformityEventActor(event: NonconformityEvent): ActorRef | null {
  switch (event.type) {
    case 'NonconformityRaised':
      return event.raisedBy;
    case 'ContainmentRecorded':
      return event.recordedBy;
    case 'RootCauseAnalysisSubmitted':
    case 'CorrectiveActionPlanSubmitted':
      return event.author;
    case 'CorrectiveActionPlanApproved':
      return event.approvedBy;
    case 'CorrectiveActionPlanRejected':
      return event.rejectedBy;
    case 'CorrectiveActionCompleted':
      return event.completedBy;
    case 'EffectivenessReviewRecorded':
      return event.reviewedBy;
    case 'NonconformityClosed':
      return event.closedBy;
    case 'CorrectiveActionReminderIssued':
    case 'CorrectiveActionOverdue':
    case 'CorrectiveActionEscalated':
    case 'EffectivenessReviewScheduled':
    case 'EffectivenessReviewDue':
    case 'NonconformityReopened':
      return null;
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return null;
    }
  }
}

/**
 * Which clauses and Annex A controls each event is evidence for (ids from domain/catalogue). Clause 10.2
 * throughout; 9.1 where the process itself is being monitored; 5.3 where authority is exercised.
 */
export const NONCONFORMITY_ISO_42001_REFERENCES: Record<NonconformityEventType, string[]> = {
  NonconformityRaised: ['10.2'],
  ContainmentRecorded: ['10.2'],
  RootCauseAnalysisSubmitted: ['10.2'],
  CorrectiveActionPlanSubmitted: ['10.2'],
  CorrectiveActionPlanApproved: ['10.2', '5.3', 'A.3.2'],
  CorrectiveActionPlanRejected: ['10.2', '5.3', 'A.3.2'],
  CorrectiveActionCompleted: ['10.2'],
  CorrectiveActionReminderIssued: ['10.2', '9.1'],
  CorrectiveActionOverdue: ['10.2', '9.1'],
  CorrectiveActionEscalated: ['10.2', '9.1', '5.3'],
  EffectivenessReviewScheduled: ['10.2'],
  EffectivenessReviewDue: ['10.2'],
  EffectivenessReviewRecorded: ['10.2', '9.1'],
  NonconformityClosed: ['10.2', '10.1'],
  NonconformityReopened: ['10.2', '10.1'],
};

/** The clauses and controls one event is evidence for (the runtime tags its evidence with them). */
export function nonconformityEventReferences(event: NonconformityEvent): readonly string[] {
  return NONCONFORMITY_ISO_42001_REFERENCES[event.type];
}
