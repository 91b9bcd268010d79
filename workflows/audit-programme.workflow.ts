/**
 * Workflow `auditProgramme`: the internal audit programme of one period (9.2.2), id and stream
 * `audit-programme-<period>`. Drafted at its start, approved by an AIMS owner who did not draft it; then a
 * durable timer marks each planned audit due at its planned start (recorded with its lead auditor to tell)
 * and escalates to the AIMS owner one not started by its planned end. Internal audits of the programme
 * tell it when their fieldwork starts (signal `programmedAuditStarted`). Rules: domain/audit-programme.
 */
import { ApplicationFailure, log, workflowInfo } from '@temporalio/workflow';
import {
  auditProgrammeEventActor,
  auditProgrammeEventData,
  auditProgrammeEventReferences,
  auditProgrammeStream,
  auditProgrammeWorkflowId,
  decideAuditProgramme,
  evolveAuditProgramme,
  nextProgrammeStep,
  PROGRAMME_SYSTEM_ACTOR,
  type AuditProgrammeCommand,
  type AuditProgrammeEvent,
  type AuditProgrammeState,
} from '../domain/audit-programme/programme';
import * as msg from './audit-programme.messages';
import { recordedOf, type Decider } from './runtime/decider';
import { now, signedStart, startProcess, type TimerRules } from './runtime/process';

export * from './audit-programme.messages';

const programmeDecider: Decider<AuditProgrammeState, AuditProgrammeCommand, AuditProgrammeEvent> = {
  decide: decideAuditProgramme,
  evolve: evolveAuditProgramme,
  eventData: auditProgrammeEventData,
  eventActor: auditProgrammeEventActor,
  references: auditProgrammeEventReferences,
};

/** Due and late audits on a durable timer; finished once every planned audit started or was escalated. */
const rules: TimerRules<AuditProgrammeState, AuditProgrammeCommand> = {
  finished: (s) => s !== null && s.status === 'approved' && Object.values(s.schedule).every((st) => st === 'started' || st === 'late'),
  next: (s) => {
    const next = nextProgrammeStep(s);
    return next === null ? null : { at: next.at, summary: 'programmed audit due or late' };
  },
  due: (s, at) => {
    const next = nextProgrammeStep(s);
    return next !== null && next.at <= Date.parse(at) ? next.command(at) : null;
  },
};

export async function auditProgramme(input: msg.AuditProgrammeInput): Promise<AuditProgrammeState> {
  const expectedId = auditProgrammeWorkflowId(input.period);
  if (workflowInfo().workflowId !== expectedId) {
    throw ApplicationFailure.create({
      type: 'WRONG_WORKFLOW_ID',
      message: `The audit programme of ${input.period} runs as ${expectedId}, not ${workflowInfo().workflowId}`,
      nonRetryable: true,
    });
  }
  const p = startProcess({
    decider: programmeDecider,
    stream: auditProgrammeStream(input.period),
    state: null,
    causation: 'update',
    systemActor: PROGRAMME_SYSTEM_ACTOR,
  });
  const { by, ...content } = input;
  const drafting = p.begin({ type: 'DraftAuditProgramme', ...content, by, at: now() }, signedStart(input));

  p.update(msg.approveAuditProgrammeUpdate, {
    command: (_a, { at, by }) => ({ type: 'ApproveAuditProgramme', by, at }),
    answer: (done) => ({ recorded: recordedOf([done]), programme: p.state, lastPosition: done.lastPosition }),
  });
  p.query(msg.auditProgrammeStateQuery, (s) => s);
  p.signal(msg.programmedAuditStartedSignal, async (notice) => {
    try {
      await p.step(
        { type: 'NoteProgrammedAuditStarted', auditId: notice.auditId, at: now() },
        notice.causationId === null ? {} : { causationId: notice.causationId },
      );
    } catch (error) {
      log.warn(
        `programme ${input.period}: start of ${notice.auditId} not noted: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });

  await drafting;
  await p.keepTime(rules);
  await p.settle();
  return p.state;
}
