/**
 * Registration (A.6.2.2, A.10.3): the system's profile, its risk tier, its acceptance criteria and its
 * lifecycle policy. Also the stage, which only `LifecycleStageChanged` moves, so every transition is evidence.
 */
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { invalid } from '../errors';
import type * as E from '../events';
import { systemIdIssue } from '../identity';
import { checkCriteria, checkProvider, checkRiskTier } from '../input-checks';
import type { AiSystemRecord } from '../model';
import { resolveLifecyclePolicy } from '../policy';
import { policyUnderOrganisation } from './policy-governance';
import { actorOf, copyCriterion } from './common';
import type { DecideResult, Feature } from './feature';

/** The events of registering a system that is not yet registered (the composed `decide` checks that). */
export function register(c: C.RegisterAiSystem): DecideResult {
  const p = new ValidationIssues();
  const idIssue = systemIdIssue(c.systemId);
  if (idIssue) p.add(idIssue.field, idIssue.problem);
  p.text('name', c.name);
  p.text('purpose', c.purpose);
  p.text('intendedUse', c.intendedUse);
  p.text('owner', c.owner);
  checkProvider(p, 'provider', c.provider);
  checkRiskTier(p, 'riskTier', c.riskTier);
  checkCriteria(p, 'acceptanceCriteria', c.acceptanceCriteria, true);
  if (c.monitoringThresholds !== undefined) checkCriteria(p, 'monitoringThresholds', c.monitoringThresholds, false);
  if (c.organisationPolicy !== undefined && c.policy !== undefined) {
    p.add('policy', "must not be given: a system's lifecycle policy is the organisation's for its risk tier");
  }
  if (!p.empty) return err(invalid(c.type, p.list));
  // Runs started before the organisation's policy existed (and the engine's own tests) carry overrides.
  const governed = c.organisationPolicy === undefined ? null : policyUnderOrganisation(c.organisationPolicy, c.riskTier);
  if (governed !== null && !governed.ok) return governed;
  const policy = governed !== null ? ok(governed.value.policy) : resolveLifecyclePolicy(c.policy ?? {}, 'policy');
  if (!policy.ok) return policy;
  return ok([
    {
      type: 'AiSystemRegistered',
      systemId: c.systemId,
      name: c.name,
      purpose: c.purpose,
      intendedUse: c.intendedUse,
      owner: c.owner,
      provider: { kind: c.provider.kind, supplier: c.provider.supplier ?? null },
      riskTier: c.riskTier,
      acceptanceCriteria: c.acceptanceCriteria.map(copyCriterion),
      monitoringThresholds: (c.monitoringThresholds ?? c.acceptanceCriteria).map(copyCriterion),
      policy: policy.value,
      ...(governed === null ? {} : { organisationPolicy: governed.value.snapshot }),
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

/** The record a registration starts. */
export function registeredRecord(e: E.AiSystemRegistered): AiSystemRecord {
  return {
    stage: 'registered',
    profile: {
      systemId: e.systemId,
      name: e.name,
      purpose: e.purpose,
      intendedUse: e.intendedUse,
      owner: e.owner,
      provider: e.provider,
      riskTier: e.riskTier,
      acceptanceCriteria: e.acceptanceCriteria,
      monitoringThresholds: e.monitoringThresholds,
    },
    policy: e.policy,
    organisationPolicy: e.organisationPolicy ?? null,
    registeredBy: e.by,
    registeredAt: e.at,
    impactAssessments: [],
    approvedImpactAssessmentId: null,
    datasets: [],
    versions: [],
    candidateVersion: null,
    validations: [],
    deploymentRequests: [],
    production: null,
    monitoring: {
      reportCount: 0,
      breachCount: 0,
      lastReportId: null,
      lastReportAt: null,
      lastReviewDueAt: null,
      lastReviewCompletedAt: null,
      lastReviewOutcome: null,
    },
    incidents: [],
    nonconformities: [],
    changes: [],
    decommissioning: null,
    tasks: [],
  };
}

export const registration = {
  decide: {},
  evolve: {
    LifecycleStageChanged: (s, e) => ({ ...s, stage: e.to }),
  },
} satisfies Feature;
