/**
 * The audit's follow-up on its timer (9.2.1, 10.2): the report opens the lead auditor's follow-up task, due a
 * stated time later; while the audit stays open the process reminds the lead auditor and the team when it is
 * due (naming what is pending) and escalates to the AIMS owner after an unanswered reminder, each once;
 * closing the audit closes the task.
 */
import {
  decideWithFollowUp,
  decideWithoutFollowUp,
  evolve,
  INITIAL_INTERNAL_AUDIT_STATE,
  internalAuditEventReferences,
  nextFollowUpStep,
  type InternalAuditEvent,
  type InternalAuditProcessCommand,
} from '../../../../domain/internal-audit';
import type { Actor, ActorRef } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const DAY = 86_400_000;
const { given } = deciderSpec({ decide: decideWithFollowUp(30 * DAY), evolve, initialState: INITIAL_INTERNAL_AUDIT_STATE });
const ines: Actor = { id: 'ines', roles: ['internal_auditor'] };
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const INES: ActorRef = { id: 'ines', role: 'internal_auditor' };
const SYSTEM: ActorRef = { id: 'aims:internal-audit', role: 'system' };
const AT = '2026-03-02T09:00:00.000Z';
const REPORTED = '2026-03-10T09:00:00.000Z';

/** The history the commands record, each accepted. */
function history(...commands: InternalAuditProcessCommand[]): InternalAuditEvent[] {
  const events: InternalAuditEvent[] = [];
  for (const c of commands) {
    const decided = decideWithFollowUp(30 * DAY)(c, given(events).state);
    if (!decided.ok) throw new Error(`${c.type} refused: ${decided.error.code} ${decided.error.message}`);
    events.push(...decided.value);
  }
  return events;
}

const fieldwork: InternalAuditProcessCommand[] = [
  {
    type: 'PlanAudit',
    auditId: 'IA-2026-1',
    title: 'Lifecycle controls',
    programmeId: null,
    scope: [{ kind: 'control', id: 'A.6.2.4' }],
    criteria: [{ criterionId: 'C1', text: 'Validation results are signed off (A.6.2.4)' }],
    leadAuditor: 'ines',
    team: ['ivan'],
    plannedStart: '2026-03-01T00:00:00.000Z',
    plannedEnd: '2026-03-15T00:00:00.000Z',
    responsibilities: [],
    by: olivia,
    at: AT,
  },
  { type: 'StartFieldwork', by: ines, at: AT },
  {
    type: 'RecordSample',
    sampleId: 'S1',
    asOfPosition: 40,
    records: [{ eventId: 'ev-1', stream: 'ai-system-x', type: 'ValidationSignedOff', position: 10, authorId: 'victor' }],
    by: ines,
    at: AT,
  },
  { type: 'RecordChecklistResult', criterionId: 'C1', result: 'does_not_conform', evidenceRefs: ['ev-1'], note: '', by: ines, at: AT },
  {
    type: 'RecordFinding',
    findingId: 'F1',
    findingType: 'major_nonconformity',
    criterionId: 'C1',
    area: null,
    statement: 'A validation was not signed off',
    evidenceRefs: ['ev-1'],
    by: ines,
    at: AT,
  },
];
const report: InternalAuditProcessCommand = {
  type: 'IssueReport',
  summary: 'One major finding',
  conclusion: 'Not conforming',
  by: ines,
  at: REPORTED,
};

test('the report opens the follow-up task, assigned to the lead auditor, due thirty days later', () => {
  given(history(...fieldwork))
    .when(report)
    .then([
      expect.objectContaining({ type: 'AuditReportIssued' }),
      {
        type: 'HumanTaskOpened',
        taskId: 'IA-2026-1-follow-up',
        kind: 'internal_audit_follow_up',
        requiredRoles: ['internal_auditor'],
        subject: { type: 'internal_audit', auditId: 'IA-2026-1', title: 'Lifecycle controls' },
        requestedBy: null,
        assignee: 'ines',
        dueAt: '2026-04-09T09:00:00.000Z',
        by: INES,
        at: REPORTED,
      },
    ]);
});

