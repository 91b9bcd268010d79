/**
 * Competence (7.2) on a real Temporal server with a real SQLite evidence store: the people policy records
 * a role's requirement and its switch; a person's record expiring soon is reminded by the person workflow's
 * durable timer, its lapse opens a training action in the AIMS owner's inbox (a human task), and a new
 * record closes it. Refusals record nothing; the exact evidence sequence is checked.
 */
import { PEOPLE_POLICY_STREAM, PEOPLE_POLICY_WORKFLOW_ID, personWorkflowId, trainingTaskId } from '../../../domain/people';
import type { Actor } from '../../../domain/shared/roles';
import type { peoplePolicy, person } from '../../../workflows';
import {
  removeCompetenceRequirementUpdate,
  setCompetenceEnforcementUpdate,
  setCompetenceRequirementUpdate,
} from '../../../workflows/people-policy.messages';
import { personStateQuery, recordCompetenceUpdate, type PersonWorkflowInput } from '../../../workflows/person.messages';
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

test('given a record expiring soon, when its reminder and expiry come, then the timer records both and the lapse opens a training action a new record closes', async () => {
  const personId = `vera-${h.runTag}`;
  const input: PersonWorkflowInput = { personId, name: 'Vera', contact: 'vera@example.com', unit: 'ml', identities: [personId], by: amara };
  await h.env.client.workflow.start('person', { taskQueue: h.taskQueue, workflowId: personWorkflowId(personId), args: [input] });
  const handle = h.env.client.workflow.getHandle<typeof person>(personWorkflowId(personId));
  // Expiring within the reminder's lead: the reminder is due at once, the lapse when it expires (time enough
  // between them that a loaded machine does not reach the expiry first, when the reminder is rightly skipped).
  const expiresAt = inSeconds(12);
  await handle.executeUpdate(recordCompetenceUpdate, {
    args: [
      {
        by: amara,
        recordId: 'mv-1',
        competence: 'model validation',
        kind: 'course',
        obtainedAt: '2025-01-10T00:00:00Z',
        expiresAt,
        evidenceRef: 'cert-1',
      },
    ],
  });
  const reminded = await eventually(
    () => handle.query(personStateQuery),
    (s) => (s.competenceReminded ?? []).length === 1,
    'the coming expiry to be reminded',
  );
  expect(reminded.trainingTasks ?? []).toEqual([]);
  const lapsed = await eventually(
    () => handle.query(personStateQuery),
    (s) => (s.trainingTasks ?? []).length === 1,
    'the record to lapse and open a training action',
    60_000,
  );
  expect(lapsed.competenceReminded).toEqual(['mv-1']);
  expect(lapsed.trainingTasks?.[0]).toMatchObject({
    taskId: trainingTaskId('mv-1'),
    kind: 'competence_training',
    requiredRoles: ['aims_owner'],
    status: 'open',
    subject: { personId, competence: 'model validation', recordId: 'mv-1' },
  });
  // Vera cannot approve her own renewal; the AIMS owner's approval closes the action.
  await expectRefused(
    handle.executeUpdate(recordCompetenceUpdate, {
      args: [
        {
          by: { id: personId, roles: ['aims_owner'] },
          recordId: 'mv-2',
          competence: 'model validation',
          kind: 'assessment',
          obtainedAt: new Date().toISOString(),
          evidenceRef: 'x',
        },
      ],
    }),
    'SEGREGATION_OF_DUTIES',
  );
  const renewed = await handle.executeUpdate(recordCompetenceUpdate, {
    args: [
      {
        by: amara,
        recordId: 'mv-2',
        competence: 'model validation',
        kind: 'assessment',
        obtainedAt: new Date(Date.now() - 1000).toISOString(),
        evidenceRef: 'assessment-2',
      },
    ],
  });
  expect(renewed.person.trainingTasks?.[0]?.status).toBe('superseded');

  const events = await readStream(h.store, personWorkflowId(personId));
  expect(events.map((e) => e.type)).toEqual([
    'PersonRegistered',
    'CompetenceRecorded',
    'CompetenceExpiryReminded',
    'CompetenceLapsed',
    'HumanTaskOpened',
    'CompetenceRecorded',
    'HumanTaskSuperseded',
  ]);
  expect(events[2]).toMatchObject({
    data: { recordId: 'mv-1', expiresAt: new Date(expiresAt).toISOString() },
    metadata: { actor: { id: 'aims:person', role: 'system' }, iso42001: { clauses: ['7.2'], controls: ['A.4.6'] } },
  });
  expect(events[4]).toMatchObject({
    data: { taskId: trainingTaskId('mv-1'), kind: 'competence_training', requiredRoles: ['aims_owner'] },
  });
  expect(events[6]).toMatchObject({ data: { taskId: trainingTaskId('mv-1') }, metadata: { actor: { id: 'amara' } } });
  writeHistoryFixture('person', 'competence-reminded-lapsed-renewed', await handle.fetchHistory());
});

