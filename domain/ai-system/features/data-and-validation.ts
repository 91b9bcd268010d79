/**
 * Data for AI systems (A.7) and validation (A.6.2.4): datasets with provenance and quality checks; results
 * recorded for a model version under the current impact assessment, evaluated against the acceptance
 * criteria, and signed off by a validator other than whoever submitted them. A sign-off task whose
 * validation can no longer lead to deployment is closed.
 */
import { isSha256Digest } from '../../shared/artifact-digest';
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { aiSystemError, invalid } from '../errors';
import type * as E from '../events';
import { checkDigest, checkMetricValues, checkStringList } from '../input-checks';
import { evaluateAcceptanceCriteria } from '../metrics';
import { DATASET_PURPOSES, type AiSystemRecord, type ModelVersionStatus } from '../model';
import {
  datasetQualityProblem,
  findDataset,
  findValidation,
  findVersion,
  impactAssessmentCurrency,
  isVersionActive,
  validationLivenessProblem,
} from '../queries';
import {
  actorOf,
  duplicate,
  invalidDigest,
  notInStage,
  openTask,
  stageChange,
  supersede,
  supersededSubject,
  taskIdProblem,
  updateDataset,
  updateValidation,
  updateVersion,
} from './common';
import type { DecideResult, Feature, TaskDecision, TaskOf } from './feature';

/** Statuses a version leaves when it gains a validation outcome; later statuses are never downgraded. */
const PRE_VALIDATION: readonly ModelVersionStatus[] = ['proposed', 'validation_failed'];

