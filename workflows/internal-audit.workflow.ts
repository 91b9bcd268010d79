/**
 * Workflow `internalAudit`: one internal audit (ISO/IEC 42001 9.2.1), id and stream `internal-audit-<id>`.
 *
 *   planned → fieldwork → report → follow-up → closed
 *
 * The rules are the domain's (domain/internal-audit); the runtime queues, decides, records and answers.
 * What is the audit's own here: a sample's records are read from the evidence store by an activity (as of
 * the stated position, with the author each one names) and recorded with the sample; every nonconformity
 * finding starts its `nonconformity` workflow (ParentClosePolicy ABANDON, vouched for by the finding's
 * evidence), which tells the audit when its plan is approved and when it closes (signal
 * `correctiveActionProgress`); the audit closes only then. Every opportunity for improvement goes to the
 * improvement register (10.1): it starts an `improvement` workflow, owned by whoever the plan names as
 * responsible for the finding's area (else whoever planned the audit). The programme watches the audit's
 * dates; the audit's one timer is its follow-up's (domain/internal-audit/follow-up.ts): the report opens the lead
 * auditor's follow-up task, reminded when due and escalated to the AIMS owner while the audit stays open
 * (patch `internal-audit-follow-up-timer`; audits started before it keep no timer).
 * Messages: internal-audit.messages.ts.
 */
