import { evaluateAcceptanceCriteria, type Actor } from '../../../../domain/ai-system';
import {
  after,
  approver,
  at,
  decideTask,
  developer,
  DIGEST_A,
  DIGEST_B,
  evaluate,
  fieldsOf,
  given,
  issuesOf,
  ofType,
  propose,
  qualityCheck,
  recordDataset,
  recordValidation,
  register,
  registered,
  steward,
  submitIa,
  thenError,
  thenEvents,
  toValidation,
  types,
  validator,
  when,
} from './scenario';

describe('data for AI systems (A.7)', () => {
  test('given a registered system, when a dataset is recorded, then provenance, acquisition and preparation are kept', () => {
    const state = given(register());
    const result = when(state, recordDataset());
    const e = ofType(thenEvents(result), 'DatasetRecorded');
    expect(e.provenance).toEqual({
      source: 'core banking export',
      custodian: 'data office',
      licence: null,
      contentDigest: expect.stringMatching(/^sha256:/),
    });
    expect(e.by).toEqual({ id: 'dana', role: 'engineer' });
    expect(after(state, result).datasets[0].qualityChecks).toEqual([]);
  });

  test('when the dataset has no source, an unknown purpose or a malformed digest, then VALIDATION_FAILED lists them', () => {
    const bad = {
      ...recordDataset(),
      purpose: 'fun',
      provenance: { source: '', custodian: null, licence: null, contentDigest: 'md5:123' },
    } as never;
    const error = thenError(when(given(register()), bad), 'VALIDATION_FAILED');
    expect(fieldsOf(error)).toEqual(['purpose', 'provenance.source', 'provenance.contentDigest']);
  });

  test('given a dataset, when a quality check passes every result, then it is recorded as passed; one failed result fails it', () => {
    const state = given(register(), recordDataset());
    expect(ofType(thenEvents(when(state, qualityCheck('QC-1', 'DS-1', true))), 'DataQualityCheckRecorded').passed).toBe(true);
    expect(ofType(thenEvents(when(state, qualityCheck('QC-1', 'DS-1', false))), 'DataQualityCheckRecorded').passed).toBe(false);
  });

  test('when a quality check names an unknown dataset, then DATASET_UNKNOWN; reusing its id, DUPLICATE_ID; no results, VALIDATION_FAILED', () => {
    const state = given(register(), recordDataset(), qualityCheck('QC-1', 'DS-1', true));
    thenError(when(state, qualityCheck('QC-2', 'DS-9', true)), 'DATASET_UNKNOWN');
    thenError(when(state, qualityCheck('QC-1', 'DS-1', true)), 'DUPLICATE_ID');
    expect(fieldsOf(thenError(when(state, { ...qualityCheck('QC-3', 'DS-1', true), results: [] } as never), 'VALIDATION_FAILED'))).toEqual([
      'results',
    ]);
    thenError(when(state, recordDataset('DS-1')), 'DUPLICATE_ID');
  });
});

