/**
 * The person workflow's competence timer (7.2): before the record that keeps a competence current expires,
 * a reminder is recorded (CompetenceExpiryReminded, COMPETENCE_REMINDER_LEAD_MS ahead); when it expires
 * with nothing newer, the lapse is recorded and opens a training action (`competence_training`, a human task
 * in the AIMS owner's inbox: a person has no owner of their own in the register). A new record for the
 * competence that is current when it is recorded closes that action (HumanTaskSuperseded: the record is the
 * answer, nobody decides it).
 *
 * Only a record's own expiry is timed here: a requirement's maximum age ("within 24 months") is the
 * organisation's policy, on another stream, and is judged where it is enforced (competence.ts), at the
 * instant of the request.
 */
import { domainError, type DomainError } from '../shared/domain-error';
import { openedHumanTask, withHumanTaskSuperseded } from '../shared/human-task';
import { addMilliseconds, isAtOrAfter } from '../shared/iso-time';
import { err, ok, type Result } from '../shared/result';
import type { AimsRole } from '../shared/roles';
import type { CompetenceRecord } from './competence';
import {
  PERSON_SYSTEM_ACTOR,
  type CompetenceExpiryReminded,
  type CompetenceLapsed,
  type CompetenceRecorded,
  type LapseCompetence,
  type TrainingActionOpened,
  type TrainingActionSuperseded,
  type PersonEvent,
  type PersonState,
  type RemindCompetenceExpiry,
} from './model';

const DAY_MS = 24 * 3_600_000;
/** How long before a record expires the reminder is recorded. */
export const COMPETENCE_REMINDER_LEAD_MS = 30 * DAY_MS;
/** How long the training action has before it is overdue. */
export const TRAINING_ACTION_DUE_MS = 30 * DAY_MS;
/** Who the training action is for: the AIMS owner (5.3: the owner of the AIMS's people and their roles). */
export const TRAINING_ACTION_ROLES: readonly AimsRole[] = ['aims_owner'];
export const TRAINING_TASK_KIND = 'competence_training';

/** The task id of the training action a record's lapse opens (record ids are unique within the person). */
export function trainingTaskId(recordId: string): string {
  return `competence-training-${recordId}`;
}

const t = (iso: string): number => Date.parse(iso);

/**
 * Per competence, the approved record that keeps it current longest: the only one whose expiry is timed
 * (an older record expiring while a newer one holds is no gap). None when a record never expires.
 */
function timedRecords(s: PersonState): CompetenceRecord[] {
  const best = new Map<string, CompetenceRecord | null>();
  for (const r of (s.competence ?? []).filter((x) => x.approvedBy !== null)) {
    const held = best.get(r.competence);
    if (held === null) continue;
    if (r.expiresAt === null) best.set(r.competence, null);
    else if (held === undefined || held.expiresAt === null || t(r.expiresAt) > t(held.expiresAt)) best.set(r.competence, r);
  }
  return [...best.values()].filter((r): r is CompetenceRecord & { expiresAt: string } => r !== null && r?.expiresAt !== null);
}

type TimerStep = { command: RemindCompetenceExpiry | LapseCompetence; at: string };

function stepsOf(s: PersonState): TimerStep[] {
  if (s.status === 'left') return [];
  const reminded = s.competenceReminded ?? [];
  const lapsed = s.competenceLapsed ?? [];
  const steps: TimerStep[] = [];
  for (const r of timedRecords(s)) {
    const expiresAt = r.expiresAt as string;
    if (lapsed.includes(r.recordId)) continue;
    if (!reminded.includes(r.recordId)) {
      const remindAt = addMilliseconds(expiresAt, -COMPETENCE_REMINDER_LEAD_MS);
      steps.push({ command: { type: 'RemindCompetenceExpiry', recordId: r.recordId, at: remindAt }, at: remindAt });
    }
    steps.push({ command: { type: 'LapseCompetence', recordId: r.recordId, at: expiresAt }, at: expiresAt });
  }
  return steps;
}

/** The earliest instant the competence timer has work (null: none). */
export function nextCompetenceTimer(s: PersonState): string | null {
  const at = stepsOf(s).map((x) => t(x.at));
  return at.length === 0 ? null : new Date(Math.min(...at)).toISOString();
}

/**
 * The timer's command at `at`: a lapse that has come before any reminder (a reminder is pointless once
 * the record has expired), else a reminder that has come.
 */
