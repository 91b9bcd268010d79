import {
  AIMS_ROLES,
  COMMAND_ROLES,
  evaluateAcceptanceCriteria,
  INITIAL_AI_SYSTEM_STATE,
  aiSystemStreamName,
  lifecycleWorkflowId,
  resolveLifecyclePolicy,
  rolesForCommand,
  systemIdProblem,
  type Actor,
  type AcceptanceEvaluation,
  type AiSystemCommand,
  type DecideHumanTask,
  type EvaluateAcceptanceCriteria,
  type RoleGovernedCommandType,
} from '../../../../domain/ai-system';
import {
  after,
  aimsOwner,
  approver,
  at,
  auditor,
  completeDeployment,
  decideTask,
  developer,
  evaluate,
  fieldsOf,
  given,
  goodMetrics,
  issuesOf,
  ofType,
  pipeline,
  qualityCheck,
  recordDataset,
  recordValidation,
  register,
  registered,
  requestDeployment,
  submitIa,
  thenError,
  thenEvents,
  toProduction,
  toSignedOff,
  toValidation,
  validator,
  when,
} from './scenario';

const as = <C extends AiSystemCommand>(command: C, by: Actor): C => ({ ...command, by });
const approve = (extra: Partial<DecideHumanTask>): DecideHumanTask => ({
  ...(decideTask('task-IA-1', 'approved', approver, 2) as DecideHumanTask),
  ...extra,
});
const evaluateWith = (evaluation: AcceptanceEvaluation): EvaluateAcceptanceCriteria => ({
  ...(evaluate() as EvaluateAcceptanceCriteria),
  evaluation,
});

