/**
 * Faults on the production topology, with nothing lost (issue 13 item 2). Pipelines drive AI systems through
 * their whole lifecycle (registration to a completed, approved deployment: eleven commands and three task
 * decisions each) through two API processes, two workers and the Temporal server on PostgreSQL. During the
 * load, at fixed points of progress, we kill -9 a worker, an API process and the Temporal server (each then
 * started again), and crash PostgreSQL (an immediate stop: every connection gone, no shutdown checkpoint)
 * and start it again.
 *
 * Then: every system's evidence is exactly the expected sequence (written here, one event per command,
 * none twice, none missing), every acknowledged command is in it, the chain verifies, and the read models
 * show every system in production.
 *
 * The whole topology (Temporal's databases and the evidence store) runs on a PostgreSQL server of this
 * test's own (test/support/private-postgres.ts): the shared server on 5432 cannot be restarted while other
 * test files use it.
 */
import { spawnSync } from 'node:child_process';
import { openTokenStore } from '../../infra/auth/open-token-store';
import { openEventStore } from '../../infra/event-store/open-event-store';
import type { EventStore } from '../../infra/ports/event-store.port';
import { readState } from '../../infra/temporal/temporal-server';
import {
  DIGEST_A,
  datasetBody,
  goodMetrics,
  impactAssessmentBody,
  passingQualityBody,
  registrationBody,
} from '../support/credit-scoring-requests';
import { eventually } from '../support/eventually';
import { call, startApiProcess, startWorkerProcess, stopProcess, type ApiProcess, type EngineProcess } from '../support/engine-processes';
import { PrivatePostgres } from '../support/private-postgres';
import { TopologyCluster } from './topology-support';
import { PipelineClient } from './pipeline-client';

/** One system's evidence, in order, written from the process map, not from the code under test. */
const EXPECTED_EVIDENCE = [
  'AiSystemRegistered',
  'ImpactAssessmentSubmitted',
  'HumanTaskOpened', // the assessment's review
  'LifecycleStageChanged', // → impact_assessment
  'HumanTaskDecided',
  'RiskTierConfirmed',
  'ImpactAssessmentApproved',
  'LifecycleStageChanged', // → validation
  'DatasetRecorded',
  'DataQualityCheckRecorded',
  'ModelVersionProposed',
  'ValidationResultsRecorded',
  'AcceptanceCriteriaEvaluated',
  'HumanTaskOpened', // the validator's sign-off
  'HumanTaskDecided',
  'ValidationSignedOff',
  'LifecycleStageChanged', // → deployment_approval
  'DeploymentRequested',
  'HumanTaskOpened', // the deployment's approval
  'HumanTaskDecided',
  'DeploymentApproved',
  'AiPolicyAtGateNoted',
  'DeploymentCompleted',
  'LifecycleStageChanged', // → in_production
];

const PIPELINES = 4;
const COMMANDS_PER_SYSTEM = 11;
/** Each pipeline goes on with new systems until every fault has been injected and recovered from, and then one more. */
const MAX_SYSTEMS_PER_PIPELINE = 15;