test('given the people policy, when a requirement and its switch are set, then each is 7.2 evidence and bad or repeated changes are refused', async () => {
  await h.env.client.workflow.start('peoplePolicy', {
    taskQueue: h.taskQueue,
    workflowId: PEOPLE_POLICY_WORKFLOW_ID,
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{}],
  });
  const handle = h.env.client.workflow.getHandle<typeof peoplePolicy>(PEOPLE_POLICY_WORKFLOW_ID);
  const requirement = { role: 'validator' as const, competence: 'model validation', withinMonths: 24, reason: 'validators keep current' };
  await expectRefused(
    handle.executeUpdate(setCompetenceRequirementUpdate, { args: [{ by: { id: 'vic', roles: ['validator'] }, ...requirement }] }),
    'MISSING_ROLE',
  );
  await expectRefused(
    handle.executeUpdate(setCompetenceRequirementUpdate, { args: [{ by: amara, ...requirement, withinMonths: 0 }] }),
    'VALIDATION_FAILED',
  );
  await handle.executeUpdate(setCompetenceRequirementUpdate, { args: [{ by: amara, ...requirement }] });
  await expectRefused(
    handle.executeUpdate(setCompetenceRequirementUpdate, { args: [{ by: amara, ...requirement }] }),
    'COMPETENCE_REQUIREMENT_UNCHANGED',
  );
  await handle.executeUpdate(setCompetenceRequirementUpdate, {
    args: [{ by: tara, role: 'approver', competence: 'AI risk basics', withinMonths: null, reason: 'approvers know the risk criteria' }],
  });
  const on = await handle.executeUpdate(setCompetenceEnforcementUpdate, {
    args: [{ by: tara, role: 'validator', enforced: true, reason: 'validators must be current' }],
  });
  expect(on.policy.competenceEnforcedRoles).toEqual(['validator']);
  const removed = await handle.executeUpdate(removeCompetenceRequirementUpdate, {
    args: [{ by: amara, role: 'approver', competence: 'AI risk basics', reason: 'covered by onboarding' }],
  });
  expect(removed.policy.competenceRequirements).toEqual([{ role: 'validator', competence: 'model validation', withinMonths: 24 }]);

  const events = await readStream(h.store, PEOPLE_POLICY_STREAM);
  expect(events.map((e) => e.type)).toEqual([
    'CompetenceRequirementSet',
    'CompetenceRequirementSet',
    'CompetenceEnforcementSet',
    'CompetenceRequirementRemoved',
  ]);
  expect(events[2]).toMatchObject({
    data: { role: 'validator', enforced: true },
    metadata: { actor: { id: 'tara', role: 'top_management' }, iso42001: { clauses: ['5.1', '7.2'], controls: ['A.3.2', 'A.4.6'] } },
  });
  writeHistoryFixture('people-policy', 'competence-policy-set', await handle.fetchHistory());
});
