/**
 * The lifecycle honours its system's risks, on a real Temporal dev server (issue 14 item 3): a risk's
 * posture (signalled here as the `risk` workflow does, its evidence recorded as the risk's domain decides
 * it) is noted as evidence and blocks the deployment gate, naming the risk, until the risk reports no
 * blockers; a posture its risk's evidence does not give (made up, or of a risk with no evidence) is refused
 * and records nothing; a significant change and a critical incident then ask every risk the system knows
 * of to reassess (a minor change does not): a stand-in risk workflow records the request. With
 * AIMS_RECORD_HISTORIES=1 the run is kept as a replay fixture.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { decide as decideRisk, evolve as evolveRisk, type RiskCommand, type RiskState } from '../../../domain/risk';
import { DEFAULT_RISK_CRITERIA } from '../../../domain/risk-criteria';
import { eventData as riskEventData } from '../../../domain/risk/model';
import type { RiskPostureChange } from '../../../domain/shared/risk-links';
import type { Actor } from '../../../domain/shared/roles';
import { riskWorkflowId } from '../../../domain/shared/risk-links';
import {
  decideTaskUpdate,
  recordChangeUpdate,
  reportIncidentUpdate,
  requestDeploymentUpdate,
} from '../../../workflows/ai-system-lifecycle.workflow';
import { riskPostureChangedSignal } from '../../../workflows/risk-signals';
import { reassessmentRequestsQuery, type riskSignalRecorder } from '../../support/risk-signal-recorder';
import { uniqueTaskQueue } from '../../support/temporal';
import {
  collect,
  deploymentRequest,
  driveToSignedOff,
  eventually,
  EVIDENCE_TO_SIGNED_OFF,
  expectEvidenceMatchesDomain,
  goodMetrics,
  LifecycleDriver,
  people,
  recordHistoryFixture,
  registration,
  startHarness,
  startLifecycle,
  type Harness,
} from './lifecycle-harness';

let h: Harness;
let riskWorker: Worker;
let riskWorkerRunning: Promise<void>;
const riskQueue = uniqueTaskQueue('risk-stand-in');

beforeAll(async () => {
  h = await startHarness();
  riskWorker = await Worker.create({
    connection: h.env.nativeConnection,
    namespace: 'default',
    taskQueue: riskQueue,
    workflowsPath: require.resolve('../../support/risk-signal-recorder'),
  });
  riskWorkerRunning = riskWorker.run();
});

afterAll(async () => {
  riskWorker?.shutdown();
  await riskWorkerRunning;
  await h?.stop();
});

const posture = (riskId: string, blockers: RiskPostureChange['blockers'], causeEventId: string): RiskPostureChange => ({
  riskId,
  level: 'high',
  blockers,
  causeEventId,
  at: new Date().toISOString(),
});

/** Risk R-1's evidence, as its process records it: each command decided by the risk's domain, appended to `risk-R-1`. */
const riskR1 = (() => {
  let state: RiskState = null;
  return async (commands: RiskCommand[]): Promise<string> => {
    let last = '';
    for (const c of commands) {
      const decided = decideRisk(c, state);
      if (!decided.ok) throw new Error(`${c.type}: ${decided.error.code} ${decided.error.message}`);
      const events = decided.value.map((e) => ({ id: randomUUID(), type: e.type, data: riskEventData(e) }));
      await h.store.append(riskWorkflowId('R-1'), events);
      state = decided.value.reduce(evolveRisk, state);
      last = events.at(-1)?.id ?? last;
    }
    return last;
  };
})();
const at = () => new Date().toISOString();
const ravi: Actor = { id: 'ravi', roles: ['risk_owner'] };
const decision = (taskId: string, by: Actor): RiskCommand => ({
  type: 'DecideRiskTask',
  taskId,
  outcome: 'approved',
  reasons: [],
  by,
  at: at(),
});