import {
  ApplicationFailure,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { InternalAuditActivities } from '../activities/internal-audit.activities';
import {
  areaKey,
  evolve,
  findingNonconformityId,
  INITIAL_INTERNAL_AUDIT_STATE,
  INTERNAL_AUDIT_SYSTEM_ACTOR,
  internalAuditEventActor,
  internalAuditEventData,
  internalAuditEventReferences,
  internalAuditStream,
  internalAuditWorkflowId,
  type AuditFinding,
  type AuditorAppointment,
  type InternalAudit,
  type InternalAuditEvent,
  type InternalAuditState,
} from '../domain/internal-audit';
import { auditProgrammeWorkflowId } from '../domain/audit-programme/programme';
import { improvementWorkflowId } from '../domain/improvement/improvement';
import { decideWithinBounds, nonconformityWorkflowId, type NonconformitySeverity } from '../domain/nonconformity';
import {
  decideWithFollowUp,
  decideWithoutFollowUp,
  DEFAULT_AUDIT_FOLLOW_UP_TIMING,
  nextFollowUpStep,
  type InternalAuditProcessCommand,
} from '../domain/internal-audit/follow-up';
import { domainError } from '../domain/shared/domain-error';
import { parseFixedDuration } from '../domain/shared/iso-time';
import type { Actor, ActorRef } from '../domain/shared/roles';
import { programmedAuditStartedSignal } from './audit-programme.messages';
import type { ImprovementInput } from './improvement.messages';
import type { improvement } from './improvement.workflow';
import * as msg from './internal-audit.messages';
import { correctiveActionProgressSignal, DEFAULT_NONCONFORMITY_TIMING, type NonconformityWorkflowInput } from './nonconformity.messages';
import type { nonconformity } from './nonconformity.workflow';
import { eventsOfType, recordedOf, type Decider, type Step } from './runtime/decider';
import { failureOf } from './runtime/failures';
import { now, signedStart, startProcess, type TimerRules } from './runtime/process';

export * from './internal-audit.messages';

/** The audit's follow-up is a task on a timer (reminded, escalated); audits started before it have none. */
export const AUDIT_FOLLOW_UP_PATCH = 'internal-audit-follow-up-timer';

function auditDecider(followUpMs: number | null): Decider<InternalAuditState, InternalAuditProcessCommand, InternalAuditEvent> {
  return {
    decide: followUpMs === null ? decideWithoutFollowUp : decideWithFollowUp(followUpMs),
    evolve,
    eventData: internalAuditEventData,
    eventActor: internalAuditEventActor,
    references: internalAuditEventReferences,
  };
}

/** The follow-up timing in milliseconds; one that is not fixed durations fails the run at once. */
function followUpTimingMs(timing: msg.InternalAuditInput['followUpTiming']): { followUpMs: number; escalationAfterMs: number } {
  const given = timing ?? DEFAULT_AUDIT_FOLLOW_UP_TIMING;
  const followUpMs = parseFixedDuration(given.followUpTime);
  const escalationAfterMs = parseFixedDuration(given.escalationDelay);
  if (followUpMs === null || escalationAfterMs === null)
    throw ApplicationFailure.create({
      type: 'INVALID_TIMING',
      message: 'followUpTiming.followUpTime and .escalationDelay need fixed-length ISO 8601 durations (P30D, PT30S)',
      nonRetryable: true,
    });
  return { followUpMs, escalationAfterMs };
}

/**
 * Since this marker, a sample and a finding are decided against the acting auditor's appointments in force
 * (read from the people register by an activity); audits recorded before it replay without the read.
 */
export const AUDITOR_APPOINTMENTS_PATCH = 'internal-audit-auditor-appointments';

const { readAuditSample, readAuditorAppointments } = proxyActivities<InternalAuditActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * People move the audit and corrective actions report back by signal; by itself, the process only reminds and
 * escalates the follow-up (with the timer, `escalationAfterMs` given).
 */
function timerRules(escalationAfterMs: number | null): TimerRules<InternalAuditState, InternalAuditProcessCommand> {
  const next = (s: InternalAuditState) => (escalationAfterMs === null ? null : nextFollowUpStep(s, escalationAfterMs));
  return {
    finished: (s) => s !== null && s.status === 'closed',
    next: (s) => next(s),
    due: (s, at) => {
      const step = next(s);
      return step !== null && step.at <= Date.parse(at) ? step.command(at) : null;
    },
  };
}

export async function internalAudit(input: msg.InternalAuditInput): Promise<InternalAudit> {
  const expectedId = internalAuditWorkflowId(input.auditId);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `Internal audit ${input.auditId} runs as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  // Asked before any command, so a history recorded without the timer replays without it.
  const followUp = patched(AUDIT_FOLLOW_UP_PATCH) ? followUpTimingMs(input.followUpTiming) : null;
  const p = startProcess({
    decider: auditDecider(followUp === null ? null : followUp.followUpMs),
    stream: internalAuditStream(input.auditId),
    state: INITIAL_INTERNAL_AUDIT_STATE,
    causation: 'update',
    systemActor: INTERNAL_AUDIT_SYSTEM_ACTOR,
  });
  const { by, nonconformityTiming: _timing, followUpTiming: _followUp, ...plan } = input;
  const planning = p.begin({ type: 'PlanAudit', ...plan, programmeId: plan.programmeId ?? null, by, at: now() }, signedStart(input));

  const answered = (done: Step<InternalAuditEvent>, nonconformityId: string | null = null): msg.InternalAuditStepResult => ({
    recorded: recordedOf([done]),
    audit: p.state,
    nonconformityId,
    lastPosition: done.lastPosition,
  });

  // ----- the message table -----
  p.update(msg.startFieldworkUpdate, {
    command: (_a, { at, by }) => ({ type: 'StartFieldwork', by, at }),
    run: async (command, asked) => {
      const done = await p.step(command, asked);
      // An audit of a programme tells it that it started, so the programme does not escalate it as late.
      const programmeId = p.state?.plan.programmeId ?? null;
      if (programmeId !== null) {
        try {
          await getExternalWorkflowHandle(auditProgrammeWorkflowId(programmeId)).signal(programmedAuditStartedSignal, {
            auditId: input.auditId,
            causationId: done.evidenceIds[0] ?? null,
          });
        } catch (error) {
          log.info(`audit ${input.auditId}: programme ${programmeId} not told: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return answered(done);
    },
  });
  p.update(msg.recordSampleUpdate, {
    // Judged first with the ids alone (who, when, which position); the records and their authors come
    // from the evidence store before the step is decided again and recorded.
    command: (a, { at, by }) => ({
      type: 'RecordSample',
      sampleId: a.sampleId,
      asOfPosition: a.asOfPosition,
      records: (Array.isArray(a.eventIds) ? a.eventIds : []).map((eventId) => ({
        eventId,
        stream: '',
        type: '',
        position: 0,
        authorId: null,
      })),
      by,
      at,
    }),
    run: async (command, asked) => {
      if (command.type !== 'RecordSample') throw new Error('bug: recordSample built another command');
      const read = await readAuditSample({ eventIds: command.records.map((r) => r.eventId), asOfPosition: command.asOfPosition });
      if (read.unavailable.length > 0) {
        throw failureOf(
          domainError(
            'EVIDENCE_NOT_FOUND',
            `No evidence at or before position ${command.asOfPosition} under these ids: ${read.unavailable.join(', ')}.`,
            { unavailable: read.unavailable, asOfPosition: command.asOfPosition },
          ),
        );
      }
      const appointments = await appointmentsOf(command.by);
      return answered(await p.step({ ...command, records: read.records, ...appointments, at: now() }, asked));
    },
  });
  p.update(msg.recordChecklistResultUpdate, {
    command: (a, { at, by }) => ({
      type: 'RecordChecklistResult',
      criterionId: a.criterionId,
      result: a.result,
      evidenceRefs: a.evidenceRefs,
      note: a.note ?? '',
      by,
      at,
    }),
    answer: (done) => answered(done),
  });
  p.update(msg.recordFindingUpdate, {
    command: (a, { at, by }) => ({
      type: 'RecordFinding',
      findingId: a.findingId,
      findingType: a.type,
      criterionId: a.criterionId ?? null,
      area: a.area ?? null,
      statement: a.statement,
      evidenceRefs: a.evidenceRefs,
      by,
      at,
    }),
    run: async (command, asked) => {
      if (command.type !== 'RecordFinding') throw new Error('bug: recordFinding built another command');
      const appointments = await appointmentsOf(command.by);
      const done = await p.step({ ...command, ...appointments }, asked);
      const recorded = eventsOfType(done, 'AuditFindingRecorded')[0];
      const nonconformityId = recorded?.nonconformityId ?? null;
      const finding = recorded === undefined ? undefined : p.state?.findings.find((f) => f.findingId === recorded.findingId);
      if (recorded !== undefined && finding !== undefined) {
        if (nonconformityId !== null) await startCorrectiveAction(finding, recorded.by, done.evidenceIds[0]);
        if (finding.type === 'opportunity_for_improvement') await proposeImprovement(finding, recorded.by, done.evidenceIds[0]);
      }
      return answered(done, nonconformityId);
    },
  });
  p.update(msg.issueReportUpdate, {
    command: (a, { at, by }) => ({ type: 'IssueReport', summary: a.summary, conclusion: a.conclusion, by, at }),
    answer: (done) => answered(done),
  });
  p.update(msg.closeAuditUpdate, {
    command: (_a, { at, by }) => ({ type: 'CloseAudit', by, at }),
    answer: (done) => answered(done),
  });
  p.query(msg.internalAuditStateQuery, (s) => s);

  p.signal(correctiveActionProgressSignal, async (notice) => {
    try {
      await p.step(
        { type: 'NoteCorrectiveAction', nonconformityId: notice.nonconformityId, progress: notice.progress, reason: null, at: now() },
        notice.causationId === null ? {} : { causationId: notice.causationId },
      );
    } catch (error) {
      // Not a nonconformity of this audit: nothing to record.
      log.warn(`audit ${input.auditId}: ${notice.nonconformityId} not noted: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  /** The acting auditor's appointments in force now, for the decider (nothing before the patch). */
  async function appointmentsOf(by: Actor): Promise<{ appointments?: AuditorAppointment[] }> {
    if (!patched(AUDITOR_APPOINTMENTS_PATCH)) return {};
    return { appointments: await readAuditorAppointments({ personIds: [by.personId ?? by.id], at: now() }) };
  }

  /** Starts the finding's corrective action; one that cannot start is recorded as such (the audit stays open). */
  async function startCorrectiveAction(finding: AuditFinding, auditor: ActorRef, findingEvidenceId: string | undefined): Promise<void> {
    const audit = p.state as InternalAudit;
    const child = nonconformityInput(audit, finding, auditor, findingEvidenceId, input.nonconformityTiming ?? DEFAULT_NONCONFORMITY_TIMING);
    const { timing, internalAuditId: _a, triggeringEvidenceEventId: _t, ...raise } = child;
    const refused = decideWithinBounds(
      { type: 'RaiseNonconformity', ...raise, at: now(), effectivenessReviewDelay: timing.effectivenessReviewDelay },
      null,
    );
    let reason: string | null = refused.ok ? null : `${refused.error.code}: ${refused.error.message}`;
    if (reason === null) {
      try {
        await startChild<typeof nonconformity>('nonconformity', {
          workflowId: nonconformityWorkflowId(child.nonconformityId),
          args: [child],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (error) {
        reason = `the workflow could not be started: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (reason !== null) {
      await p.step(
        { type: 'NoteCorrectiveAction', nonconformityId: child.nonconformityId, progress: 'not_started', reason, at: now() },
        { system: true },
      );
    }
  }

  /** Puts an opportunity for improvement on the register; one that cannot start is logged (the finding stands). */
  async function proposeImprovement(finding: AuditFinding, auditor: ActorRef, findingEvidenceId: string | undefined): Promise<void> {
    const audit = p.state as InternalAudit;
    const improvementId = findingNonconformityId(audit.auditId, finding.findingId);
    const area = finding.area;
    const responsible =
      area === null ? undefined : audit.plan.responsibilities.find((r) => areaKey(r.area) === areaKey(area))?.personIds[0];
    const proposal: ImprovementInput = {
      improvementId,
      source: { kind: 'internal_audit', reference: `${audit.auditId}/${finding.findingId}` },
      description: finding.statement,
      owner: responsible ?? audit.plannedBy.id,
      openedBy: auditor,
      internalAuditId: audit.auditId,
      findingId: finding.findingId,
      ...(findingEvidenceId === undefined ? {} : { triggeringEvidenceEventId: findingEvidenceId }),
    };
    try {
      await startChild<typeof improvement>('improvement', {
        workflowId: improvementWorkflowId(improvementId),
        args: [proposal],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      log.warn(
        `audit ${audit.auditId}: improvement ${improvementId} not started: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  // ----- the process -----
  await planning;
  await p.keepTime(timerRules(followUp === null ? null : followUp.escalationAfterMs));
  await p.settle();
  return p.state as InternalAudit;
}

const SEVERITY: Record<string, NonconformitySeverity> = { major_nonconformity: 'major', minor_nonconformity: 'minor' };

/**
 * The `nonconformity` workflow's input for a nonconformity finding (pure): raised by the auditor who
 * recorded it, naming the finding's evidence as its cause; it concerns the finding's area, or the audit's
 * scope when the finding names none (processes are no field of a nonconformity: the text names them).
 */
export function nonconformityInput(
  audit: InternalAudit,
  finding: AuditFinding,
  auditor: ActorRef,
  findingEvidenceId: string | undefined,
  timing: NonconformityWorkflowInput['timing'],
): NonconformityWorkflowInput {
  const areas = finding.area === null ? audit.plan.scope : [finding.area];
  const ids = (kind: string): string[] => areas.filter((a) => a.kind === kind).map((a) => a.id);
  const clauseIds = ids('clause');
  const annexAControlIds = ids('control');
  const aiSystemIds = ids('ai_system');
  return {
    nonconformityId: finding.nonconformityId as string,
    openedBy: auditor,
    title: `Internal audit ${audit.auditId}, finding ${finding.findingId}: ${finding.type.replace(/_/g, ' ')}`.slice(0, 200),
    description: finding.statement.slice(0, 10_000),
    source: 'internal_audit_finding',
    sourceReference: `${audit.auditId}/${finding.findingId}`,
    severity: SEVERITY[finding.type] ?? 'minor',
    aiSystemIds,
    annexAControlIds,
    clauseIds: clauseIds.length + annexAControlIds.length + aiSystemIds.length === 0 ? ['9.2.1'] : clauseIds,
    timing,
    internalAuditId: audit.auditId,
    ...(findingEvidenceId === undefined ? {} : { triggeringEvidenceEventId: findingEvidenceId }),
  };
}
