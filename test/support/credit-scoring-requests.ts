/**
 * The request bodies of one sample AI system (a high-risk credit-scoring model) as the HTTP API takes them:
 * registration, impact assessment, dataset, quality check, validation metrics. Shared by the HTTP e2e tests
 * and `npm run bench:api`, which drive systems through the same steps. Plain data: no test framework here.
 */

export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;

export function registrationBody(systemId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    systemId,
    name: 'Credit scoring model',
    purpose: 'Rank loan applications for human review',
    intendedUse: 'Decision support for credit officers; never an automatic refusal',
    owner: 'engineer-token',
    provider: { kind: 'in_house', supplier: null },
    // High risk: every gate needs a person, so the assessment opens a review task and the gate answers pending.
    riskTier: 'high',
    acceptanceCriteria: [
      { metric: 'auc', direction: 'higher_is_better', threshold: 0.8 },
      { metric: 'false_positive_rate', direction: 'lower_is_better', threshold: 0.1 },
    ],
    ...overrides,
  };
}

export const impactAssessmentBody = (): Record<string, unknown> => ({
  affectedParties: {
    individuals: 'Loan applicants',
    groups: 'Applicants from protected groups',
    society: 'Access to credit in the region',
  },
  impacts: [
    { impactId: 'I1', affects: 'individuals', description: 'Unfair refusal', severity: 'major', likelihood: 'possible' },
    { impactId: 'I2', affects: 'groups', description: 'Disparate impact', severity: 'moderate', likelihood: 'unlikely' },
  ],
  mitigations: [
    { mitigationId: 'M1', description: 'Human review of every refusal', addressesImpactIds: ['I1', 'I2'], owner: 'engineer-token' },
  ],
});

export const datasetBody = (datasetId: string): Record<string, unknown> => ({
  datasetId,
  name: 'Applications 2020-2025',
  purpose: 'validation',
  provenance: { source: 'core banking export', custodian: 'data office', licence: null, contentDigest: `sha256:${'d'.repeat(64)}` },
  acquisition: { method: 'internal export', acquiredAt: '2026-01-15T00:00:00Z', notes: null },
  preparation: { steps: ['deduplicated', 'pseudonymised'] },
});

export const passingQualityBody = (): Record<string, unknown> => ({
  results: [
    { dimension: 'completeness', measure: 'non-null ratio', value: 0.99, passed: true, notes: null },
    { dimension: 'representativeness', value: 0.05, passed: true },
  ],
});

export const goodMetrics = [
  { metric: 'auc', value: 0.86 },
  { metric: 'false_positive_rate', value: 0.07 },
];