test('given a risk above appetite, when a deployment is requested, then blocked naming the risk; once the risk unblocks a new request is allowed; a significant change and a critical incident ask the risks to reassess, a minor change does not', async () => {
  const reg = registration('risky-model');
  const d = new LifecycleDriver(await startLifecycle(h.env, h.taskQueue, reg), h.store, reg.systemId);
  await driveToSignedOff(d, goodMetrics);
  const risk = await h.env.client.workflow.start<typeof riskSignalRecorder>('riskSignalRecorder', {
    taskQueue: riskQueue,
    workflowId: riskWorkflowId('R-1'),
  });
  const noted = async (count: number): Promise<unknown> =>
    eventually(
      async () => (await collect(h.store.readStream(d.stream))).filter((e) => e.type === 'RiskPostureNoted').length,
      (n) => n >= count,
      `${count} risk postures noted`,
    );

  // R-1 identified and assessed above appetite: it blocks. Made-up postures are refused: R-1 said clear by a
  // cause its evidence does not hold, or by its real cause, and R-2, which has no evidence at all.
  const assessed = await riskR1([
    {
      type: 'IdentifyRisk',
      riskId: 'R-1',
      systemId: reg.systemId,
      source: { kind: 'annex-c', id: 'machine-learning' },
      description: 'Scores drift against a protected group',
      owner: 'rita',
      by: people.erin,
      at: at(),
    },
    {
      type: 'AssessRisk',
      inherent: { likelihood: 'likely', consequence: 'moderate' },
      rationale: 'bias audit',
      criteria: { version: 1, content: DEFAULT_RISK_CRITERIA },
      by: people.erin,
      at: at(),
    },
  ]);
  await d.handle.signal(riskPostureChangedSignal, posture('R-1', [], 'risk-ev-made-up'));
  await d.handle.signal(riskPostureChangedSignal, posture('R-1', [], assessed));
  await d.handle.signal(riskPostureChangedSignal, posture('R-2', [], 'risk-ev-2'));
  await d.handle.signal(riskPostureChangedSignal, posture('R-1', ['above-appetite-not-accepted'], assessed));
  await noted(1);
  const blocked = await d.send(requestDeploymentUpdate, deploymentRequest('run-1'));
  expect(blocked).toMatchObject({
    outcome: 'blocked',
    reasons: [{ code: 'RISK_BLOCKS_DEPLOYMENT', riskIds: ['R-1'], message: expect.stringContaining('risk R-1 (level high)') }],
  });

  // R-1 reviewed, its retention approved and its residual level accepted by the AIMS owner: no longer blocked by it
  const accepted = await riskR1([
    decision('R-1-risk-assessment-review-1-1', people.rita),
    { type: 'PlanRiskTreatment', option: 'retain', annexAControlIds: [], ownControls: [], actions: [], by: people.rita, at: at() },
    decision('R-1-risk-treatment-plan-approval-1-1', ravi),
    {
      type: 'RecordResidualRisk',
      residual: { likelihood: 'likely', consequence: 'moderate' },
      rationale: 'retained',
      by: people.erin,
      at: at(),
    },
    decision('R-1-risk-acceptance-1-1', people.amara),
  ]);
  await d.handle.signal(riskPostureChangedSignal, posture('R-1', [], accepted));
  await noted(2);
  const pending = await d.send(requestDeploymentUpdate, deploymentRequest('run-2'));
  expect(pending).toMatchObject({ outcome: 'pending', reasons: [] });
  const approved = await d.send(decideTaskUpdate, { by: people.bob, taskId: pending.approvalTaskId as string, outcome: 'approved' });
  expect(approved).toMatchObject({ outcome: 'approved' });

  // a significant change: R-1 is asked to reassess (R-2, never noted, is not known), the lifecycle carries on
  const change = await d.send(recordChangeUpdate, {
    by: people.erin,
    description: 'New training data source',
    significant: true,
    amendments: { purpose: 'Score credit applications, including small businesses' },
  });
  expect(change).toMatchObject({ significant: true });
  const changeEvidenceId = change.recorded.find((r) => r.type === 'ChangeRecorded')?.evidenceId;
  // a minor change asks nobody; a critical incident asks again
  await d.send(recordChangeUpdate, { by: people.erin, description: 'Display name', significant: false, amendments: { name: 'Risky' } });
  const incident = await d.send(reportIncidentUpdate, { by: people.erin, severity: 'critical', description: 'Wrong refusals' });
  const incidentEvidenceId = incident.recorded.find((r) => r.type === 'IncidentReported')?.evidenceId;
  const requests = await eventually(
    () => risk.query(reassessmentRequestsQuery),
    (r) => r.length >= 2,
    'R-1 asked to reassess twice',
  );
  expect(requests).toEqual([
    {
      systemId: reg.systemId,
      cause: { eventId: changeEvidenceId, type: 'ChangeRecorded', summary: expect.stringContaining('significant change') },
    },
    {
      systemId: reg.systemId,
      cause: { eventId: incidentEvidenceId, type: 'IncidentReported', summary: expect.stringContaining('critical incident') },
    },
  ]);

  const events = await expectEvidenceMatchesDomain(d, [
    ...EVIDENCE_TO_SIGNED_OFF,
    'RiskPostureNoted',
    'DeploymentRequested',
    'DeploymentBlocked',
    'AiPolicyAtGateNoted',
    'RiskPostureNoted',
    'DeploymentRequested',
    'HumanTaskOpened',
    'HumanTaskDecided',
    'DeploymentApproved',
    'AiPolicyAtGateNoted',
    // the change outdates the impact assessment: back to it, and the approved request withdrawn
    'ChangeRecorded',
    'LifecycleStageChanged',
    'DeploymentBlocked',
    'AiPolicyAtGateNoted',
    'ChangeRecorded',
    'IncidentReported',
    'NonconformityOpened',
  ]);
  const notes = events.filter((e) => e.type === 'RiskPostureNoted');
  expect(notes.map((e) => [e.data.riskId, e.data.blockers, e.metadata.causationId, e.metadata.actor])).toEqual([
    ['R-1', ['above-appetite-not-accepted'], assessed, { id: 'aims:lifecycle', role: 'system' }],
    ['R-1', [], accepted, { id: 'aims:lifecycle', role: 'system' }],
  ]);
  // each note names the risk evidence that vouched for it
  expect(notes.map((e) => (e.metadata.vouchedBy as { eventId?: string } | undefined)?.eventId)).toEqual([assessed, accepted]);
  expect(notes[0]?.metadata.iso42001).toEqual({ clauses: ['6.1.3', '8.3'], controls: ['A.6.2.5'] });
  await recordHistoryFixture(d.handle, 'risk-posture-and-reassessment');
  await risk.terminate('test finished');
  await d.handle.terminate('test finished');
});