export function dueCompetenceStep(s: PersonState, at: string): RemindCompetenceExpiry | LapseCompetence | null {
  const due = stepsOf(s).filter((x) => isAtOrAfter(at, x.at));
  const lapse = due.find((x) => x.command.type === 'LapseCompetence');
  const chosen = lapse ?? due[0];
  if (chosen === undefined) return null;
  if (chosen.command.type === 'RemindCompetenceExpiry') {
    // The reminder is pointless for a record whose lapse is already due (recorded late, or the timer slept).
    const lapseDue = due.some((x) => x.command.type === 'LapseCompetence' && x.command.recordId === chosen.command.recordId);
    if (lapseDue) return { type: 'LapseCompetence', recordId: chosen.command.recordId, at };
  }
  return { ...chosen.command, at };
}

const refuse = (code: string, message: string, details: Record<string, string> = {}): Result<never, DomainError> =>
  err(domainError(code, message, details));

/** The timer's own steps: each refused unless it is due now for a record whose expiry is timed. */
export function decideCompetenceTimer(c: RemindCompetenceExpiry | LapseCompetence, s: PersonState): Result<PersonEvent[], DomainError> {
  const step = stepsOf(s).find((x) => x.command.type === c.type && x.command.recordId === c.recordId);
  if (step === undefined)
    return refuse('COMPETENCE_TIMER_NOT_DUE', `Record ${c.recordId} has no ${c.type} pending.`, { recordId: c.recordId });
  if (!isAtOrAfter(c.at, step.at))
    return refuse('COMPETENCE_TIMER_NOT_DUE', `${c.type} of record ${c.recordId} falls due at ${step.at}.`, { recordId: c.recordId });
  const record = (s.competence ?? []).find((r) => r.recordId === c.recordId) as CompetenceRecord & { expiresAt: string };
  const by = PERSON_SYSTEM_ACTOR;
  if (c.type === 'RemindCompetenceExpiry')
    return ok([
      {
        type: 'CompetenceExpiryReminded',
        recordId: record.recordId,
        competence: record.competence,
        expiresAt: record.expiresAt,
        by,
        at: c.at,
      },
    ]);
  const taskId = trainingTaskId(record.recordId);
  return ok([
    {
      type: 'CompetenceLapsed',
      recordId: record.recordId,
      competence: record.competence,
      expiredAt: record.expiresAt,
      taskId,
      by,
      at: c.at,
    },
    {
      type: 'HumanTaskOpened',
      taskId,
      kind: TRAINING_TASK_KIND,
      requiredRoles: [...TRAINING_ACTION_ROLES],
      subject: { personId: s.personId, competence: record.competence, recordId: record.recordId, expiredAt: record.expiresAt },
      requestedBy: null,
      dueAt: addMilliseconds(c.at, TRAINING_ACTION_DUE_MS),
      by,
      at: c.at,
    },
  ]);
}

/** What a new record closes: the open training actions for its competence, when it is current as recorded. */
export function trainingActionsClosedBy(s: PersonState, recorded: CompetenceRecorded): PersonEvent[] {
  const current = t(recorded.obtainedAt) <= t(recorded.at) && (recorded.expiresAt === null || t(recorded.expiresAt) > t(recorded.at));
  if (!current) return [];
  return (s.trainingTasks ?? [])
    .filter((task) => task.status === 'open' && task.subject.competence === recorded.competence)
    .map((task) => ({
      type: 'HumanTaskSuperseded',
      taskId: task.taskId,
      reason: `competence record ${recorded.recordId} shows ${recorded.competence} again`,
      by: recorded.by,
      at: recorded.at,
    }));
}

/** The fold of the timer's events and of the training actions. */
export function evolveCompetenceTimer(
  s: PersonState,
  e: CompetenceExpiryReminded | CompetenceLapsed | TrainingActionOpened | TrainingActionSuperseded,
): PersonState {
  switch (e.type) {
    case 'CompetenceExpiryReminded':
      return { ...s, competenceReminded: [...(s.competenceReminded ?? []), e.recordId] };
    case 'CompetenceLapsed':
      return { ...s, competenceLapsed: [...(s.competenceLapsed ?? []), e.recordId] };
    case 'HumanTaskOpened':
      return { ...s, trainingTasks: [...(s.trainingTasks ?? []), openedHumanTask(e)] };
    case 'HumanTaskSuperseded':
      return { ...s, trainingTasks: withHumanTaskSuperseded(s.trainingTasks ?? [], e) };
  }
}
