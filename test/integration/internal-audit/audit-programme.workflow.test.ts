/**
 * The `auditProgramme` workflow on a real Temporal server with a real SQLite evidence store: a programme
 * drafted by one AIMS owner and approved by another (its drafter refused) schedules its audits on durable
 * timers: each falls due at its planned start naming its lead auditor; one whose internal audit starts its
 * fieldwork is noted as started, the other is escalated to the AIMS owner at its planned end.
 */
import { auditProgrammeWorkflowId, type AuditProgrammeState } from '../../../domain/audit-programme';
import { internalAuditWorkflowId } from '../../../domain/internal-audit';
import type { Actor } from '../../../domain/shared/roles';
import type { auditProgramme, internalAudit } from '../../../workflows';
import {
  approveAuditProgrammeUpdate,
  auditProgrammeStateQuery,
  type AuditProgrammeInput,
} from '../../../workflows/audit-programme.messages';
import { startFieldworkUpdate, type InternalAuditInput } from '../../../workflows/internal-audit.messages';
import { eventually, expectRefused, inSeconds, readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { HUMAN_TASKS, type HumanTaskRow } from '../../../infra/projections/read-models';

jest.setTimeout(120_000);

const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const omar: Actor = { id: 'omar', roles: ['aims_owner'] };
const ines: Actor = { id: 'ines', roles: ['internal_auditor'] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given an approved programme, when its audits fall due, then the started one is noted and the other escalated as late', async () => {
  const period = `p-${h.runTag}`;
  const control = { kind: 'control' as const, id: 'A.6.2.4' };
  const proc = { kind: 'process' as const, id: 'procurement' };
  const [started, late] = [`ia-started-${h.runTag}`, `ia-late-${h.runTag}`];
  const input: AuditProgrammeInput = {
    period,
    areas: [
      { area: control, importance: 'medium', previousResult: 'conforming' },
      { area: proc, importance: 'medium', previousResult: 'not_audited' },
    ],
    methods: ['evidence sampling'],
    responsibilities: [{ area: proc, personIds: ['paul'] }],
    audits: [
      { auditId: started, areas: [control], leadAuditor: 'ines', plannedStart: inSeconds(2), plannedEnd: inSeconds(60) },
      { auditId: late, areas: [proc], leadAuditor: 'ines', plannedStart: inSeconds(2), plannedEnd: inSeconds(5) },
    ],
    by: olivia,
  };
  await h.env.client.workflow.start('auditProgramme', {
    taskQueue: h.taskQueue,
    workflowId: auditProgrammeWorkflowId(period),
    args: [input],
  });
  const programme = h.env.client.workflow.getHandle<typeof auditProgramme>(auditProgrammeWorkflowId(period));
  await expectRefused(programme.executeUpdate(approveAuditProgrammeUpdate, { args: [{ by: olivia }] }), 'SEGREGATION_OF_DUTIES');
  await programme.executeUpdate(approveAuditProgrammeUpdate, { args: [{ by: omar }] });

  await eventually(
    () => programme.query(auditProgrammeStateQuery),
    (s: AuditProgrammeState) => s?.schedule[started] === 'due',
    'the audits to fall due',
  );
  // the audit of the programme starts its fieldwork, and tells the programme
  const plan: InternalAuditInput = {
    auditId: started,
    title: 'A.6.2.4',
    programmeId: period,
    scope: [control],
    criteria: [{ criterionId: 'C1', text: 'Signed off' }],
    leadAuditor: 'ines',
    team: [],
    plannedStart: inSeconds(0),
    plannedEnd: inSeconds(60),
    responsibilities: [],
    by: olivia,
  };
  await h.env.client.workflow.start('internalAudit', {
    taskQueue: h.taskQueue,
    workflowId: internalAuditWorkflowId(started),
    args: [plan],
  });
  const audit = h.env.client.workflow.getHandle<typeof internalAudit>(internalAuditWorkflowId(started));
  await audit.executeUpdate(startFieldworkUpdate, { args: [{ by: ines }] });

  const finished = await programme.result();
  expect(finished?.schedule).toEqual({ [started]: 'started', [late]: 'late' });
  const events = await readStream(h.store, auditProgrammeWorkflowId(period));
  const steps = events.map(
    (e) => `${e.type}${typeof e.data.auditId === 'string' ? ` ${e.data.auditId === started ? 'started' : 'late'}` : ''}`,
  );
  expect(steps.slice(0, 2)).toEqual(['AuditProgrammeDrafted', 'AuditProgrammeApproved']);
  expect(steps.slice(2).sort()).toEqual([
    'HumanTaskEscalated',
    'HumanTaskOpened',
    'HumanTaskOpened',
    'HumanTaskSuperseded',
    'ProgrammedAuditDue late',
    'ProgrammedAuditDue started',
    'ProgrammedAuditLate late',
    'ProgrammedAuditStarted started',
  ]);
  expect(events.find((e) => e.type === 'ProgrammedAuditDue')?.data.notify).toEqual(['ines']);
  expect(events.find((e) => e.type === 'ProgrammedAuditLate')).toMatchObject({
    data: { escalateTo: 'aims_owner' },
    metadata: { actor: { id: 'aims:audit-programme' } },
  });
  // the audit's task was in the one inbox's evidence: opened when due, superseded once its fieldwork started
  expect(events.find((e) => e.type === 'HumanTaskSuperseded')?.data.taskId).toBe(`${started}-conduct`);
  // and the one inbox's read model, folding that evidence as the projector does, shows both tasks: the
  // started audit's closed, the late audit's escalated to the AIMS owner (who may now take it)
  const inbox = new Map<string, HumanTaskRow>();
  for (const e of events) {
    const key = HUMAN_TASKS.keyOf(e);
    if (key === null) continue;
    const current = inbox.get(key);
    const next = HUMAN_TASKS.apply(current === undefined ? null : { row: current, state: null }, e);
    if (next !== null) inbox.set(key, next.row);
  }
  const rows = [...inbox.values()];
  expect(rows.find((r) => r.taskId === `${late}-conduct`)).toMatchObject({
    kind: 'programmed_internal_audit',
    status: 'open',
    escalatedTo: 'aims_owner',
    eligibleRoles: expect.arrayContaining(['internal_auditor', 'aims_owner']),
  });
  expect(rows.find((r) => r.taskId === `${started}-conduct`)).toMatchObject({ status: 'superseded' });
  await audit.terminate('test done');
  writeHistoryFixture('audit-programme', 'audits-due-one-started-one-late', await programme.fetchHistory());
});
