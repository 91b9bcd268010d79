/**
 * The organisation's AI risk criteria as a governed, versioned process (ISO/IEC 42001 6.1.1, 6.1.2, 5.3).
 * One stream, `risk-criteria-organisation`; one workflow. A version is drafted, reviewed by someone else,
 * then approved by top management or the AIMS owner, never by its author (segregation of duties, A.3.2);
 * each approval makes the next version, which applies from then on. Each step is evidence, and each
 * decision is a human task in the one inbox.
 */
import { domainError, type DomainError } from '../shared/domain-error';
import { checkHumanTaskDecision, openedHumanTask, type HumanTask, type HumanTaskOutcome, withHumanTaskDecided } from '../shared/human-task';
import { addMilliseconds } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import { criteriaContentIssues, type RiskCriteriaContent, type RiskCriteriaSnapshot } from './criteria';

export const RISK_CRITERIA_CATEGORY = 'risk-criteria';
export const RISK_CRITERIA_STREAM = `${RISK_CRITERIA_CATEGORY}-organisation`;
export const RISK_CRITERIA_WORKFLOW_ID = RISK_CRITERIA_STREAM;
export const RISK_CRITERIA_SYSTEM_ACTOR: ActorRef = { id: 'aims:risk-criteria', role: 'system' };

/** Who drafts a version, who reviews it, who approves it. */
export const CRITERIA_DRAFT_ROLES: readonly AimsRole[] = ['aims_owner', 'risk_owner', 'top_management'];
export const CRITERIA_REVIEW_ROLES: readonly AimsRole[] = ['risk_owner', 'aims_owner', 'top_management'];
export const CRITERIA_APPROVAL_ROLES: readonly AimsRole[] = ['top_management', 'aims_owner'];
/** How long each decision may take before its task is overdue. */
export const CRITERIA_DECISION_TIME_MS = 10 * 24 * 3_600_000;

export type RiskCriteriaTaskKind = 'risk_criteria_review' | 'risk_criteria_approval';

export type DraftRiskCriteria = {
  type: 'DraftRiskCriteria';
  draftId: string;
  content: RiskCriteriaContent;
  justification: string;
  by: Actor;
  at: string;
};
export type DecideRiskCriteriaTask = {
  type: 'DecideRiskCriteriaTask';
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
  by: Actor;
  at: string;
};
export type RiskCriteriaCommand = DraftRiskCriteria | DecideRiskCriteriaTask;

type Base = { by: ActorRef; at: string };
export type RiskCriteriaDrafted = Base & {
  type: 'RiskCriteriaDrafted';
  draftId: string;
  content: RiskCriteriaContent;
  justification: string;
};
export type CriteriaTaskOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: RiskCriteriaTaskKind;
  requiredRoles: AimsRole[];
  subject: { type: 'risk_criteria_draft'; draftId: string };
  requestedBy: string;
  dueAt: string;
};
export type CriteriaTaskDecided = Base & {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: RiskCriteriaTaskKind;
  outcome: HumanTaskOutcome;
  reasons: string[];
};
export type RiskCriteriaReviewed = Base & { type: 'RiskCriteriaReviewed'; draftId: string };
export type RiskCriteriaApproved = Base & { type: 'RiskCriteriaApproved'; draftId: string; version: number };
/** Sent back at review or refused at approval: the draft is closed, a new draft replaces it. */
export type RiskCriteriaReturned = Base & {
  type: 'RiskCriteriaReturned';
  draftId: string;
  stage: 'review' | 'approval';
  reasons: string[];
};

export type RiskCriteriaEvent =
  RiskCriteriaDrafted | CriteriaTaskOpened | CriteriaTaskDecided | RiskCriteriaReviewed | RiskCriteriaApproved | RiskCriteriaReturned;
export type RiskCriteriaEventType = RiskCriteriaEvent['type'];

export type CriteriaDraftStatus = 'in_review' | 'awaiting_approval' | 'approved' | 'returned';
export interface CriteriaDraft {
  draftId: string;
  content: RiskCriteriaContent;
  justification: string;
  draftedBy: ActorRef;
  draftedAt: string;
  status: CriteriaDraftStatus;
  reviewedBy: ActorRef | null;
  decidedBy: ActorRef | null;
  decidedAt: string | null;
  reasons: string[];
  version: number | null;
}

export interface ApprovedCriteriaVersion extends RiskCriteriaSnapshot {
  draftId: string;
  approvedBy: ActorRef;
  approvedAt: string;
}

export interface RiskCriteriaState {
  /** Every approved version, oldest first; the last applies. Empty until the first approval. */
  versions: ApprovedCriteriaVersion[];
  drafts: CriteriaDraft[];
  tasks: HumanTask<RiskCriteriaTaskKind, JsonObject>[];
}

export const INITIAL_RISK_CRITERIA_STATE: RiskCriteriaState = { versions: [], drafts: [], tasks: [] };