test('due and the audit still open: a reminder to the lead auditor and the team naming the pending corrective action, then an escalation, each once', () => {
  const reported = history(...fieldwork, report);
  const first = nextFollowUpStep(given(reported).state, 7 * DAY);
  expect(first).toMatchObject({ at: Date.parse('2026-04-09T09:00:00.000Z'), summary: 'follow-up of audit IA-2026-1 due' });
  given(reported).when({ type: 'SendAuditFollowUpReminder', at: '2026-04-08T09:00:00.000Z' }).then(expectError('HUMAN_TASK_NOT_OVERDUE'));
  const reminded = given(reported)
    .when(first!.command('2026-04-09T09:00:00.000Z'))
    .then([
      {
        type: 'HumanTaskReminderSent',
        taskId: 'IA-2026-1-follow-up',
        dueAt: '2026-04-09T09:00:00.000Z',
        notifiedRoles: [],
        notifiedPeople: ['ines', 'ivan'],
        pending: ['IA-2026-1-F1'],
        by: SYSTEM,
        at: '2026-04-09T09:00:00.000Z',
      },
    ]);
  const afterReminder = [...reported, ...reminded.events];
  given(afterReminder)
    .when({ type: 'SendAuditFollowUpReminder', at: '2026-04-10T09:00:00.000Z' })
    .then(expectError('HUMAN_TASK_REMINDER_ALREADY_SENT'));
  const second = nextFollowUpStep(reminded.state, 7 * DAY);
  expect(second).toMatchObject({ at: Date.parse('2026-04-16T09:00:00.000Z'), summary: 'follow-up of audit IA-2026-1 overdue' });
  const escalated = given(afterReminder)
    .when(second!.command('2026-04-16T09:00:00.000Z'))
    .then([
      { type: 'HumanTaskEscalated', taskId: 'IA-2026-1-follow-up', escalatedTo: 'aims_owner', by: SYSTEM, at: '2026-04-16T09:00:00.000Z' },
    ]);
  expect(escalated.state?.followUp).toMatchObject({ status: 'open', escalatedTo: 'aims_owner' });
  expect(nextFollowUpStep(escalated.state, 7 * DAY)).toBeNull();
});

test('closing the audit closes the follow-up task; a closed audit has nothing to remind', () => {
  const planApproved: InternalAuditEvent = {
    type: 'FindingCorrectiveActionNoted',
    nonconformityId: 'IA-2026-1-F1',
    findingId: 'F1',
    progress: 'plan_approved',
    reason: null,
    at: '2026-03-20T09:00:00.000Z',
  };
  const ready = [...history(...fieldwork, report), planApproved];
  const closed = given(ready)
    .when({ type: 'CloseAudit', by: ines, at: '2026-03-21T09:00:00.000Z' })
    .then([
      { type: 'AuditClosed', by: INES, at: '2026-03-21T09:00:00.000Z' },
      {
        type: 'HumanTaskDecided',
        taskId: 'IA-2026-1-follow-up',
        kind: 'internal_audit_follow_up',
        outcome: 'approved',
        reasons: [],
        by: INES,
        at: '2026-03-21T09:00:00.000Z',
      },
    ]);
  expect(closed.state?.followUp?.status).toBe('decided');
  expect(nextFollowUpStep(closed.state, 7 * DAY)).toBeNull();
  given([...ready, ...closed.events])
    .when({ type: 'SendAuditFollowUpReminder', at: '2026-05-01T09:00:00.000Z' })
    .then(expectError('HUMAN_TASK_CLOSED'));
});

test('an audit started before the timer records no follow-up task and refuses its steps', () => {
  const { given: plain } = deciderSpec({ decide: decideWithoutFollowUp, evolve, initialState: INITIAL_INTERNAL_AUDIT_STATE });
  const events: InternalAuditEvent[] = [];
  for (const c of [...fieldwork, report]) {
    const decided = decideWithoutFollowUp(c, plain(events).state);
    if (!decided.ok) throw new Error(decided.error.code);
    events.push(...decided.value);
  }
  expect(events.map((e) => e.type)).not.toContain('HumanTaskOpened');
  expect(nextFollowUpStep(plain(events).state, 7 * DAY)).toBeNull();
  plain(events).when({ type: 'SendAuditFollowUpReminder', at: '2026-05-01T09:00:00.000Z' }).then(expectError('HUMAN_TASK_UNKNOWN'));
});

test('the follow-up events are evidence for 9.2.1', () => {
  for (const e of history(...fieldwork, report).filter((x) => x.type === 'HumanTaskOpened'))
    expect(internalAuditEventReferences(e)).toContain('9.2.1');
});
