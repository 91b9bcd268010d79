/**
 * Independence from appointments on a real Temporal server with a real SQLite evidence store: the people
 * register (the `person` workflow) appoints an internal auditor as engineer of an AI system during an audit
 * of it; from then on the `internalAudit` workflow refuses that auditor's sample and any finding on that
 * system (AUDITOR_NOT_INDEPENDENT, naming the appointment), read from the register by an activity, while a
 * finding on an area the appointment does not cover, and the other auditor's work, stand. A plan whose
 * input carries such an appointment (as the API reads it) never starts.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { internalAuditWorkflowId } from '../../../domain/internal-audit';
import { personWorkflowId } from '../../../domain/people';
import type { Actor } from '../../../domain/shared/roles';
import type { internalAudit, person } from '../../../workflows';
import {
  recordFindingUpdate,
  recordSampleUpdate,
  startFieldworkUpdate,
  type InternalAuditInput,
} from '../../../workflows/internal-audit.messages';
import { appointRoleUpdate, type PersonWorkflowInput } from '../../../workflows/person.messages';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { expectRefused, FAST_TIMING, inSeconds, readStream, startHarness, type Harness } from '../nonconformity/nonconformity-harness';

jest.setTimeout(120_000);

const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('given an auditor appointed engineer of the audited system mid-audit, then their sample and their findings on it are refused naming the appointment', async () => {
  const system = `credit-scoring-${h.runTag}`;
  const inesId = `ines-${h.runTag}`;
  const ivanId = `ivan-${h.runTag}`;
  const ines: Actor = { id: inesId, roles: ['internal_auditor'] };
  const ivan: Actor = { id: ivanId, roles: ['internal_auditor'] };

  // the register: ivan is a person; nothing makes him responsible for the system yet
  const register: PersonWorkflowInput = {
    personId: ivanId,
    name: 'Ivan Auditor',
    contact: 'ivan@example.com',
    unit: 'internal-audit',
    identities: [ivanId],
    by: olivia,
  };
  await h.env.client.workflow.start('person', { taskQueue: h.taskQueue, workflowId: personWorkflowId(ivanId), args: [register] });
  const ivanPerson = h.env.client.workflow.getHandle<typeof person>(personWorkflowId(ivanId));

  const evidence = randomUUID();
  await h.store.append(`ai-system-${system}`, [
    { id: evidence, type: 'ValidationSignedOff', data: { validationId: 'v1' }, metadata: { actor: { id: 'victor', role: 'validator' } } },
  ]);
  const asOf = (await h.store.head())?.position ?? 0;

  const auditId = `ia-appointed-${h.runTag}`;
  const plan: InternalAuditInput = {
    auditId,
    title: 'Credit scoring validation',
    programmeId: null,
    scope: [
      { kind: 'control', id: 'A.6.2.4' },
      { kind: 'ai_system', id: system },
    ],
    criteria: [{ criterionId: 'C1', text: 'Validation results are signed off by an independent validator (A.6.2.4)' }],
    leadAuditor: inesId,
    team: [ivanId],
    plannedStart: inSeconds(0),
    plannedEnd: inSeconds(14 * 86_400),
    responsibilities: [],
    by: olivia,
    nonconformityTiming: FAST_TIMING,
  };
  await h.env.client.workflow.start('internalAudit', {
    taskQueue: h.taskQueue,
    workflowId: internalAuditWorkflowId(auditId),
    args: [plan],
  });
  const audit = h.env.client.workflow.getHandle<typeof internalAudit>(internalAuditWorkflowId(auditId));
  await audit.executeUpdate(startFieldworkUpdate, { args: [{ by: ines }] });

  // when: the register appoints ivan engineer of the system under audit
  const appointed = await ivanPerson.executeUpdate(appointRoleUpdate, {
    args: [
      {
        by: olivia,
        role: 'engineer',
        covers: { systemIds: [system] },
        from: new Date(Date.now() - 1000).toISOString(),
        responsibilities: 'Maintains the credit-scoring model',
      },
    ],
  });
  const appointmentId = appointed.person.appointments[0]?.appointmentId;
  expect(appointmentId).toEqual(expect.any(String));

  // then: ivan can no longer sample for this audit, nor record a finding on the system
  const sampleRefused = await expectRefused(
    audit.executeUpdate(recordSampleUpdate, { args: [{ by: ivan, sampleId: 'S-ivan', asOfPosition: asOf, eventIds: [evidence] }] }),
    'AUDITOR_NOT_INDEPENDENT',
  );
  expect(sampleRefused).toMatchObject({
    details: [
      {
        details: {
          conflicts: expect.arrayContaining([{ auditorId: ivanId, area: `ai_system:${system}`, appointmentId, role: 'engineer' }]),
        },
      },
    ],
  });
  await audit.executeUpdate(recordSampleUpdate, { args: [{ by: ines, sampleId: 'S1', asOfPosition: asOf, eventIds: [evidence] }] });
  const findingRefused = await expectRefused(
    audit.executeUpdate(recordFindingUpdate, {
      args: [
        {
          by: ivan,
          findingId: 'F1',
          type: 'observation',
          area: { kind: 'ai_system', id: system },
          statement: 'x',
          evidenceRefs: [evidence],
        },
      ],
    }),
    'AUDITOR_NOT_INDEPENDENT',
  );
  expect(findingRefused).toMatchObject({ details: [{ details: { conflicts: [{ appointmentId }] } }] });
  // a finding on an area his appointment does not cover stands
  await audit.executeUpdate(recordFindingUpdate, {
    args: [
      {
        by: ivan,
        findingId: 'F2',
        type: 'observation',
        area: { kind: 'control', id: 'A.6.2.4' },
        statement: 'The sign-off names its validator.',
        evidenceRefs: [evidence],
      },
    ],
  });
  writeHistoryFixture('internal-audit', 'auditor-appointed-mid-audit', await audit.fetchHistory());
  const events = await readStream(h.store, internalAuditWorkflowId(auditId));
  // refusals record nothing
  expect(events.map((e) => e.type)).toEqual(['AuditPlanned', 'AuditFieldworkStarted', 'AuditSampleRecorded', 'AuditFindingRecorded']);
  expect(events[3]?.data).toMatchObject({ findingId: 'F2' });

  // a plan decided against the register's appointments (as the API hands them in) never starts
  const againId = `ia-appointed-2-${h.runTag}`;
  const handle = await h.env.client.workflow.start('internalAudit', {
    taskQueue: h.taskQueue,
    workflowId: internalAuditWorkflowId(againId),
    args: [
      {
        ...plan,
        auditId: againId,
        appointments: [
          {
            personId: ivanId,
            appointmentId: appointmentId,
            role: 'engineer',
            covers: { wholeAims: false, systemIds: [system], units: [] },
          },
        ],
      },
    ],
  });
  const failure = await handle.result().catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'AUDITOR_NOT_INDEPENDENT' });
  expect(await readStream(h.store, internalAuditWorkflowId(againId))).toEqual([]);
});
