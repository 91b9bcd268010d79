/**
 * The whole engine for HTTP end-to-end tests: a real Temporal dev server, the real API app (createApiApp,
 * one token per role) on a fresh SQLite store, and a real worker (createAimsWorker) on its own task queue
 * appending evidence to that same store. Plus the bodies a lifecycle needs and a driver that takes a
 * system to "signed off, ready to deploy" over HTTP with the role each step needs.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import { createAimsWorker } from '../../../apps/worker/src/create-worker';
import { tokenStorePeople } from '../../../activities/people.activities';
import type { AimsRole } from '../../../domain/shared/roles';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import {
  datasetBody,
  DIGEST_A,
  goodMetrics,
  impactAssessmentBody,
  passingQualityBody,
  registrationBody,
} from '../../support/credit-scoring-requests';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import { startApiHarness, type ApiHarness } from './api-harness';

export interface LifecycleApi extends ApiHarness {
  temporal: TestWorkflowEnvironment;
  taskQueue: string;
  /** supertest against the app, as the holder of `token` (a role's token, or any bearer value). */
  as(roleOrToken: string): Agent;
  /** Without any Authorization header. */
  anonymous(): request.Agent;
  /** Issues an extra token (e.g. one holding two roles, for segregation-of-duties cases). */
  issue(name: string, roles: AimsRole[]): Promise<string>;
  /** Global position of the last evidence event (0 when empty): "nothing written" is "head unchanged". */
  head(): Promise<number>;
}

export interface Agent {
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
}

/** `env`: more configuration for the API (e.g. JWT validation, a lower AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY). */
export async function startLifecycleApi(env: NodeJS.ProcessEnv = {}): Promise<LifecycleApi> {
  const temporal = await startTemporal();
  const taskQueue = uniqueTaskQueue('api-e2e');
  const api = await startApiHarness({
    ...env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    AIMS_TASK_QUEUE: taskQueue,
  });
  const workerStore: EventStore = await openEventStore(api.storeUrl);
  const worker: Worker = await createAimsWorker({
    connection: temporal.nativeConnection,
    namespace: 'default',
    taskQueue,
    eventStore: workerStore,
    workflows: 'source',
    commandKeys: TEST_COMMAND_KEYS,
    // Document acknowledgements reach the holders of the API's tokens, as the worker's main does.
    people: tokenStorePeople(api.tokenStore),
  });
  const running = worker.run();
  const server = api.server as Parameters<typeof request>[0];
  const bearer = (roleOrToken: string) => (api.tokens as Record<string, string>)[roleOrToken] ?? roleOrToken;

  return {
    ...api,
    temporal,
    taskQueue,
    as: (roleOrToken) => ({
      get: (path) =>
        request(server)
          .get(path)
          .set('Authorization', `Bearer ${bearer(roleOrToken)}`),
      post: (path, body) => {
        const test = request(server)
          .post(path)
          .set('Authorization', `Bearer ${bearer(roleOrToken)}`);
        return body === undefined ? test : test.send(body as object);
      },
    }),
    anonymous: () => request.agent(server),
    issue: async (name, roles) => (await api.tokenStore.issue({ name, roles })).token,
    head: async () => (await api.events.head())?.position ?? 0,
    close: async () => {
      worker.shutdown();
      await running;
      await api.close();
      await workerStore.close();
      await temporal.teardown();
    },
  };
}

export {
  datasetBody,
  DIGEST_A,
  DIGEST_B,
  goodMetrics,
  impactAssessmentBody,
  passingQualityBody,
  registrationBody,
} from '../../support/credit-scoring-requests';

/**
 * Registration → impact assessment (engineer) approved (approver) → dataset (engineer) with a passing
 * check (ci) → version 1.0.0 (ci) → validation (ci) signed off (validator): ready for the gate.
 */
export async function driveToSignedOff(
  api: LifecycleApi,
  systemId: string,
  overrides: Record<string, unknown> = {},
  digest = DIGEST_A,
): Promise<void> {
  const registration = registrationBody(systemId, overrides) as { riskTier: string };
  await api.as('engineer').post('/v1/ai-systems', registration).expect(201);
  const ia = await api.as('engineer').post(`/v1/ai-systems/${systemId}/impact-assessments`, impactAssessmentBody()).expect(201);
  // The reviewer confirms the tier the registrant proposed (under the organisation's policy, required).
  await api
    .as('approver')
    .post(`/v1/tasks/${ia.body.reviewTaskId}/decision`, { outcome: 'approve', riskTier: registration.riskTier })
    .expect(200);
  await api.as('engineer').post(`/v1/ai-systems/${systemId}/datasets`, datasetBody('DS-1')).expect(201);
  await api.as('ci').post(`/v1/ai-systems/${systemId}/datasets/DS-1/quality-checks`, passingQualityBody()).expect(201);
  await api
    .as('ci')
    .post(`/v1/ai-systems/${systemId}/versions`, { modelVersion: '1.0.0', artifactDigest: digest, description: 'first model' })
    .expect(201);
  const validation = await api
    .as('ci')
    .post(`/v1/ai-systems/${systemId}/validations`, {
      modelVersion: '1.0.0',
      artifactDigest: digest,
      datasetIds: ['DS-1'],
      metrics: goodMetrics,
    })
    .expect(201);
  await api.as('validator').post(`/v1/tasks/${validation.body.signOffTaskId}/decision`, { outcome: 'approve' }).expect(200);
}

/** The problem+json every refusal must be, with the domain's code when it is the domain's refusal. */
export function expectProblem(response: request.Response, status: number, code?: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status, ...(code ? { code } : {}) } });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(typeof response.body.type).toBe('string');
}
