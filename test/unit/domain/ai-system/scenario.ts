/**
 * Given/when/then support for the AI-system decider: `given(...commands)` builds a state by running
 * commands through the real decider (a failing setup command fails the test loudly), `when` decides one
 * command against it, `thenEvents` / `thenError` read the outcome. Builders make typical commands.
 */
import {
  decide,
  evolve,
  type Actor,
  type AiSystemCommand,
  type AiSystemEvent,
  type AiSystemRecord,
  type AiSystemState,
  type DecideResult,
  type ImpactAssessmentContent,
  type MetricValue,
  type RegisterAiSystem,
  INITIAL_AI_SYSTEM_STATE,
  isRegistered,
} from '../../../../domain/ai-system';
import type { ValidationIssue } from '../../../../domain/shared/validation';

export const T0 = '2025-03-01T09:00:00.000Z';
/** T0 plus `minutes`. */
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const DIGEST_C = `sha256:${'c'.repeat(64)}`;

/** The system's owner: an engineer accountable for it (registers it, submits assessments, records changes). */
export const owner: Actor = { id: 'olivia', roles: ['engineer'] };
export const developer: Actor = { id: 'dev', roles: ['engineer'] };
/** A pipeline: records results and asks the deployment gate. */
export const pipeline: Actor = { id: 'ci-main', roles: ['ci'] };
export const auditor: Actor = { id: 'audrey', roles: ['auditor'] };
export const approver: Actor = { id: 'alice', roles: ['approver'] };
export const approver2: Actor = { id: 'bob', roles: ['approver'] };
export const riskOwner: Actor = { id: 'rita', roles: ['risk_owner'] };
export const validator: Actor = { id: 'victor', roles: ['validator'] };
export const steward: Actor = { id: 'dana', roles: ['engineer'] };
export const operator: Actor = { id: 'otto', roles: ['engineer'] };
export const aimsOwner: Actor = { id: 'amara', roles: ['aims_owner'] };

export type Scenario = { state: AiSystemState; events: AiSystemEvent[] };

export function given(...commands: AiSystemCommand[]): AiSystemState {
  return givenScenario(...commands).state;
}

export function givenScenario(...commands: AiSystemCommand[]): Scenario {
  let state: AiSystemState = INITIAL_AI_SYSTEM_STATE;
  const events: AiSystemEvent[] = [];
  for (const c of commands) {
    const r = decide(c, state);
    if (!r.ok) throw new Error(`setup command ${c.type} was refused: ${r.error.code} ${r.error.message}`);
    events.push(...r.value);
    state = r.value.reduce(evolve, state);
  }
  return { state, events };
}

export const when = (state: AiSystemState, command: AiSystemCommand): DecideResult => decide(command, state);

