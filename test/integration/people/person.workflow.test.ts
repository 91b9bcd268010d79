/**
 * The `person` workflow on a real Temporal server with a real SQLite evidence store: a person registered,
 * appointed by the AIMS owner (not by themselves), one appointment revoked with a reason, another ended by
 * its durable timer when its `until` passes, and the person leaving ends what is left. Refusals record
 * nothing; the exact evidence sequence is checked.
 */
import { PEOPLE_POLICY_STREAM, PEOPLE_POLICY_WORKFLOW_ID, personWorkflowId } from '../../../domain/people';
import type { Actor } from '../../../domain/shared/roles';
import type { peoplePolicy, person } from '../../../workflows';
import { setAppointmentEnforcementUpdate } from '../../../workflows/people-policy.messages';
import {
  appointRoleUpdate,
  personStateQuery,
  recordCompetenceUpdate,
  recordPersonLeftUpdate,
  revokeAppointmentUpdate,
  type PersonWorkflowInput,
} from '../../../workflows/person.messages';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { eventually, expectRefused, inSeconds, readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const tara: Actor = { id: 'tara', roles: ['top_management'] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given a registered person, when appointed, revoked, one term running out on its timer and the person leaving, then each is evidence and refusals record nothing', async () => {
  const personId = `vera-${h.runTag}`;
  const input: PersonWorkflowInput = {
    personId,
    name: 'Vera Validator',
    contact: 'vera@example.com',
    unit: 'model-risk',
    identities: [personId, `${personId}@example.com`],
    by: amara,
  };
  await h.env.client.workflow.start('person', { taskQueue: h.taskQueue, workflowId: personWorkflowId(personId), args: [input] });
  const handle = h.env.client.workflow.getHandle<typeof person>(personWorkflowId(personId));
  const from = new Date(Date.now() - 1000).toISOString();

  // Vera's own credential cannot appoint her, whatever roles it holds.
  await expectRefused(
    handle.executeUpdate(appointRoleUpdate, {
      args: [
        {
          by: { id: personId.toUpperCase(), roles: ['aims_owner'] },
          role: 'validator',
          covers: { wholeAims: true },
          from,
          responsibilities: 'x',
        },
      ],
    }),
    'SEGREGATION_OF_DUTIES',
  );
  const validator = await handle.executeUpdate(appointRoleUpdate, {
    args: [
      { by: amara, role: 'validator', covers: { wholeAims: true }, from, until: inSeconds(3), responsibilities: 'Signs off validations' },
    ],
  });
  expect(validator.appointmentId).toBe(`${personId}-validator-1`);
  const approver = await handle.executeUpdate(appointRoleUpdate, {
    args: [{ by: tara, role: 'approver', covers: { systemIds: ['credit-scoring'] }, from, responsibilities: 'Approves deployments' }],
  });
  await handle.executeUpdate(appointRoleUpdate, {
    args: [{ by: tara, role: 'engineer', covers: { units: ['model-risk'] }, from, responsibilities: 'Builds models' }],
  });
  await handle.executeUpdate(revokeAppointmentUpdate, {
    args: [{ by: amara, appointmentId: approver.appointmentId ?? '', reason: 'moved team' }],
  });
  await eventually(
    () => handle.query(personStateQuery),
    (s) => s.appointments.find((a) => a.role === 'validator')?.status === 'ended',
    'the validator appointment to end on its timer',
  );
  await handle.executeUpdate(recordPersonLeftUpdate, { args: [{ by: tara, reason: 'resigned' }] });
  await expectRefused(
    handle.executeUpdate(revokeAppointmentUpdate, { args: [{ by: amara, appointmentId: approver.appointmentId ?? '', reason: 'again' }] }),
    'PERSON_LEFT',
  );

  const events = await readStream(h.store, personWorkflowId(personId));
  expect(events.map((e) => e.type)).toEqual([
    'PersonRegistered',
    'RoleAppointed',
    'RoleAppointed',
    'RoleAppointed',
    'AppointmentRevoked',
    'AppointmentEnded',
    'PersonLeft',
    'AppointmentEnded',
  ]);
  expect(events[5]).toMatchObject({
    data: { cause: 'until_reached', role: 'validator' },
    metadata: { actor: { id: 'aims:person', role: 'system' } },
  });
  expect(events[1]?.metadata).toMatchObject({
    actor: { id: 'amara', role: 'aims_owner' },
    iso42001: { clauses: ['5.1', '5.3'], controls: ['A.3.2'] },
  });
  // With AIMS_RECORD_HISTORIES=1: kept as a replay fixture, so a change that would break running person workflows fails replay.
  writeHistoryFixture('person', 'appointed-revoked-ended-left', await handle.fetchHistory());
});

