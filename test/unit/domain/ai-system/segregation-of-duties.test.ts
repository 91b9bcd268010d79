/**
 * Segregation of duties in the lifecycle (A.3.2, issue 11 finding 4): nobody decides a task about their own
 * work, and people are compared as identities (`Dev`, `dev` and a full-width `ｄｅｖ` are one person). Each
 * real conflict is a spec: the refusal is SEGREGATION_OF_DUTIES and `details.conflict` names the act.
 */
import { decide, evolve, INITIAL_AI_SYSTEM_STATE, type Actor, type AiSystemCommand } from '../../../../domain/ai-system';
import { deciderSpec, expectError } from '../../../support/decider-spec';
import {
  approver,
  approver2,
  at,
  decideTask,
  DIGEST_A,
  evaluate,
  givenScenario,
  goodMetrics,
  pipeline,
  recordValidation,
  requestDeployment,
  submitIa,
  toProduction,
  toSignedOff,
  toValidation,
} from './scenario';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_AI_SYSTEM_STATE });
const history = (...commands: AiSystemCommand[]) => givenScenario(...commands).events;
const as = (id: string, ...roles: Actor['roles']): Actor => ({ id, roles });

/** The pipeline asks the gate, naming the person who pushed the commit it deploys. */
const gateCall = (triggeredBy: string | undefined, overrides: Partial<AiSystemCommand> = {}): AiSystemCommand =>
  ({
    ...requestDeployment('D-1', '1.0.0', DIGEST_A, 9, 'production', pipeline),
    ...(triggeredBy === undefined ? {} : { triggeredBy }),
    ...overrides,
  }) as AiSystemCommand;

describe('segregation of duties on identities (A.3.2)', () => {
  describe('impact assessment review', () => {
    it("given an assessment submitted by olivia, when 'OLIVIA' (also an approver) approves it, then SEGREGATION_OF_DUTIES: its author", () => {
      given(history(...toValidation().slice(0, 1), submitIa('IA-1', 'task-IA-1', 1, as('olivia', 'engineer', 'approver'))))
        .when(decideTask('task-IA-1', 'approved', as('OLIVIA', 'approver'), 2))
        .then(
          expectError('SEGREGATION_OF_DUTIES', {
            taskId: 'task-IA-1',
            actorId: 'OLIVIA',
            conflict: 'impact_assessment_author',
            conflictingIdentity: 'olivia',
          }),
        );
    });
  });

  describe('validation sign-off', () => {
    /** Version 1.0.0 proposed by dev; results recorded by the pipeline; evaluated, awaiting sign-off. */
    const awaitingSignOff = (recorder: Actor = pipeline) =>
      history(...toValidation(), recordValidation('V-1', '1.0.0', DIGEST_A, goodMetrics, 6, ['DS-1'], recorder), evaluate());

    it('given results recorded by the pipeline, when the pipeline identity in another case signs off, then SEGREGATION_OF_DUTIES: results recorder', () => {
      given(awaitingSignOff())
        .when(decideTask('task-signoff-V-1', 'approved', as('CI-Main', 'validator'), 8))
        .then(expectError('SEGREGATION_OF_DUTIES', { conflict: 'validation_results_recorder', conflictingIdentity: 'ci-main' }));
    });

    it('given version 1.0.0 proposed by dev, when dev (also a validator) signs off its validation, then SEGREGATION_OF_DUTIES: model version proposer', () => {
      given(awaitingSignOff())
        .when(decideTask('task-signoff-V-1', 'approved', as('ｄｅｖ', 'validator'), 8))
        .then(
          expectError('SEGREGATION_OF_DUTIES', {
            conflict: 'model_version_proposer',
            conflictingIdentity: 'dev',
            conflicts: ['model_version_proposer'],
          }),
        );
    });

    it('given dev proposed the version and recorded its results, when dev signs off, then both conflicts are named', () => {
      given(awaitingSignOff(as('dev', 'engineer')))
        .when(decideTask('task-signoff-V-1', 'approved', as('Dev', 'validator'), 8))
        .then(expectError('SEGREGATION_OF_DUTIES', { conflicts: ['validation_results_recorder', 'model_version_proposer', 'requester'] }));
    });

    it('given an independent validator, when they sign off, then the validation is signed off', () => {
      given(awaitingSignOff())
        .when(decideTask('task-signoff-V-1', 'approved', as('victor', 'validator'), 8))
        .then([
          expect.objectContaining({ type: 'HumanTaskDecided', by: { id: 'victor', role: 'validator' } }),
          expect.objectContaining({ type: 'ValidationSignedOff', validationId: 'V-1' }),
          expect.objectContaining({ type: 'LifecycleStageChanged', to: 'deployment_approval' }),
        ]);
    });
  });

  describe('deployment approval', () => {
    it('given a request by the pipeline, when the pipeline identity in another case approves it, then SEGREGATION_OF_DUTIES: requester', () => {
      given(history(...toSignedOff(), gateCall(undefined)))
        .when(decideTask('task-deploy-D-1', 'approved', as(' CI-MAIN ', 'approver'), 10))
        .then(expectError('SEGREGATION_OF_DUTIES', { conflict: 'deployment_requester', conflictingIdentity: 'ci-main' }));
    });

    it('given a pipeline run alice started (triggeredBy), when alice approves its deployment, then SEGREGATION_OF_DUTIES: the person behind the run', () => {
      given(history(...toSignedOff(), gateCall('Alice')))
        .when(decideTask('task-deploy-D-1', 'approved', approver, 10))
        .then(
          expectError('SEGREGATION_OF_DUTIES', {
            actorId: 'alice',
            conflict: 'deployment_triggered_by',
            conflictingIdentity: 'Alice',
          }),
        );
    });

    it('given a pipeline run alice started, when bob approves it, then the deployment is approved', () => {
      given(history(...toSignedOff(), gateCall('alice')))
        .when(decideTask('task-deploy-D-1', 'approved', approver2, 10))
        .then([
          expect.objectContaining({ type: 'HumanTaskDecided', by: { id: 'bob', role: 'approver' } }),
          expect.objectContaining({ type: 'DeploymentApproved', requestId: 'D-1' }),
        ]);
    });

    it('given version 1.0.0 proposed by dev, when dev (also an approver) approves deploying it, then SEGREGATION_OF_DUTIES: model version proposer', () => {
      given(history(...toSignedOff(), gateCall(undefined)))
        .when(decideTask('task-deploy-D-1', 'approved', as('DEV', 'approver'), 10))
        .then(expectError('SEGREGATION_OF_DUTIES', { conflict: 'model_version_proposer', conflictingIdentity: 'dev' }));
    });
  });

  describe('decommissioning approval', () => {
    it("given olivia requested decommissioning, when 'Olivia' (an approver) approves it, then SEGREGATION_OF_DUTIES: decommissioning requester", () => {
      const request: AiSystemCommand = {
        type: 'RequestDecommissioning',
        requestId: 'DC-1',
        reason: 'Replaced by the new credit platform',
        approvalTaskId: 'task-DC-1',
        by: as('olivia', 'engineer'),
        at: at(20),
      };
      given(history(...toProduction(), request))
        .when(decideTask('task-DC-1', 'approved', as('Olivia', 'approver'), 21))
        .then(expectError('SEGREGATION_OF_DUTIES', { conflict: 'decommissioning_requester', conflictingIdentity: 'olivia' }));
    });
  });
});