describe('validation (A.6.2.4)', () => {
  test('given the validation stage, when results are recorded, then they are kept under the current assessment awaiting evaluation', () => {
    const state = given(...toValidation());
    const result = when(state, recordValidation());
    expect(types(thenEvents(result))).toEqual(['ValidationResultsRecorded']);
    expect(ofType(thenEvents(result), 'ValidationResultsRecorded').impactAssessmentId).toBe('IA-1');
    expect(after(state, result).validations[0].status).toBe('awaiting_evaluation');
  });

  test('given recorded results meeting every criterion, when evaluated, then pass per metric and a sign-off task for a validator other than the submitter', () => {
    const state = given(...toValidation(), recordValidation());
    const events = thenEvents(when(state, evaluate()));
    expect(types(events)).toEqual(['AcceptanceCriteriaEvaluated', 'HumanTaskOpened']);
    const evaluated = ofType(events, 'AcceptanceCriteriaEvaluated');
    expect(evaluated.passed).toBe(true);
    expect(evaluated.results.map((r) => [r.metric, r.value, r.passed])).toEqual([
      ['auc', 0.86, true],
      ['false_positive_rate', 0.07, true],
    ]);
    expect(evaluated.by).toEqual({ id: 'aims:lifecycle', role: 'system' });
    expect(ofType(events, 'HumanTaskOpened')).toMatchObject({
      kind: 'validation_sign_off',
      requiredRoles: ['validator'],
      requestedBy: 'dev',
      subject: { type: 'validation', validationId: 'V-1', modelVersion: '1.0.0', artifactDigest: DIGEST_A },
    });
  });

  test('given results failing one criterion, when evaluated, then fail with that metric named, no task, and the version is validation_failed', () => {
    const state = given(
      ...toValidation(),
      recordValidation('V-1', '1.0.0', DIGEST_A, [
        { metric: 'auc', value: 0.9 },
        { metric: 'false_positive_rate', value: 0.2 },
      ]),
    );
    const result = when(state, evaluate());
    const evaluated = ofType(thenEvents(result), 'AcceptanceCriteriaEvaluated');
    expect(types(thenEvents(result))).toEqual(['AcceptanceCriteriaEvaluated']);
    expect(evaluated.passed).toBe(false);
    expect(evaluated.signOffTaskId).toBeNull();
    expect(evaluated.results.filter((r) => !r.passed).map((r) => r.metric)).toEqual(['false_positive_rate']);
    const next = after(state, result);
    expect(next.versions[0].status).toBe('validation_failed');
    expect(next.validations[0].status).toBe('failed');
    // a new run of the same version may then be recorded
    thenEvents(when(next, recordValidation('V-2', '1.0.0', DIGEST_A, undefined, 8)));
  });

  test('given a passed validation, when the validator signs off, then ValidationSignedOff and the stage moves to deployment approval', () => {
    const state = given(...toValidation(), recordValidation(), evaluate());
    const result = when(state, decideTask('task-signoff-V-1', 'approved', validator, 8));
    expect(types(thenEvents(result))).toEqual(['HumanTaskDecided', 'ValidationSignedOff', 'LifecycleStageChanged']);
    const next = after(state, result);
    expect(next.stage).toBe('deployment_approval');
    expect(next.versions[0].status).toBe('validated');
    expect(next.validations[0]).toMatchObject({ status: 'signed_off', signedOffBy: { id: 'victor', role: 'validator' } });
  });

  test('given a passed validation submitted by a validator, when that validator signs it off, then SEGREGATION_OF_DUTIES', () => {
    const submitter: Actor = { id: 'victor', roles: ['validator', 'engineer'] };
    const state = given(...toValidation(), recordValidation('V-1', '1.0.0', DIGEST_A, undefined, 6, ['DS-1'], submitter), evaluate());
    thenError(when(state, decideTask('task-signoff-V-1', 'approved', validator, 8)), 'SEGREGATION_OF_DUTIES');
  });

  test('given a passed validation, when an approver (not a validator) signs off, then MISSING_ROLE', () => {
    thenError(
      when(given(...toValidation(), recordValidation(), evaluate()), decideTask('task-signoff-V-1', 'approved', approver, 8)),
      'MISSING_ROLE',
    );
  });

  test('given a passed validation, when the validator refuses with reasons, then ValidationSignOffRefused and the stage stays', () => {
    const state = given(...toValidation(), recordValidation(), evaluate());
    const result = when(state, decideTask('task-signoff-V-1', 'rejected', validator, 8, ['test set too small']));
    expect(types(thenEvents(result))).toEqual(['HumanTaskDecided', 'ValidationSignOffRefused']);
    const next = after(state, result);
    expect(next.stage).toBe('validation');
    expect(next.validations[0].status).toBe('sign_off_refused');
  });

  test('when a sign-off is answered with changes_requested, then HUMAN_TASK_OUTCOME_NOT_ALLOWED', () => {
    const state = given(...toValidation(), recordValidation(), evaluate());
    thenError(when(state, decideTask('task-signoff-V-1', 'changes_requested', validator, 8)), 'HUMAN_TASK_OUTCOME_NOT_ALLOWED');
  });

  test('given the impact assessment is not yet approved, when results are recorded, then COMMAND_NOT_ALLOWED_IN_STAGE', () => {
    const state = given(register(), submitIa(), recordDataset(), qualityCheck('QC-1', 'DS-1', true), propose());
    const error = thenError(when(state, recordValidation()), 'COMMAND_NOT_ALLOWED_IN_STAGE');
    expect(error.details).toMatchObject({ stage: 'impact_assessment', allowedStages: ['validation'] });
  });

  test('when the results are for an unknown version, then MODEL_VERSION_UNKNOWN', () => {
    thenError(when(given(...toValidation()), recordValidation('V-1', '9.9.9')), 'MODEL_VERSION_UNKNOWN');
  });

  test("when the digest differs from the version's artifact, then ARTIFACT_DIGEST_MISMATCH", () => {
    const error = thenError(when(given(...toValidation()), recordValidation('V-1', '1.0.0', DIGEST_B)), 'ARTIFACT_DIGEST_MISMATCH');
    expect(error.details).toMatchObject({ expected: DIGEST_A, actual: DIGEST_B });
  });

  test('when the digest is malformed (not sha256:<64 hex>), then INVALID_ARTIFACT_DIGEST', () => {
    thenError(when(given(...toValidation()), recordValidation('V-1', '1.0.0', 'sha256:ABC')), 'INVALID_ARTIFACT_DIGEST');
    thenError(when(given(...toValidation()), recordValidation('V-1', '1.0.0', `sha256:${'A'.repeat(64)}`)), 'INVALID_ARTIFACT_DIGEST');
  });

  test('when a dataset is unknown, then DATASET_UNKNOWN names it', () => {
    const error = thenError(
      when(given(...toValidation()), recordValidation('V-1', '1.0.0', DIGEST_A, undefined, 6, ['DS-1', 'DS-X'])),
      'DATASET_UNKNOWN',
    );
    expect(error.details.datasetIds).toEqual(['DS-X']);
  });

  test('given a dataset with no quality check, when it backs a validation, then DATASET_QUALITY_NOT_PASSED', () => {
    const state = given(...toValidation(), recordDataset('DS-2', 6));
    const error = thenError(
      when(state, recordValidation('V-1', '1.0.0', DIGEST_A, undefined, 7, ['DS-1', 'DS-2'])),
      'DATASET_QUALITY_NOT_PASSED',
    );
    expect(error.details.datasets).toEqual([{ datasetId: 'DS-2', problem: 'dataset DS-2 has no data-quality check' }]);
  });

  test('given a dataset whose latest quality check failed after an earlier pass, when it backs a validation, then DATASET_QUALITY_NOT_PASSED', () => {
    const state = given(...toValidation(), qualityCheck('QC-2', 'DS-1', false, 6));
    thenError(when(state, recordValidation('V-1', '1.0.0', DIGEST_A, undefined, 7)), 'DATASET_QUALITY_NOT_PASSED');
    // and a new passing check makes it usable again
    thenEvents(
      when(
        given(...toValidation(), qualityCheck('QC-2', 'DS-1', false, 6), qualityCheck('QC-3', 'DS-1', true, 7)),
        recordValidation('V-1', '1.0.0', DIGEST_A, undefined, 8),
      ),
    );
  });

  test('given a validation awaiting evaluation or sign-off, when another is recorded for the same version, then VALIDATION_IN_PROGRESS', () => {
    thenError(
      when(given(...toValidation(), recordValidation()), recordValidation('V-2', '1.0.0', DIGEST_A, undefined, 8)),
      'VALIDATION_IN_PROGRESS',
    );
    thenError(
      when(given(...toValidation(), recordValidation(), evaluate()), recordValidation('V-2', '1.0.0', DIGEST_A, undefined, 8)),
      'VALIDATION_IN_PROGRESS',
    );
  });

  test('when metrics are empty, duplicated or not finite, then VALIDATION_FAILED', () => {
    const state = given(...toValidation());
    expect(fieldsOf(thenError(when(state, recordValidation('V-1', '1.0.0', DIGEST_A, [])), 'VALIDATION_FAILED'))).toEqual(['metrics']);
    const twice = [
      { metric: 'auc', value: 1 },
      { metric: 'auc', value: 2 },
    ];
    expect(issuesOf(thenError(when(state, recordValidation('V-1', '1.0.0', DIGEST_A, twice)), 'VALIDATION_FAILED'))).toEqual([
      { field: 'metrics', problem: 'names the metric auc more than once' },
    ]);
    const infinite = [{ metric: 'auc', value: Number.POSITIVE_INFINITY }];
    expect(fieldsOf(thenError(when(state, recordValidation('V-1', '1.0.0', DIGEST_A, infinite)), 'VALIDATION_FAILED'))).toEqual([
      'metrics[0].value',
    ]);
  });

  test('evaluation errors: unknown validation, already evaluated, reused task id', () => {
    const state = given(...toValidation(), recordValidation());
    thenError(when(state, evaluate('V-9')), 'VALIDATION_UNKNOWN');
    thenError(
      when(given(...toValidation(), recordValidation(), evaluate()), evaluate('V-1', 'other-task', 8)),
      'VALIDATION_ALREADY_EVALUATED',
    );
    thenError(when(state, evaluate('V-1', 'task-IA-1')), 'DUPLICATE_ID');
  });

  test('given a validation recorded before a newer version was proposed, when it is evaluated, then VALIDATION_NO_LONGER_CURRENT', () => {
    const state = given(...toValidation(), recordValidation(), propose('1.1.0', DIGEST_B, 7));
    thenError(when(state, evaluate('V-1', 'task-x', 8)), 'VALIDATION_NO_LONGER_CURRENT');
    expect(registered(state).versions.map((v) => v.status)).toEqual(['superseded', 'proposed']);
  });

  test('the developer is recorded with the role acted under', () => {
    expect(ofType(thenEvents(when(given(...toValidation()), recordValidation())), 'ValidationResultsRecorded').by).toEqual({
      id: developer.id,
      role: 'engineer',
    });
    expect(steward.roles).toContain('engineer');
    expect(at(1) < at(2)).toBe(true);
  });
});