test('given the people policy, when top management switches appointment enforcement on then off, then each is evidence and a repeat is refused', async () => {
  await h.env.client.workflow.start('peoplePolicy', {
    taskQueue: h.taskQueue,
    workflowId: PEOPLE_POLICY_WORKFLOW_ID,
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{}],
  });
  const handle = h.env.client.workflow.getHandle<typeof peoplePolicy>(PEOPLE_POLICY_WORKFLOW_ID);
  await expectRefused(
    handle.executeUpdate(setAppointmentEnforcementUpdate, { args: [{ by: amara, enforced: false, reason: 'x' }] }),
    'APPOINTMENT_ENFORCEMENT_UNCHANGED',
  );
  const on = await handle.executeUpdate(setAppointmentEnforcementUpdate, {
    args: [{ by: tara, enforced: true, reason: 'every approver is appointed' }],
  });
  expect(on.policy.appointmentsEnforced).toBe(true);
  await handle.executeUpdate(setAppointmentEnforcementUpdate, { args: [{ by: amara, enforced: false, reason: 'rollback' }] });
  const events = await readStream(h.store, PEOPLE_POLICY_STREAM);
  expect(events.map((e) => [e.type, e.data.enforced])).toEqual([
    ['AppointmentEnforcementSet', true],
    ['AppointmentEnforcementSet', false],
  ]);
  writeHistoryFixture('people-policy', 'switched-on-then-off', await handle.fetchHistory());
});

test('given a registered person, when a competence record is approved by the AIMS owner, then it is 7.2 evidence; by the person it is refused and records nothing', async () => {
  const personId = `carl-${h.runTag}`;
  await h.env.client.workflow.start('person', {
    taskQueue: h.taskQueue,
    workflowId: personWorkflowId(personId),
    args: [
      { personId, name: 'Carl', contact: 'carl@example.com', unit: 'ml', identities: [personId], by: amara } satisfies PersonWorkflowInput,
    ],
  });
  const handle = h.env.client.workflow.getHandle<typeof person>(personWorkflowId(personId));
  const record = {
    recordId: 'mv-1',
    competence: 'model validation',
    kind: 'course' as const,
    obtainedAt: '2026-01-10T00:00:00Z',
    evidenceRef: 'cert-9',
  };
  await expectRefused(
    handle.executeUpdate(recordCompetenceUpdate, { args: [{ by: { id: personId, roles: ['aims_owner'] }, ...record }] }),
    'SEGREGATION_OF_DUTIES',
  );
  const done = await handle.executeUpdate(recordCompetenceUpdate, { args: [{ by: amara, ...record }] });
  expect(done.person.competence).toEqual([expect.objectContaining({ recordId: 'mv-1', approvedBy: { id: 'amara', role: 'aims_owner' } })]);
  const events = await readStream(h.store, personWorkflowId(personId));
  expect(events.map((e) => e.type)).toEqual(['PersonRegistered', 'CompetenceRecorded']);
  expect(events[1]?.metadata).toMatchObject({ iso42001: { clauses: ['7.2'], controls: ['A.4.6'] } });
  writeHistoryFixture('person', 'competence-recorded', await handle.fetchHistory());
});