describe('the person behind a pipeline run (triggeredBy) and repeated gate calls', () => {
  it('given a signed-off version, when the gate call names who started the run, then DeploymentRequested records it', () => {
    given(history(...toSignedOff()))
      .when(gateCall(' alice '))
      .then([
        {
          type: 'DeploymentRequested',
          requestId: 'D-1',
          modelVersion: '1.0.0',
          artifactDigest: DIGEST_A,
          environment: 'production',
          commit: 'abc1234',
          approvalTaskId: 'task-deploy-D-1',
          triggeredBy: 'alice',
          by: { id: 'ci-main', role: 'ci' },
          at: at(9),
        },
        expect.objectContaining({ type: 'HumanTaskOpened', taskId: 'task-deploy-D-1' }),
      ]);
  });

  it('given a signed-off version, when the gate call names nobody, then DeploymentRequested has no triggeredBy field (as before)', () => {
    const { events } = given(history(...toSignedOff()))
      .when(gateCall(undefined))
      .then([expect.objectContaining({ type: 'DeploymentRequested' }), expect.objectContaining({ type: 'HumanTaskOpened' })]);
    expect(Object.keys(events[0] as object)).not.toContain('triggeredBy');
  });

  it.each([
    ['an empty name', ''],
    ['a system identity', 'aims:policy:auto-approval'],
    ['an over-long name', 'x'.repeat(201)],
  ])('given a signed-off version, when triggeredBy is %s, then VALIDATION_FAILED names triggeredBy', (_what, triggeredBy) => {
    given(history(...toSignedOff()))
      .when(gateCall(triggeredBy))
      .then(expectError('VALIDATION_FAILED', { issues: [expect.objectContaining({ field: 'triggeredBy' })] }));
  });

  it('given a pending request, when the same caller (another spelling) sends it again, then DeploymentRequestRepeated records who and when, and nothing else changes', () => {
    const { state } = given(history(...toSignedOff(), gateCall('alice')))
      .when({ ...gateCall('ALICE'), by: as('CI-main', 'ci'), at: at(12) })
      .then([
        {
          type: 'DeploymentRequestRepeated',
          requestId: 'D-1',
          modelVersion: '1.0.0',
          artifactDigest: DIGEST_A,
          environment: 'production',
          status: 'pending_approval',
          by: { id: 'CI-main', role: 'ci' },
          at: at(12),
        },
      ]);
    expect(state !== null && 'deploymentRequests' in state && state.deploymentRequests).toHaveLength(1);
  });

  it('given a request, when another identity sends the same request id and content, then DUPLICATE_ID (it is not their request)', () => {
    given(history(...toSignedOff(), gateCall('alice')))
      .when({ ...gateCall('alice'), by: as('ci-other', 'ci') })
      .then(expectError('DUPLICATE_ID', { kind: 'deployment request', id: 'D-1' }));
  });

  it('given a request, when the same caller sends its id with another person behind the run, then DUPLICATE_ID', () => {
    given(history(...toSignedOff(), gateCall('alice')))
      .when(gateCall('bob'))
      .then(expectError('DUPLICATE_ID', { kind: 'deployment request', id: 'D-1' }));
  });
});