describe('who may issue each command (5.3, A.3.2)', () => {
  test('the roles are exactly the API roles', () => {
    expect([...AIMS_ROLES].sort()).toEqual([
      'admin',
      'aims_owner',
      'approver',
      'auditor',
      'ci',
      'engineer',
      'internal_auditor',
      'risk_owner',
      'top_management',
      'validator',
    ]);
  });

  test('no command can be issued by an auditor, an internal auditor or an admin', () => {
    for (const [type, roles] of Object.entries(COMMAND_ROLES)) {
      expect([type, roles.includes('auditor')]).toEqual([type, false]);
      expect([type, roles.includes('internal_auditor')]).toEqual([type, false]);
      expect([type, roles.includes('admin')]).toEqual([type, false]);
    }
    expect(rolesForCommand('DecideHumanTask')).toBeNull();
    expect(rolesForCommand('RequestDeployment')).toEqual(['ci', 'engineer']);
  });

  test('given nothing registered, when an auditor registers a system, then MISSING_ROLE naming the roles needed', () => {
    const error = thenError(when(INITIAL_AI_SYSTEM_STATE, register({ by: auditor })), 'MISSING_ROLE');
    expect(error.details).toMatchObject({ command: 'RegisterAiSystem', actorId: 'audrey', requiredRoles: ['aims_owner', 'engineer'] });
    thenError(when(INITIAL_AI_SYSTEM_STATE, register({ by: { id: 'root', roles: ['admin'] } })), 'MISSING_ROLE');
  });

  test('given a registered system, when a pipeline records a dataset and its quality check, then both are recorded as ci', () => {
    const state = given(register());
    const recorded = after(state, when(state, as(recordDataset(), pipeline)));
    const e = ofType(thenEvents(when(recorded, as(qualityCheck('QC-1', 'DS-1', true), pipeline))), 'DataQualityCheckRecorded');
    expect(e.by).toEqual({ id: 'ci-main', role: 'ci' });
  });

  test('given a registered system, when an approver, a validator or an auditor records a dataset, then MISSING_ROLE', () => {
    const state = given(register());
    for (const who of [approver, validator, auditor]) thenError(when(state, as(recordDataset(), who)), 'MISSING_ROLE');
  });

  test('given the validation stage, when a pipeline records results, then accepted; a validator may not (they sign off)', () => {
    const state = given(...toValidation());
    expect(
      ofType(
        thenEvents(when(state, recordValidation('V-1', '1.0.0', undefined, goodMetrics, 6, ['DS-1'], pipeline))),
        'ValidationResultsRecorded',
      ).by,
    ).toEqual({
      id: 'ci-main',
      role: 'ci',
    });
    thenError(when(state, recordValidation('V-1', '1.0.0', undefined, goodMetrics, 6, ['DS-1'], validator)), 'MISSING_ROLE');
  });

  test('given a signed-off version, when ci or an engineer requests deployment, then accepted; an approver may not ask for it', () => {
    const state = given(...toSignedOff());
    expect(
      ofType(thenEvents(when(state, requestDeployment('D-1', '1.0.0', undefined, 9, 'production', pipeline))), 'DeploymentRequested').by
        .role,
    ).toBe('ci');
    expect(
      ofType(thenEvents(when(state, requestDeployment('D-1', '1.0.0', undefined, 9, 'production', developer))), 'DeploymentRequested').by
        .role,
    ).toBe('engineer');
    thenError(when(state, requestDeployment('D-1', '1.0.0', undefined, 9, 'production', approver)), 'MISSING_ROLE');
  });

  test('given a pending deployment, when ci tries to approve it, then MISSING_ROLE: pipelines never approve', () => {
    const state = given(...toSignedOff(), requestDeployment('D-1', '1.0.0', undefined, 9, 'production', pipeline));
    thenError(when(state, decideTask('task-deploy-D-1', 'approved', { id: 'ci-other', roles: ['ci'] }, 10)), 'MISSING_ROLE');
    thenError(when(state, decideTask('task-deploy-D-1', 'approved', auditor, 10)), 'MISSING_ROLE');
  });

  test('given a version in production, when the review falls due, then an engineer or the AIMS owner may complete it', () => {
    const state = given(...toProduction(), { type: 'RecordMonitoringReviewDue', reviewTaskId: 'R', at: at(40) });
    expect(registered(state).tasks.find((t) => t.taskId === 'R')?.requiredRoles).toEqual(['engineer', 'aims_owner']);
    thenEvents(when(state, decideTask('R', 'approved', developer, 41)));
    thenEvents(when(state, decideTask('R', 'approved', aimsOwner, 41)));
    thenError(when(state, decideTask('R', 'approved', approver, 41)), 'MISSING_ROLE');
  });

  test('given a deployment approved, when ci records it completed, then accepted as ci', () => {
    const state = given(...toSignedOff(), requestDeployment(), decideTask('task-deploy-D-1', 'approved', approver, 10));
    expect(ofType(thenEvents(when(state, as(completeDeployment(), pipeline))), 'DeploymentCompleted').by.role).toBe('ci');
  });

  test('a person issuing an automatic step needs its role; without an actor it is the system', () => {
    const state = given(...toValidation(), recordValidation());
    thenError(when(state, { ...evaluate(), by: validator }), 'MISSING_ROLE');
    expect(ofType(thenEvents(when(state, evaluate())), 'AcceptanceCriteriaEvaluated').by).toEqual({ id: 'aims:lifecycle', role: 'system' });
  });

  test('a policy may not give a task to an auditor or an admin', () => {
    const r = resolveLifecyclePolicy({ taskRoles: { deployment_approval: ['auditor'], validation_sign_off: ['admin'] } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(issuesOf(r.error)).toEqual(
        expect.arrayContaining([
          { field: 'taskRoles.deployment_approval', problem: 'must not name auditor: they cannot decide tasks' },
          { field: 'taskRoles.validation_sign_off', problem: 'must not name admin: they cannot decide tasks' },
        ]),
      );
    }
  });

  test.each<[RoleGovernedCommandType]>([['RecordChange'], ['RequestDecommissioning']])('%s is for engineers and the AIMS owner', (type) => {
    expect(COMMAND_ROLES[type]).toEqual(['engineer', 'aims_owner']);
  });
});

describe('human task decisions carry a comment and evidence references', () => {
  test('given an assessment under review, when approved with a comment and references, then both are recorded', () => {
    const state = given(register(), submitIa());
    const command = approve({ comment: 'Mitigations are adequate', evidenceRefs: ['DOC-12', 'JIRA-7'] });
    expect(ofType(thenEvents(when(state, command)), 'HumanTaskDecided')).toMatchObject({
      comment: 'Mitigations are adequate',
      evidenceRefs: ['DOC-12', 'JIRA-7'],
    });
    expect(ofType(thenEvents(when(state, decideTask('task-IA-1', 'approved', approver, 2))), 'HumanTaskDecided')).toMatchObject({
      comment: null,
      evidenceRefs: [],
    });
  });

  test('when the references are not a list of strings, then VALIDATION_FAILED', () => {
    const state = given(register(), submitIa());
    expect(fieldsOf(thenError(when(state, approve({ evidenceRefs: [''] })), 'VALIDATION_FAILED'))).toEqual(['evidenceRefs']);
    expect(fieldsOf(thenError(when(state, approve({ comment: 42 as never })), 'VALIDATION_FAILED'))).toEqual(['comment']);
  });
});

describe('an acceptance evaluation made outside decide (the workflow activity)', () => {
  test('given recorded results, when the evaluation given is what the criteria yield, then it is recorded', () => {
    const state = registered(given(...toValidation(), recordValidation()));
    const evaluation = evaluateAcceptanceCriteria(state.profile.acceptanceCriteria, goodMetrics);
    expect(ofType(thenEvents(when(state, evaluateWith(evaluation))), 'AcceptanceCriteriaEvaluated')).toMatchObject({
      passed: true,
      results: evaluation.results,
    });
  });

  test('given recorded results, when the evaluation given differs (a stale or faulty evaluator), then ACCEPTANCE_EVALUATION_MISMATCH', () => {
    const state = registered(
      given(
        ...toValidation(),
        recordValidation('V-1', '1.0.0', undefined, [
          { metric: 'auc', value: 0.5 },
          { metric: 'false_positive_rate', value: 0.07 },
        ]),
      ),
    );
    const truth = evaluateAcceptanceCriteria(state.profile.acceptanceCriteria, [
      { metric: 'auc', value: 0.5 },
      { metric: 'false_positive_rate', value: 0.07 },
    ]);
    const forged = { passed: true, results: truth.results.map((r) => ({ ...r, passed: true })) };
    const error = thenError(when(state, evaluateWith(forged)), 'ACCEPTANCE_EVALUATION_MISMATCH');
    expect(error.details).toMatchObject({ validationId: 'V-1', expected: truth });
  });
});

describe('names: workflow id and evidence stream', () => {
  test('both are ai-system-<systemId>', () => {
    expect(lifecycleWorkflowId('credit-scoring')).toBe('ai-system-credit-scoring');
    expect(aiSystemStreamName('credit-scoring')).toBe('ai-system-credit-scoring');
  });

  test('system ids that would not make a valid stream name are refused at registration', () => {
    expect(systemIdProblem('credit-scoring.v2@eu')).toBeNull();
    for (const bad of ['', 'has space', 'double--dash', '-leading', 'trailing-', 'ünïcode', 'a/b', 'x'.repeat(201)]) {
      expect([bad, systemIdProblem(bad)]).toEqual([bad, expect.any(String)]);
    }
    expect(fieldsOf(thenError(when(INITIAL_AI_SYSTEM_STATE, register({ systemId: 'has space' })), 'VALIDATION_FAILED'))).toEqual([
      'systemId',
    ]);
  });
});

describe('malformed input from an untyped caller (a workflow update argument)', () => {
  test('given a system in production, when a change names a null provider, then VALIDATION_FAILED rather than a crash', () => {
    const state = given(...toProduction());
    const change = {
      type: 'RecordChange',
      changeId: 'C-1',
      description: 'x',
      significant: true,
      amendments: { provider: null },
      by: developer,
      at: at(40),
    };
    const error = thenError(when(state, change as unknown as AiSystemCommand), 'VALIDATION_FAILED');
    expect(fieldsOf(error)).toEqual(['amendments.provider.kind']);
  });
});