describe('faults on the production topology: nothing acknowledged is lost, nothing is recorded twice', () => {
  let postgres: PrivatePostgres;
  let cluster: TopologyCluster;
  const workers: EngineProcess[] = [];
  const apis: ApiProcess[] = [];
  let store: EventStore;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start('faults');
    cluster = new TopologyCluster('faults', {}, postgres.url);
    await cluster.up();
    const { env } = cluster;
    workers.push(await startWorkerProcess('1', env));
    workers.push(await startWorkerProcess('2', env));
    apis.push(await startApiProcess('A', env));
    apis.push(await startApiProcess('B', env));
    store = await openEventStore(cluster.storeUrl);
  }, 20 * 60_000);

  afterAll(async () => {
    await store?.close();
    await cluster?.teardown([...apis, ...workers]);
    await postgres?.stop();
  }, 180_000);

  it(
    'given a steady load, when a worker, an API, the Temporal server and PostgreSQL are killed in turn, then every system has its evidence exactly once',
    async () => {
      const { storeUrl, serverData } = cluster;
      const tokens = await openTokenStore(storeUrl);
      const token = async (name: string, role: 'engineer' | 'approver' | 'ci' | 'validator') =>
        (await tokens.issue({ name, roles: [role] })).token;
      const as = {
        engineer: await token('erin', 'engineer'),
        approver: await token('ada', 'approver'),
        ci: await token('pipeline', 'ci'),
        validator: await token('val', 'validator'),
      };
      const auditor = (await tokens.issue({ name: 'audrey', roles: ['auditor'] })).token;
      await tokens.close();

      const client = new PipelineClient(() => apis.filter((a) => a.child.exitCode === null && a.child.signalCode === null));
      const faultLog: string[] = [];
      const acknowledged: Array<{ systemId: string; step: string; status: number; attempts: number; confirmedByRepeat: boolean }> = [];

      const expectStatus = (systemId: string, outcome: Awaited<ReturnType<PipelineClient['send']>>, ...ok: number[]) => {
        acknowledged.push({ systemId, ...outcome });
        if (!outcome.confirmedByRepeat && !ok.includes(outcome.status))
          throw new Error(`${systemId} ${outcome.step}: ${outcome.status} ${JSON.stringify(outcome.body)}`);
      };

      /** The task a step opened: from its answer, or (when only a repeat was answered) from the inbox. */
      const taskOf = async (
        systemId: string,
        outcome: Awaited<ReturnType<PipelineClient['send']>>,
        id: string | undefined,
        kind: string,
        token: string,
      ) => {
        if (!outcome.confirmedByRepeat && id) return id;
        const found = await eventually(
          () => call(apis[1], token, 'GET', `/v1/tasks?kind=${kind}&aiSystemId=${systemId}`),
          (r) => r.status === 200 && (r.body.items as unknown[]).length === 1,
          `the ${kind} task of ${systemId} in the inbox`,
          60_000,
        );
        return (found.body.items as Array<{ taskId: string }>)[0].taskId;
      };

      const drive = async (systemId: string) => {
        const s = (route: string) => `/v1/ai-systems/${systemId}${route}`;
        expectStatus(systemId, await client.send('register', as.engineer, '/v1/ai-systems', registrationBody(systemId)), 201, 202);
        const assessed = await client.send('assess', as.engineer, s('/impact-assessments'), {
          ...impactAssessmentBody(),
          assessmentId: 'ia-1',
        });
        expectStatus(systemId, assessed, 201);
        const review = await taskOf(
          systemId,
          assessed,
          assessed.body?.reviewTaskId as string | undefined,
          'impact_assessment_review',
          as.approver,
        );
        expectStatus(
          systemId,
          await client.send('approve-assessment', as.approver, `/v1/tasks/${review}/decision`, { outcome: 'approve', riskTier: 'high' }),
          200,
        );
        expectStatus(systemId, await client.send('dataset', as.engineer, s('/datasets'), datasetBody('DS-1')), 201);
        expectStatus(
          systemId,
          await client.send('quality-check', as.ci, s('/datasets/DS-1/quality-checks'), { ...passingQualityBody(), checkId: 'dq-1' }),
          201,
        );
        expectStatus(
          systemId,
          await client.send('version', as.ci, s('/versions'), {
            modelVersion: '1.0.0',
            artifactDigest: DIGEST_A,
            description: 'first model',
          }),
          201,
        );
        const validated = await client.send('validate', as.ci, s('/validations'), {
          validationId: 'val-1',
          modelVersion: '1.0.0',
          artifactDigest: DIGEST_A,
          datasetIds: ['DS-1'],
          metrics: goodMetrics,
        });
        expectStatus(systemId, validated, 201);
        const signOff = await taskOf(
          systemId,
          validated,
          validated.body?.signOffTaskId as string | undefined,
          'validation_sign_off',
          as.validator,
        );
        expectStatus(systemId, await client.send('sign-off', as.validator, `/v1/tasks/${signOff}/decision`, { outcome: 'approve' }), 200);
        const gate = await client.send(
          'request-deployment',
          as.ci,
          s('/deployments'),
          { version: '1.0.0', artifactDigest: DIGEST_A },
          { 'Idempotency-Key': `deploy-${systemId}` },
        );
        // A repeat with the same key answers the first answer (200, repeated) rather than 409.
        expectStatus(systemId, gate, 202, 200);
        const requestId = gate.body.requestId as string;
        const approval = await taskOf(systemId, gate, gate.body?.task?.id as string | undefined, 'deployment_approval', as.approver);
        expectStatus(
          systemId,
          await client.send('approve-deployment', as.approver, `/v1/tasks/${approval}/decision`, { outcome: 'approve', comment: 'ok' }),
          200,
        );
        expectStatus(systemId, await client.send('complete-deployment', as.ci, s(`/deployments/${requestId}/completion`)), 200);
      };

      const faults: Array<{ at: number; name: string; inject: () => Promise<void> }> = [
        {
          at: 15,
          name: 'kill -9 worker 1, then start it again',
          inject: async () => {
            await stopProcess(workers[0], 'SIGKILL');
            workers[0] = await startWorkerProcess('1', cluster.env);
          },
        },
        {
          at: 45,
          name: 'kill -9 API A, then start it again',
          inject: async () => {
            await stopProcess(apis[0], 'SIGKILL');
            apis[0] = await startApiProcess('A', cluster.env);
          },
        },
        {
          at: 75,
          name: 'kill -9 the Temporal server, then aims temporal-server up',
          inject: async () => {
            const pid = readState(serverData)?.pid;
            if (!pid) throw new Error('no Temporal server pid');
            process.kill(pid, 'SIGKILL');
            await eventually(
              async () => spawnSync('kill', ['-0', String(pid)]).status,
              (status) => status !== 0,
              'the Temporal server to be gone',
            );
            await cluster.up();
          },
        },
        {
          at: 105,
          name: 'crash PostgreSQL (immediate stop), 3 s down, then start it again',
          inject: () => postgres.crashAndRestart(3_000),
        },
      ];

      let injecting = Promise.resolve();
      let faultsRecovered = false;
      const faultCount = faults.length;
      let recoveredFrom = 0;
      const watcher = setInterval(() => {
        const done = client.figures.acknowledged;
        while (faults.length > 0 && done >= faults[0].at) {
          const fault = faults.shift()!;
          injecting = injecting.then(async () => {
            faultLog.push(`${fault.name}: at ${client.figures.acknowledged} commands acknowledged`);
            await fault.inject();
            faultLog.push(`  recovered at ${client.figures.acknowledged} acknowledged`);
            recoveredFrom += 1;
            if (recoveredFrom === faultCount) faultsRecovered = true;
          });
        }
      }, 100);

      const systems: string[] = [];
      try {
        await Promise.all(
          Array.from({ length: PIPELINES }, async (_, p) => {
            let afterFaults = 0;
            for (let i = 0; i < MAX_SYSTEMS_PER_PIPELINE && afterFaults < 1; i++) {
              const recovered = faultsRecovered;
              const systemId = `faults-${p}-${i}`;
              systems.push(systemId);
              await drive(systemId);
              if (recovered) afterFaults += 1;
            }
          }),
        );
      } finally {
        clearInterval(watcher);
        await injecting;
      }
      expect(faults).toEqual([]);
      expect(faultsRecovered).toBe(true);

      // Evidence: each system's stream is exactly the expected sequence.
      // One exception, by the gate's contract: a deployment request sent again with its Idempotency-Key (the
      // first answer lost to a fault) is answered from the first and the repeat is itself recorded
      // (DeploymentRequestRepeated). It is evidence of the retry, not a second request, so it may appear at
      // most once per retry of that system's request and is counted apart.
      let evidenceEvents = 0;
      let duplicates = 0;
      let lost = 0;
      let repeatsRecorded = 0;
      for (const systemId of systems) {
        const types: string[] = [];
        const ids = new Set<string>();
        let repeats = 0;
        for await (const event of store.readStream(`ai-system-${systemId}`)) {
          ids.add(event.id);
          if (event.type === 'DeploymentRequestRepeated') repeats += 1;
          else types.push(event.type);
        }
        const gateAttempts = acknowledged.find((a) => a.systemId === systemId && a.step === 'request-deployment')?.attempts ?? 1;
        expect({ systemId, repeats: Math.min(repeats, gateAttempts - 1) }).toEqual({ systemId, repeats });
        repeatsRecorded += repeats;
        evidenceEvents += types.length;
        for (const type of new Set(EXPECTED_EVIDENCE)) {
          const want = EXPECTED_EVIDENCE.filter((t) => t === type).length;
          const got = types.filter((t) => t === type).length;
          duplicates += Math.max(0, got - want);
          lost += Math.max(0, want - got);
        }
        duplicates += ids.size < types.length + repeats ? types.length + repeats - ids.size : 0;
        expect({ systemId, types }).toEqual({ systemId, types: EXPECTED_EVIDENCE });
      }
      const verified = await store.verify();
      expect(verified).toMatchObject({ intact: true });

      // Read models: every system in production, through either API, once the projector has caught up.
      for (const systemId of systems) {
        const read = await eventually(
          () => call(apis[1], auditor, 'GET', `/v1/ai-systems/${systemId}`),
          (r) => r.status === 200 && r.body.stage === 'in_production',
          `${systemId} to read as in production`,
          60_000,
        );
        expect(read.body.stage).toBe('in_production');
      }

      const figures = {
        ...client.figures,
        commands: systems.length * COMMANDS_PER_SYSTEM,
        evidenceEvents,
        repeatsRecorded,
        duplicates,
        lost,
        chainEvents: verified.eventsChecked,
      };
      process.stdout.write(
        `\n[faults] ${JSON.stringify(figures)}\n[faults] faults injected:\n${faultLog.map((l) => `  ${l}`).join('\n')}\n` +
          `[faults] commands answered only after a retry: ${
            acknowledged
              .filter((a) => a.attempts > 1)
              .map((a) => `${a.systemId}/${a.step}(${a.attempts}, ${a.status})`)
              .join(', ') || 'none'
          }\n`,
      );
      expect(figures).toMatchObject({
        acknowledged: systems.length * COMMANDS_PER_SYSTEM,
        duplicates: 0,
        lost: 0,
        evidenceEvents: systems.length * EXPECTED_EVIDENCE.length,
      });
    },
    15 * 60_000,
  );
});
