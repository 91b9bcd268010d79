/**
 * The management review's rules (ISO/IEC 42001 9.3): who may plan, compile, minute, decide and sign off, in
 * which order, and what each step records. Segregation of duties lives here, never in a workflow or a client:
 *
 * - only top management decides and signs off (9.3.1, 9.3.3): someone who holds the AIMS owner's role and
 *   not top management's is refused (`SIGN_OFF_NEEDS_TOP_MANAGEMENT`), so the AIMS owner never closes the
 *   review of the system they run alone;
 * - the chair must be among the attendees the minutes name (`CHAIR_NOT_IN_ATTENDANCE`), and whoever signs
 *   off must have attended (`SIGNER_NOT_IN_ATTENDANCE`);
 * - the input pack is frozen once the minutes are recorded (the minutes discuss that pack).
 */
import { domainError, type DomainError } from '../shared/domain-error';
import {
  checkEscalationDue,
  checkReminderDue,
  eligibleRoles,
  ESCALATION_ROLE,
  openedHumanTask,
  withHumanTaskDecided,
  withHumanTaskSuperseded,
} from '../shared/human-task';
import { addMilliseconds, dueInstant, isDueDate, isInstant, parseFixedDuration } from '../shared/iso-time';
import { err, ok, type Result } from '../shared/result';
import { actorProblem, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import {
  DECISION_KINDS,
  DECISION_ROLES,
  decisionActionId,
  MANAGEMENT_REVIEW_SYSTEM_ACTOR,
  MINUTES_ROLES,
  nextDecisionId,
  nextReviewIdOf,
  REVIEW_ID,
  REVIEW_PLANNER_ROLES,
  SIGN_OFF_ROLES,
  type ManagementReview,
  type ManagementReviewCommand,
  type ManagementReviewEvent,
  type ManagementReviewEventType,
  type ManagementReviewState,
  type ReviewStatus,
  type ReviewTask,
  type ReviewTaskKind,
  type ReviewTaskSubject,
} from './model';
import { requireRoles } from '../shared/require-roles';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const MAX_TEXT = 20_000;

function actorWith(by: Actor | undefined, roles: readonly AimsRole[], step: string): Result<ActorRef, DomainError> {
  return requireRoles(by, roles, step, step);
}

function inStatus(s: ManagementReview, allowed: readonly ReviewStatus[], step: string): DomainError | null {
  return allowed.includes(s.status)
    ? null
    : domainError('INVALID_TRANSITION', `Cannot ${step}: review ${s.reviewId} is ${s.status.replace(/_/g, ' ')}.`, {
        step,
        status: s.status,
        allowedIn: [...allowed],
      });
}

const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;

export function decide(c: ManagementReviewCommand, s: ManagementReviewState): Result<ManagementReviewEvent[], DomainError> {
  if (c.type === 'PlanManagementReview') {
    if (s !== null) return err(domainError('REVIEW_ALREADY_PLANNED', `Management review ${s.reviewId} is planned already.`, {}));
    // Without a person, only a signed-off review schedules its successor (the workflow checks its evidence).
    if (c.by === undefined && (c.previousReviewId ?? null) === null)
      return err(domainError('INVALID_ACTOR', 'A person plans a management review, unless the review before it schedules it.', {}));
    const who = c.by === undefined ? ok(MANAGEMENT_REVIEW_SYSTEM_ACTOR) : actorWith(c.by, REVIEW_PLANNER_ROLES, 'plan a management review');
    if (!who.ok) return who;
    const v = new ValidationIssues();
    if (typeof c.reviewId !== 'string' || !REVIEW_ID.test(c.reviewId))
      v.add('reviewId', 'must be 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit');
    if (!isText(c.title, 300)) v.add('title', 'must be a non-empty string of at most 300 characters');
    if (!isInstant(c.plannedFor)) v.add('plannedFor', 'must be an ISO 8601 instant, e.g. 2026-06-30T09:00:00Z');
    if (!isText(c.chair, 200)) v.add('chair', "must be the chair's id");
    if (parseFixedDuration(c.interval) === null) v.add('interval', 'must be a fixed ISO 8601 duration such as P90D or P52W');
    const series = c.series ?? c.reviewId;
    const sequence = c.sequence ?? 1;
    if (typeof series !== 'string' || !REVIEW_ID.test(series) || series.length > 90)
      v.add('series', 'must be a review id of at most 90 characters');
    if (!Number.isInteger(sequence) || sequence < 1) v.add('sequence', 'must be a whole number from 1');
    const previous = c.previousReviewId ?? null;
    if (previous !== null && (typeof previous !== 'string' || !REVIEW_ID.test(previous)))
      v.add('previousReviewId', 'must be a review id or null');
    if (!v.empty) return err(validationFailed(c.type, v.list));
    return ok([
      {
        type: 'ManagementReviewPlanned',
        reviewId: c.reviewId,
        title: c.title,
        plannedFor: c.plannedFor,
        chair: c.chair,
        interval: c.interval,
        series,
        sequence,
        previousReviewId: previous,
        by: who.value,
        at: c.at,
      },
    ]);
  }
  if (s === null) return err(domainError('REVIEW_NOT_PLANNED', 'The management review is not planned.', {}));

  switch (c.type) {
    case 'CompileReviewInputs': {
      const who =
        c.by === undefined ? ok(MANAGEMENT_REVIEW_SYSTEM_ACTOR) : actorWith(c.by, REVIEW_PLANNER_ROLES, "compile a review's inputs");
      if (!who.ok) return who;
      const wrong = inStatus(s, ['planned', 'inputs_compiled'], 'compile its inputs');
      if (wrong) return err(wrong);
      const v = new ValidationIssues();
      if (!Number.isInteger(c.position) || c.position < 0) v.add('position', 'must be a log position (a whole number from 0)');
      if (typeof c.packHash !== 'string' || !HEX_SHA256.test(c.packHash)) v.add('packHash', 'must be 64 lowercase hex digits (SHA-256)');
      if (typeof c.pack !== 'object' || c.pack === null || c.pack.reviewId !== s.reviewId || c.pack.position !== c.position)
        v.add('pack', "must be this review's pack, computed at the position given");
      if (!v.empty) return err(validationFailed(c.type, v.list));
      if (s.inputs !== null && c.position < s.inputs.position)
        return err(
          domainError('INPUTS_OLDER_THAN_RECORDED', `The inputs were compiled at position ${s.inputs.position}; ${c.position} is older.`, {
            recordedPosition: s.inputs.position,
            position: c.position,
          }),
        );
      return ok([
        {
          type: 'ManagementReviewInputsCompiled',
          reviewId: s.reviewId,
          position: c.position,
          packHash: c.packHash,
          pack: c.pack,
          by: who.value,
          at: c.at,
        },
      ]);
    }
    case 'RecordReviewMinutes': {
      const who = actorWith(c.by, MINUTES_ROLES, "record a review's minutes");
      if (!who.ok) return who;
      const wrong = inStatus(s, ['inputs_compiled'], 'record its minutes (the inputs must be compiled first)');
      if (wrong) return err(wrong);
      const v = new ValidationIssues();
      const attendees = Array.isArray(c.attendees) ? c.attendees : [];
      if (attendees.length === 0 || !attendees.every((a) => isText(a, 200))) v.add('attendees', 'must list the id of every attendee');
      else v.distinct('attendees', attendees, 'attendee');
      if (!isText(c.minutes)) v.add('minutes', `must be the minutes' text (at most ${MAX_TEXT} characters)`);
      if (!v.empty) return err(validationFailed(c.type, v.list));
      if (!attendees.includes(s.plan.chair))
        return err(
          domainError('CHAIR_NOT_IN_ATTENDANCE', `The chair ${s.plan.chair} is not among the attendees: a review is held with its chair.`, {
            chair: s.plan.chair,
            attendees,
          }),
        );
      return ok([{ type: 'ManagementReviewMinutesRecorded', attendees, minutes: c.minutes, by: who.value, at: c.at }]);
    }
    case 'RecordReviewDecision': {
      const who = actorWith(c.by, DECISION_ROLES, 'record a management review decision');
      if (!who.ok) return who;
      const wrong = inStatus(s, ['minuted'], 'record a decision (the minutes come first)');
      if (wrong) return err(wrong);
      const v = new ValidationIssues();
      v.oneOf('kind', c.kind, DECISION_KINDS);
      if (!isText(c.owner, 200)) v.add('owner', "must be the action owner's id");
      if (!isDueDate(c.dueDate)) v.add('dueDate', 'must be a date (YYYY-MM-DD) or an instant');
      else if ((dueInstant(c.dueDate) ?? 0) <= Date.parse(c.at)) v.add('dueDate', 'must be after the decision is taken');
      if (!isText(c.text, 10_000)) v.add('text', 'must say what was decided');
      if (!v.empty) return err(validationFailed(c.type, v.list));
      const decisionId = nextDecisionId(s);
      return ok([
        {
          type: 'ManagementReviewDecisionRecorded',
          decisionId,
          kind: c.kind,
          owner: c.owner,
          dueDate: c.dueDate,
          text: c.text,
          actionId: decisionActionId(s.reviewId, decisionId),
          by: who.value,
          at: c.at,
        },
      ]);
    }
    case 'SignOffReview': {
      const problem = actorProblem(c.by);
      if (problem !== null) return err(domainError('INVALID_ACTOR', problem, { step: 'sign off a management review' }));
      if (!SIGN_OFF_ROLES.some((r) => c.by.roles.includes(r)))
        return err(
          domainError(
            'SIGN_OFF_NEEDS_TOP_MANAGEMENT',
            `${c.by.id} cannot sign off management review ${s.reviewId}: only top management can (the AIMS owner alone may not).`,
            { actorId: c.by.id, actorRoles: [...c.by.roles], requiredRoles: [...SIGN_OFF_ROLES] },
          ),
        );
      const wrong = inStatus(s, ['minuted'], 'sign it off (the minutes must be recorded)');
      if (wrong) return err(wrong);
      const attendees = s.minutes?.attendees ?? [];
      if (!attendees.includes(c.by.id))
        return err(
          domainError('SIGNER_NOT_IN_ATTENDANCE', `${c.by.id} did not attend review ${s.reviewId}: only an attendee signs its record.`, {
            actorId: c.by.id,
            attendees,
          }),
        );
      const who = actorWith(c.by, SIGN_OFF_ROLES, 'sign off a management review');
      if (!who.ok) return who;
      const interval = parseFixedDuration(s.plan.interval) ?? 0;
      return ok([
        { type: 'ManagementReviewSignedOff', reviewId: s.reviewId, decisionCount: s.decisions.length, by: who.value, at: c.at },
        {
          type: 'ManagementReviewNextScheduled',
          nextReviewId: nextReviewIdOf(s.plan),
          plannedFor: addMilliseconds(s.plan.plannedFor, interval),
          by: MANAGEMENT_REVIEW_SYSTEM_ACTOR,
          at: c.at,
        },
      ]);
    }
    case 'CancelReview': {
      const who = actorWith(c.by, REVIEW_PLANNER_ROLES, 'cancel a management review');
      if (!who.ok) return who;
      const wrong = inStatus(s, ['planned', 'inputs_compiled', 'minuted'], 'cancel it');
      if (wrong) return err(wrong);
      if (!isText(c.reason, 2_000)) return err(validationFailed(c.type, [{ field: 'reason', problem: 'must say why' }]));
      return ok([{ type: 'ManagementReviewCancelled', reason: c.reason, by: who.value, at: c.at }]);
    }
    case 'SendReviewTaskReminder': {
      const due = checkReminderDue(
        tasksOf(s).find((t) => t.taskId === c.taskId),
        c.taskId,
        c.at,
      );
      if (!due.ok) return due;
      return ok([
        {
          type: 'HumanTaskReminderSent',
          taskId: c.taskId,
          dueAt: due.value.dueAt,
          notifiedRoles: eligibleRoles(due.value),
          notifiedPeople: [],
          by: MANAGEMENT_REVIEW_SYSTEM_ACTOR,
          at: c.at,
        },
      ]);
    }
    case 'EscalateReviewTask': {
      const due = checkEscalationDue(
        tasksOf(s).find((t) => t.taskId === c.taskId),
        c.taskId,
        c.at,
        c.escalationAfterMs,
      );
      if (!due.ok) return due;
      return ok([
        { type: 'HumanTaskEscalated', taskId: c.taskId, escalatedTo: ESCALATION_ROLE, by: MANAGEMENT_REVIEW_SYSTEM_ACTOR, at: c.at },
      ]);
    }
  }
}

/** The review's inbox tasks (none in a state from before they existed). */
export const tasksOf = (s: ManagementReview): ReviewTask[] => s.tasks ?? [];

export function evolve(s: ManagementReviewState, e: ManagementReviewEvent): ManagementReviewState {
  if (e.type === 'ManagementReviewPlanned') {
    const { type: _t, reviewId, by, at, ...plan } = e;
    return {
      reviewId,
      status: 'planned',
      plan,
      plannedBy: by,
      plannedAt: at,
      inputs: null,
      minutes: null,
      decisions: [],
      signedOff: null,
      nextReview: null,
      cancelled: null,
    };
  }
  if (s === null) return s;
  switch (e.type) {
    case 'ManagementReviewInputsCompiled':
      return { ...s, status: 'inputs_compiled', inputs: { position: e.position, packHash: e.packHash, pack: e.pack, by: e.by, at: e.at } };
    case 'ManagementReviewMinutesRecorded':
      return { ...s, status: 'minuted', minutes: { attendees: e.attendees, minutes: e.minutes, by: e.by, at: e.at } };
    case 'ManagementReviewDecisionRecorded': {
      const { type: _t, ...decision } = e;
      return { ...s, decisions: [...s.decisions, decision] };
    }
    case 'ManagementReviewSignedOff':
      return { ...s, status: 'signed_off', signedOff: { by: e.by, at: e.at } };
    case 'ManagementReviewNextScheduled':
      return { ...s, nextReview: { reviewId: e.nextReviewId, plannedFor: e.plannedFor } };
    case 'ManagementReviewCancelled':
      return { ...s, status: 'cancelled', cancelled: { reason: e.reason, by: e.by, at: e.at } };
    case 'HumanTaskOpened':
      return { ...s, tasks: [...tasksOf(s), openedHumanTask<ReviewTaskKind, ReviewTaskSubject>(e)] };
    case 'HumanTaskDecided':
      return { ...s, tasks: withHumanTaskDecided(tasksOf(s), e) };
    case 'HumanTaskReminderSent':
      return { ...s, tasks: tasksOf(s).map((t) => (t.taskId === e.taskId ? { ...t, reminderSentAt: e.at } : t)) };
    case 'HumanTaskEscalated':
      return {
        ...s,
        tasks: tasksOf(s).map((t) => (t.taskId === e.taskId ? { ...t, escalatedAt: e.at, escalatedTo: e.escalatedTo } : t)),
      };
    case 'HumanTaskSuperseded':
      return { ...s, tasks: withHumanTaskSuperseded(tasksOf(s), e) };
  }
}

/** Management review (9.3); its decisions are top management's direction of improvement (5.1, 10.1). */
export const MANAGEMENT_REVIEW_ISO_42001_REFERENCES: Record<ManagementReviewEventType, string[]> = {
  ManagementReviewPlanned: ['9.3', '9.3.1'],
  ManagementReviewInputsCompiled: ['9.3', '9.3.2'],
  ManagementReviewMinutesRecorded: ['9.3', '9.3.1', '9.3.3'],
  ManagementReviewDecisionRecorded: ['9.3', '9.3.3', '10.1', '5.1'],
  ManagementReviewSignedOff: ['9.3', '9.3.3', '5.1'],
  ManagementReviewNextScheduled: ['9.3', '9.3.1'],
  ManagementReviewCancelled: ['9.3'],
  // Top management's review steps as assigned work (5.3), within the review (9.3).
  HumanTaskOpened: ['9.3', '5.3'],
  HumanTaskDecided: ['9.3', '5.3'],
  HumanTaskReminderSent: ['9.3', '5.3'],
  HumanTaskEscalated: ['9.3', '5.3'],
  HumanTaskSuperseded: ['9.3', '5.3'],
};
export const managementReviewEventReferences = (e: ManagementReviewEvent): readonly string[] =>
  MANAGEMENT_REVIEW_ISO_42001_REFERENCES[e.type];

/** Finished once signed off (the next review runs as its own process) or cancelled. */
export const isFinished = (s: ManagementReviewState): boolean => s !== null && (s.status === 'signed_off' || s.status === 'cancelled');

/** The instant the process compiles the inputs by itself: the planned date, while none are compiled. */
export const inputsDueAt = (s: ManagementReviewState): number | null =>
  s !== null && s.status === 'planned' ? Date.parse(s.plan.plannedFor) : null;