export function thenEvents(result: DecideResult): AiSystemEvent[] {
  if (!result.ok) throw new Error(`expected events, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function thenError(result: DecideResult, code: string) {
  if (result.ok) throw new Error(`expected error ${code}, got events ${result.value.map((e) => e.type).join(', ')}`);
  expect(result.error.code).toBe(code);
  expect(result.error.message.length).toBeGreaterThan(10);
  return result.error;
}

export const types = (events: AiSystemEvent[]): string[] => events.map((e) => e.type);

/** The `{ field, problem }` issues a VALIDATION_FAILED (or INVALID_POLICY, IMPACT_ASSESSMENT_INCOMPLETE) refusal carries. */
export function issuesOf(error: { details: unknown }): ValidationIssue[] {
  const issues = (error.details as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) throw new Error(`expected details.issues, got ${JSON.stringify(error.details)}`);
  for (const i of issues as ValidationIssue[]) {
    expect(typeof i.field).toBe('string');
    expect(i.problem.length).toBeGreaterThan(5);
  }
  return issues as ValidationIssue[];
}

/** The fields a refusal's issues name, in order. */
export const fieldsOf = (error: { details: unknown }): string[] => issuesOf(error).map((i) => i.field);

export function after(state: AiSystemState, result: DecideResult): AiSystemRecord {
  const next = thenEvents(result).reduce(evolve, state);
  if (!isRegistered(next)) throw new Error('state is not registered');
  return next;
}

export function registered(state: AiSystemState): AiSystemRecord {
  if (!isRegistered(state)) throw new Error('state is not registered');
  return state;
}

export function ofType<T extends AiSystemEvent['type']>(events: AiSystemEvent[], type: T): Extract<AiSystemEvent, { type: T }> {
  const found = events.find((e) => e.type === type);
  if (!found) throw new Error(`no ${type} among ${types(events).join(', ')}`);
  return found as Extract<AiSystemEvent, { type: T }>;
}

// ---------- command builders ----------

export const register = (overrides: Partial<RegisterAiSystem> = {}): RegisterAiSystem => ({
  type: 'RegisterAiSystem',
  systemId: 'credit-scoring',
  name: 'Credit scoring assistant',
  purpose: 'Rank loan applications for human review',
  intendedUse: 'Decision support for credit officers; never automatic refusal',
  owner: owner.id,
  provider: { kind: 'in_house', supplier: null },
  riskTier: 'high',
  acceptanceCriteria: [
    { metric: 'auc', direction: 'higher_is_better', threshold: 0.8 },
    { metric: 'false_positive_rate', direction: 'lower_is_better', threshold: 0.1 },
  ],
  by: owner,
  at: at(0),
  ...overrides,
});

export const iaContent = (): ImpactAssessmentContent => ({
  affectedParties: {
    individuals: 'Loan applicants',
    groups: 'Applicants from protected groups',
    society: 'Access to credit in the region',
  },
  impacts: [
    { impactId: 'I1', affects: 'individuals', description: 'Unfair refusal', severity: 'major', likelihood: 'possible' },
    { impactId: 'I2', affects: 'groups', description: 'Disparate impact', severity: 'moderate', likelihood: 'unlikely' },
    { impactId: 'I3', affects: 'society', description: 'Credit concentration', severity: 'minor', likelihood: 'rare' },
  ],
  mitigations: [{ mitigationId: 'M1', description: 'Human review of every refusal', addressesImpactIds: ['I1', 'I2'], owner: 'olivia' }],
});

export const submitIa = (assessmentId = 'IA-1', reviewTaskId = `task-${assessmentId}`, minute = 1, by: Actor = owner): AiSystemCommand => ({
  type: 'SubmitImpactAssessment',
  assessmentId,
  content: iaContent(),
  reviewTaskId,
  by,
  at: at(minute),
});

export const decideTask = (
  taskId: string,
  outcome: 'approved' | 'rejected' | 'changes_requested',
  by: Actor,
  minute: number,
  reasons: string[] = outcome === 'approved' ? [] : ['needs work'],
): AiSystemCommand => ({ type: 'DecideHumanTask', taskId, outcome, reasons, by, at: at(minute) });

export const recordDataset = (datasetId = 'DS-1', minute = 3): AiSystemCommand => ({
  type: 'RecordDataset',
  datasetId,
  name: 'Applications 2020-2024',
  purpose: 'validation',
  provenance: { source: 'core banking export', custodian: 'data office', licence: null, contentDigest: DIGEST_C },
  acquisition: { method: 'internal export', acquiredAt: at(0), notes: null },
  preparation: { steps: ['deduplicated', 'pseudonymised'] },
  by: steward,
  at: at(minute),
});

export const qualityCheck = (checkId: string, datasetId: string, passed: boolean, minute = 4): AiSystemCommand => ({
  type: 'RecordDataQualityCheck',
  checkId,
  datasetId,
  results: [
    { dimension: 'completeness', measure: 'non-null ratio', value: 0.99, passed: true, notes: null },
    { dimension: 'representativeness', measure: 'population stability', value: passed ? 0.05 : 0.4, passed, notes: null },
  ],
  by: steward,
  at: at(minute),
});

export const propose = (modelVersion = '1.0.0', artifactDigest = DIGEST_A, minute = 5): AiSystemCommand => ({
  type: 'ProposeModelVersion',
  modelVersion,
  artifactDigest,
  description: `model ${modelVersion}`,
  by: developer,
  at: at(minute),
});

export const goodMetrics: MetricValue[] = [
  { metric: 'auc', value: 0.86 },
  { metric: 'false_positive_rate', value: 0.07 },
];

export const recordValidation = (
  validationId = 'V-1',
  modelVersion = '1.0.0',
  artifactDigest = DIGEST_A,
  metrics: MetricValue[] = goodMetrics,
  minute = 6,
  datasetIds: string[] = ['DS-1'],
  by: Actor = developer,
): AiSystemCommand => ({
  type: 'RecordValidationResults',
  validationId,
  modelVersion,
  artifactDigest,
  datasetIds,
  metrics,
  by,
  at: at(minute),
});

export const evaluate = (validationId = 'V-1', signOffTaskId = `task-signoff-${validationId}`, minute = 7): AiSystemCommand => ({
  type: 'EvaluateAcceptanceCriteria',
  validationId,
  signOffTaskId,
  at: at(minute),
});

export const requestDeployment = (
  requestId = 'D-1',
  modelVersion = '1.0.0',
  artifactDigest = DIGEST_A,
  minute = 9,
  environment = 'production',
  by: Actor = developer,
): AiSystemCommand => ({
  type: 'RequestDeployment',
  requestId,
  modelVersion,
  artifactDigest,
  environment,
  commit: 'abc1234',
  approvalTaskId: `task-deploy-${requestId}`,
  by,
  at: at(minute),
});

export const completeDeployment = (requestId = 'D-1', minute = 11): AiSystemCommand => ({
  type: 'RecordDeploymentCompleted',
  requestId,
  by: operator,
  at: at(minute),
});

// ---------- canned paths ----------

/** Registered, impact assessment approved, a dataset with a passing check, version 1.0.0 proposed. */
export const toValidation = (registration: Partial<RegisterAiSystem> = {}): AiSystemCommand[] => [
  register(registration),
  submitIa(),
  decideTask('task-IA-1', 'approved', approver, 2),
  recordDataset(),
  qualityCheck('QC-1', 'DS-1', true),
  propose(),
];

/** ... and 1.0.0 validated against DIGEST_A and signed off. */
export const toSignedOff = (registration: Partial<RegisterAiSystem> = {}): AiSystemCommand[] => [
  ...toValidation(registration),
  recordValidation(),
  evaluate(),
  decideTask('task-signoff-V-1', 'approved', validator, 8),
];

/** ... and 1.0.0 deployed to production through a person's approval. */
export const toProduction = (registration: Partial<RegisterAiSystem> = {}): AiSystemCommand[] => [
  ...toSignedOff(registration),
  requestDeployment(),
  decideTask('task-deploy-D-1', 'approved', approver2, 10),
  completeDeployment(),
];