/** The version that applies now, or null before the first approval. */
export function criteriaInForce(s: RiskCriteriaState): ApprovedCriteriaVersion | null {
  return s.versions.at(-1) ?? null;
}

/** The version that applied at an instant (the last approved at or before it), or null. */
export function criteriaAsOf(s: RiskCriteriaState, at: string): ApprovedCriteriaVersion | null {
  return [...s.versions].reverse().find((v) => Date.parse(v.approvedAt) <= Date.parse(at)) ?? null;
}

/** The id the workflow gives the next draft, and its tasks' ids follow from it. */
export function nextDraftId(s: RiskCriteriaState): string {
  return `criteria-draft-${s.drafts.length + 1}`;
}

const reviewTaskId = (draftId: string): string => `${draftId}-review`;
const approvalTaskId = (draftId: string): string => `${draftId}-approval`;

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, DomainError> =>
  err(domainError(code, message, details));

function draft(c: DraftRiskCriteria, s: RiskCriteriaState): Result<RiskCriteriaEvent[], DomainError> {
  const v = new ValidationIssues();
  v.text('draftId', c.draftId);
  if (v.text('justification', c.justification) && c.justification.length > 4000) v.add('justification', 'must be at most 4000 characters');
  v.addAll(criteriaContentIssues(c.content, 'content'));
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const problem = actorProblem(c.by);
  if (problem) return refuse('INVALID_ACTOR', problem);
  if (!CRITERIA_DRAFT_ROLES.some((r) => c.by.roles.includes(r)))
    return refuse('MISSING_ROLE', `${c.by.id} cannot draft risk criteria: it needs one of the roles ${CRITERIA_DRAFT_ROLES.join(', ')}.`, {
      actorId: c.by.id,
      actorRoles: [...c.by.roles],
      requiredRoles: [...CRITERIA_DRAFT_ROLES],
    });
  if (s.drafts.some((d) => d.draftId === c.draftId))
    return refuse('DUPLICATE_ID', `A draft ${c.draftId} already exists.`, { id: c.draftId });
  const pending = s.drafts.find((d) => d.status === 'in_review' || d.status === 'awaiting_approval');
  if (pending)
    return refuse('RISK_CRITERIA_DRAFT_PENDING', `Draft ${pending.draftId} of the risk criteria awaits its decision; decide it first.`, {
      draftId: pending.draftId,
    });
  const by = actingAs(c.by, CRITERIA_DRAFT_ROLES);
  return ok([
    { type: 'RiskCriteriaDrafted', draftId: c.draftId, content: c.content, justification: c.justification, by, at: c.at },
    opened(reviewTaskId(c.draftId), 'risk_criteria_review', CRITERIA_REVIEW_ROLES, c.draftId, c.by.id, by, c.at),
  ]);
}

function opened(
  taskId: string,
  kind: RiskCriteriaTaskKind,
  roles: readonly AimsRole[],
  draftId: string,
  requestedBy: string,
  by: ActorRef,
  at: string,
): CriteriaTaskOpened {
  return {
    type: 'HumanTaskOpened',
    taskId,
    kind,
    requiredRoles: [...roles],
    subject: { type: 'risk_criteria_draft', draftId },
    requestedBy,
    dueAt: addMilliseconds(at, CRITERIA_DECISION_TIME_MS),
    by,
    at,
  };
}

function decideTask(c: DecideRiskCriteriaTask, s: RiskCriteriaState): Result<RiskCriteriaEvent[], DomainError> {
  const task = s.tasks.find((t) => t.taskId === c.taskId);
  const allowed: HumanTaskOutcome[] = task?.kind === 'risk_criteria_review' ? ['approved', 'changes_requested'] : ['approved', 'rejected'];
  const d = s.drafts.find((x) => task !== undefined && x.draftId === task.subject.draftId);
  // The author never reviews or approves their own criteria, however their name is spelled.
  const conflicts = d === undefined ? [] : [{ identity: d.draftedBy.id, conflict: 'author', act: `drafted risk criteria ${d.draftId}` }];
  const checked = checkHumanTaskDecision(
    task,
    { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by },
    allowed,
    conflicts,
  );
  if (!checked.ok) return checked;
  if (task === undefined || d === undefined) return refuse('HUMAN_TASK_CLOSED', `Task ${c.taskId} has no draft awaiting a decision.`);
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((r) => typeof r === 'string' && r.trim() !== '');
  const decided: CriteriaTaskDecided = {
    type: 'HumanTaskDecided',
    taskId: c.taskId,
    kind: task.kind,
    outcome: c.outcome,
    reasons,
    by,
    at: c.at,
  };
  if (c.outcome !== 'approved') {
    const stage = task.kind === 'risk_criteria_review' ? 'review' : 'approval';
    return ok([decided, { type: 'RiskCriteriaReturned', draftId: d.draftId, stage, reasons, by, at: c.at }]);
  }
  if (task.kind === 'risk_criteria_review') {
    return ok([
      decided,
      { type: 'RiskCriteriaReviewed', draftId: d.draftId, by, at: c.at },
      opened(approvalTaskId(d.draftId), 'risk_criteria_approval', CRITERIA_APPROVAL_ROLES, d.draftId, d.draftedBy.id, by, c.at),
    ]);
  }
  return ok([decided, { type: 'RiskCriteriaApproved', draftId: d.draftId, version: s.versions.length + 1, by, at: c.at }]);
}