function recordDataset(c: C.RecordDataset, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('datasetId', c.datasetId);
  p.text('name', c.name);
  p.oneOf('purpose', c.purpose, DATASET_PURPOSES);
  p.text('provenance.source', c.provenance?.source);
  p.optionalText('provenance.custodian', c.provenance?.custodian);
  p.optionalText('provenance.licence', c.provenance?.licence);
  checkDigest(p, 'provenance.contentDigest', c.provenance?.contentDigest);
  p.text('acquisition.method', c.acquisition?.method);
  p.optionalTimestamp('acquisition.acquiredAt', c.acquisition?.acquiredAt);
  p.optionalText('acquisition.notes', c.acquisition?.notes);
  if (!Array.isArray(c.preparation?.steps) || c.preparation.steps.some((x) => typeof x !== 'string' || x.trim() === '')) {
    p.add('preparation.steps', 'must be a list of non-empty strings (empty when the data is used as acquired)');
  }
  if (!p.empty) return err(invalid(c.type, p.list));
  if (findDataset(s, c.datasetId)) return err(duplicate('dataset', c.datasetId));
  return ok([
    {
      type: 'DatasetRecorded',
      datasetId: c.datasetId,
      name: c.name,
      purpose: c.purpose,
      provenance: {
        source: c.provenance.source,
        custodian: c.provenance.custodian ?? null,
        licence: c.provenance.licence ?? null,
        contentDigest: c.provenance.contentDigest ?? null,
      },
      acquisition: { method: c.acquisition.method, acquiredAt: c.acquisition.acquiredAt ?? null, notes: c.acquisition.notes ?? null },
      preparation: { steps: [...c.preparation.steps] },
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

function recordDataQualityCheck(c: C.RecordDataQualityCheck, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('checkId', c.checkId);
  p.text('datasetId', c.datasetId);
  if (!Array.isArray(c.results) || c.results.length === 0) p.add('results', 'needs at least one result');
  (Array.isArray(c.results) ? c.results : []).forEach((r, i) => {
    p.text(`results[${i}].dimension`, r?.dimension);
    p.boolean(`results[${i}].passed`, r?.passed);
    if (r?.value !== null && r?.value !== undefined) p.finiteNumber(`results[${i}].value`, r.value);
    p.optionalText(`results[${i}].measure`, r?.measure);
    p.optionalText(`results[${i}].notes`, r?.notes);
  });
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.datasets.some((d) => d.qualityChecks.some((q) => q.checkId === c.checkId))) return err(duplicate('data-quality check', c.checkId));
  if (!findDataset(s, c.datasetId)) {
    return err(
      aiSystemError('DATASET_UNKNOWN', `Dataset ${c.datasetId} has not been recorded for this AI system.`, { datasetIds: [c.datasetId] }),
    );
  }
  const results = c.results.map((r) => ({
    dimension: r.dimension,
    measure: r.measure ?? null,
    value: r.value ?? null,
    passed: r.passed,
    notes: r.notes ?? null,
  }));
  return ok([
    {
      type: 'DataQualityCheckRecorded',
      checkId: c.checkId,
      datasetId: c.datasetId,
      results,
      passed: results.every((r) => r.passed),
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

function recordValidationResults(c: C.RecordValidationResults, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('validationId', c.validationId);
  p.text('modelVersion', c.modelVersion);
  checkStringList(p, 'datasetIds', c.datasetIds, true);
  checkMetricValues(p, 'metrics', c.metrics);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (!isSha256Digest(c.artifactDigest)) return err(invalidDigest(c.artifactDigest));
  if (s.stage !== 'validation') return err(notInStage(c.type, s, ['validation']));
  if (findValidation(s, c.validationId)) return err(duplicate('validation', c.validationId));
  const version = findVersion(s, c.modelVersion);
  if (!version) {
    return err(
      aiSystemError('MODEL_VERSION_UNKNOWN', `Model version ${c.modelVersion} has not been proposed.`, { modelVersion: c.modelVersion }),
    );
  }
  if (!isVersionActive(version)) {
    return err(
      aiSystemError('MODEL_VERSION_NOT_CURRENT', `Model version ${c.modelVersion} is ${version.status} and can no longer be validated.`, {
        modelVersion: c.modelVersion,
        status: version.status,
      }),
    );
  }
  if (version.artifactDigest !== c.artifactDigest) {
    return err(
      aiSystemError(
        'ARTIFACT_DIGEST_MISMATCH',
        `Model version ${c.modelVersion} is artifact ${version.artifactDigest}; results for ${c.artifactDigest} cannot validate it.`,
        { modelVersion: c.modelVersion, expected: version.artifactDigest, actual: c.artifactDigest },
      ),
    );
  }
  const ia = impactAssessmentCurrency(s, c.at);
  if (!ia.current) {
    return err(
      aiSystemError(
        'IMPACT_ASSESSMENT_NOT_CURRENT',
        `There is no current approved impact assessment (${ia.why}); validation must wait for one.`,
        {
          why: ia.why,
        },
      ),
    );
  }
  const unknown = c.datasetIds.filter((id) => !findDataset(s, id));
  if (unknown.length > 0) {
    return err(
      aiSystemError('DATASET_UNKNOWN', `Datasets not recorded for this AI system: ${unknown.join(', ')}.`, { datasetIds: unknown }),
    );
  }
  const quality = c.datasetIds
    .map((id) => ({ datasetId: id, problem: datasetQualityProblem(findDataset(s, id)!) }))
    .filter((q): q is { datasetId: string; problem: string } => q.problem !== null);
  if (quality.length > 0) {
    return err(
      aiSystemError(
        'DATASET_QUALITY_NOT_PASSED',
        `A dataset without a passing data-quality check cannot back a validation: ${quality.map((q) => q.problem).join('; ')}.`,
        { datasets: quality },
      ),
    );
  }
  const inProgress = s.validations.find(
    (v) => v.modelVersion === c.modelVersion && (v.status === 'awaiting_evaluation' || v.status === 'awaiting_sign_off'),
  );
  if (inProgress) {
    return err(
      aiSystemError(
        'VALIDATION_IN_PROGRESS',
        `Validation ${inProgress.validationId} of ${c.modelVersion} is still ${inProgress.status.replace(/_/g, ' ')}.`,
        {
          validationId: inProgress.validationId,
          status: inProgress.status,
        },
      ),
    );
  }
  return ok([
    {
      type: 'ValidationResultsRecorded',
      validationId: c.validationId,
      modelVersion: c.modelVersion,
      artifactDigest: c.artifactDigest,
      datasetIds: [...c.datasetIds],
      metrics: c.metrics.map((m) => ({ metric: m.metric, value: m.value })),
      impactAssessmentId: ia.assessment.assessmentId,
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

function evaluateCriteria(c: C.EvaluateAcceptanceCriteria, s: AiSystemRecord): DecideResult {
  const v = findValidation(s, c.validationId);
  if (!v) return err(aiSystemError('VALIDATION_UNKNOWN', `There is no validation ${c.validationId}.`, { validationId: c.validationId }));
  if (v.status !== 'awaiting_evaluation') {
    return err(
      aiSystemError('VALIDATION_ALREADY_EVALUATED', `Validation ${c.validationId} was already evaluated (${v.status}).`, {
        validationId: c.validationId,
        status: v.status,
      }),
    );
  }
  const live = validationLivenessProblem(s, v, c.at);
  if (live) {
    return err(
      aiSystemError('VALIDATION_NO_LONGER_CURRENT', `Validation ${c.validationId} can no longer lead to deployment: ${live}.`, {
        validationId: c.validationId,
      }),
    );
  }
  const evaluation = evaluateAcceptanceCriteria(s.profile.acceptanceCriteria, v.metrics);
  if (c.evaluation !== undefined && !sameJson(c.evaluation, evaluation)) {
    return err(
      aiSystemError(
        'ACCEPTANCE_EVALUATION_MISMATCH',
        `The evaluation given for validation ${c.validationId} is not what the acceptance criteria yield for its recorded metrics.`,
        { validationId: c.validationId, given: c.evaluation, expected: evaluation },
      ),
    );
  }
  if (evaluation.passed) {
    const taskProblem = taskIdProblem(s, c.type, c.signOffTaskId, 'signOffTaskId');
    if (taskProblem) return err(taskProblem);
  }
  const by = actorOf(c);
  const evaluated: E.AcceptanceCriteriaEvaluated = {
    type: 'AcceptanceCriteriaEvaluated',
    validationId: v.validationId,
    modelVersion: v.modelVersion,
    artifactDigest: v.artifactDigest,
    passed: evaluation.passed,
    results: evaluation.results,
    signOffTaskId: evaluation.passed ? c.signOffTaskId : null,
    by,
    at: c.at,
  };
  if (!evaluation.passed) return ok([evaluated]);
  return ok([
    evaluated,
    openTask(
      s,
      {
        taskId: c.signOffTaskId,
        kind: 'validation_sign_off',
        subject: { type: 'validation', validationId: v.validationId, modelVersion: v.modelVersion, artifactDigest: v.artifactDigest },
        // The sign-off must come from someone other than whoever submitted the results.
        requestedBy: v.submittedBy.id,
      },
      by,
      c.at,
    ),
  ]);
}

/** Structural equality of plain JSON values (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const bo = b as Record<string, unknown>;
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && sameJson((a as Record<string, unknown>)[k], bo[k]))
  );
}

function signOffDecided(t: TaskOf<'validation'>, { outcome, reasons, by, at }: TaskDecision, s: AiSystemRecord): DecideResult {
  const subject = t.subject;
  const v = findValidation(s, subject.validationId);
  if (!v || v.status !== 'awaiting_sign_off')
    return err(supersededSubject(t, `validation ${subject.validationId} is ${v?.status ?? 'unknown'}`));
  const live = validationLivenessProblem(s, v, at);
  if (live) return err(supersededSubject(t, live));
  const ref = { validationId: v.validationId, modelVersion: v.modelVersion, artifactDigest: v.artifactDigest, by, at };
  if (outcome === 'approved') {
    return ok([
      { type: 'ValidationSignedOff', ...ref },
      ...(s.stage === 'validation' ? stageChange(s, 'deployment_approval', 'ValidationSignedOff', by, at) : []),
    ]);
  }
  return ok([{ type: 'ValidationSignOffRefused', ...ref, reasons }]);
}

export const dataAndValidation = {
  decide: {
    RecordDataset: recordDataset,
    RecordDataQualityCheck: recordDataQualityCheck,
    RecordValidationResults: recordValidationResults,
    EvaluateAcceptanceCriteria: evaluateCriteria,
  },
  evolve: {
    DatasetRecorded: (s, e) => ({
      ...s,
      datasets: [
        ...s.datasets,
        {
          datasetId: e.datasetId,
          name: e.name,
          purpose: e.purpose,
          provenance: e.provenance,
          acquisition: e.acquisition,
          preparation: e.preparation,
          recordedBy: e.by,
          recordedAt: e.at,
          qualityChecks: [],
        },
      ],
    }),
    DataQualityCheckRecorded: (s, e) =>
      updateDataset(s, e.datasetId, (d) => ({
        ...d,
        qualityChecks: [...d.qualityChecks, { checkId: e.checkId, results: e.results, passed: e.passed, checkedBy: e.by, checkedAt: e.at }],
      })),
    ValidationResultsRecorded: (s, e) => ({
      ...s,
      validations: [
        ...s.validations,
        {
          validationId: e.validationId,
          modelVersion: e.modelVersion,
          artifactDigest: e.artifactDigest,
          datasetIds: e.datasetIds,
          metrics: e.metrics,
          impactAssessmentId: e.impactAssessmentId,
          submittedBy: e.by,
          recordedAt: e.at,
          status: 'awaiting_evaluation',
          evaluation: null,
          signOffTaskId: null,
          signedOffBy: null,
          signedOffAt: null,
        },
      ],
    }),
    AcceptanceCriteriaEvaluated: (s, e) => {
      const next = updateValidation(s, e.validationId, (v) => ({
        ...v,
        status: e.passed ? 'awaiting_sign_off' : 'failed',
        evaluation: { passed: e.passed, results: e.results },
        signOffTaskId: e.signOffTaskId,
      }));
      return e.passed
        ? next
        : updateVersion(next, e.modelVersion, (v) => (PRE_VALIDATION.includes(v.status) ? { ...v, status: 'validation_failed' } : v));
    },
    ValidationSignedOff: (s, e) =>
      updateVersion(
        updateValidation(s, e.validationId, (v) => ({ ...v, status: 'signed_off', signedOffBy: e.by, signedOffAt: e.at })),
        e.modelVersion,
        (v) => (PRE_VALIDATION.includes(v.status) ? { ...v, status: 'validated' } : v),
      ),
    ValidationSignOffRefused: (s, e) => updateValidation(s, e.validationId, (v) => ({ ...v, status: 'sign_off_refused' })),
  },
  onTaskDecided: { validation: signOffDecided },
  reconcileTask: {
    // A sign-off for a validation that can no longer lead to deployment (newer version, outdated assessment).
    validation: (t, s, at) => {
      const v = findValidation(s, t.subject.validationId);
      const problem = v ? validationLivenessProblem(s, v, at) : `validation ${t.subject.validationId} is unknown`;
      return problem ? [supersede(t.taskId, problem, at)] : [];
    },
  },
} satisfies Feature;