describe('evaluateAcceptanceCriteria (pure)', () => {
  const criteria = [
    { metric: 'accuracy', direction: 'higher_is_better' as const, threshold: 0.9 },
    { metric: 'latency_ms', direction: 'lower_is_better' as const, threshold: 200 },
  ];

  test('a value exactly at its threshold meets it in either direction', () => {
    expect(
      evaluateAcceptanceCriteria(criteria, [
        { metric: 'accuracy', value: 0.9 },
        { metric: 'latency_ms', value: 200 },
      ]).passed,
    ).toBe(true);
  });

  test('higher-is-better fails below, lower-is-better fails above', () => {
    const r = evaluateAcceptanceCriteria(criteria, [
      { metric: 'accuracy', value: 0.89 },
      { metric: 'latency_ms', value: 201 },
    ]);
    expect(r.passed).toBe(false);
    expect(r.results.map((x) => x.passed)).toEqual([false, false]);
  });

  test('an unmeasured criterion fails with a null value; extra metrics are ignored', () => {
    const r = evaluateAcceptanceCriteria(criteria, [
      { metric: 'accuracy', value: 0.95 },
      { metric: 'other', value: 1 },
    ]);
    expect(r.results).toEqual([
      { metric: 'accuracy', direction: 'higher_is_better', threshold: 0.9, value: 0.95, passed: true },
      { metric: 'latency_ms', direction: 'lower_is_better', threshold: 200, value: null, passed: false },
    ]);
    expect(r.passed).toBe(false);
  });

  test('no criteria never passes (nothing was agreed)', () => {
    expect(evaluateAcceptanceCriteria([], [{ metric: 'a', value: 1 }]).passed).toBe(false);
  });
});