export function decide(command: RiskCriteriaCommand, state: RiskCriteriaState): Result<RiskCriteriaEvent[], DomainError> {
  if (command === null || typeof command !== 'object') return refuse('UNKNOWN_COMMAND', 'A command is an object with a type.');
  switch (command.type) {
    case 'DraftRiskCriteria':
      return draft(command, state);
    case 'DecideRiskCriteriaTask':
      return decideTask(command, state);
    default:
      return refuse('UNKNOWN_COMMAND', `${String((command as { type: unknown }).type)} is not a risk-criteria command.`);
  }
}

const updateDraft = (s: RiskCriteriaState, draftId: string, f: (d: CriteriaDraft) => CriteriaDraft): RiskCriteriaState => ({
  ...s,
  drafts: s.drafts.map((d) => (d.draftId === draftId ? f(d) : d)),
});

export function evolve(s: RiskCriteriaState, e: RiskCriteriaEvent): RiskCriteriaState {
  switch (e.type) {
    case 'RiskCriteriaDrafted':
      return {
        ...s,
        drafts: [
          ...s.drafts,
          {
            draftId: e.draftId,
            content: e.content,
            justification: e.justification,
            draftedBy: e.by,
            draftedAt: e.at,
            status: 'in_review',
            reviewedBy: null,
            decidedBy: null,
            decidedAt: null,
            reasons: [],
            version: null,
          },
        ],
      };
    case 'HumanTaskOpened':
      return { ...s, tasks: [...s.tasks, openedHumanTask<RiskCriteriaTaskKind, JsonObject>({ ...e, subject: e.subject })] };
    case 'HumanTaskDecided':
      return {
        ...s,
        tasks: withHumanTaskDecided(s.tasks, e),
      };
    case 'RiskCriteriaReviewed':
      return updateDraft(s, e.draftId, (d) => ({ ...d, status: 'awaiting_approval', reviewedBy: e.by }));
    case 'RiskCriteriaApproved': {
      const d = s.drafts.find((x) => x.draftId === e.draftId);
      const next = updateDraft(s, e.draftId, (x) => ({ ...x, status: 'approved', decidedBy: e.by, decidedAt: e.at, version: e.version }));
      if (d === undefined) return next;
      return {
        ...next,
        versions: [...s.versions, { version: e.version, content: d.content, draftId: d.draftId, approvedBy: e.by, approvedAt: e.at }],
      };
    }
    case 'RiskCriteriaReturned':
      return updateDraft(s, e.draftId, (d) => ({ ...d, status: 'returned', decidedBy: e.by, decidedAt: e.at, reasons: e.reasons }));
    default:
      return s;
  }
}

export function eventData(event: RiskCriteriaEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data as unknown as JsonObject;
}

export function eventActor(event: RiskCriteriaEvent): ActorRef {
  return event.by;
}

/**
 * What each event is evidence for: the criteria themselves (6.1.1, 6.1.2: the organisation's criteria for
 * acceptable risk and how risks are assessed), their approval as an exercise of authority (5.3, A.3.2) and
 * the appetite that governs risk treatment and acceptance (6.1.3).
 */
export const RISK_CRITERIA_ISO_42001_REFERENCES: Record<RiskCriteriaEventType, string[]> = {
  RiskCriteriaDrafted: ['6.1.1', '6.1.2'],
  HumanTaskOpened: ['5.3', 'A.3.2'],
  HumanTaskDecided: ['5.3', 'A.3.2'],
  RiskCriteriaReviewed: ['6.1.2', '5.3'],
  RiskCriteriaApproved: ['6.1.1', '6.1.2', '6.1.3', '5.3', 'A.3.2'],
  RiskCriteriaReturned: ['6.1.2', '5.3'],
};

export function eventReferences(event: RiskCriteriaEvent): readonly string[] {
  return RISK_CRITERIA_ISO_42001_REFERENCES[event.type];
}

/** The state after one recorded evidence event (its type and data); unknown types change nothing. */
export function evolveRecorded(s: RiskCriteriaState, recorded: { type: string; data: JsonObject }): RiskCriteriaState {
  return evolve(s, { type: recorded.type, ...recorded.data } as unknown as RiskCriteriaEvent);
}
