/**
 * Change (6.3, 8.4) and new model versions. A new version supersedes the versions not yet in production
 * and loops back to validation; a significant change makes the approved impact assessment outdated (one
 * under review is withdrawn) and loops back to impact assessment. What rested on the old basis is closed
 * by the other features' reconcile rules.
 */
import { isSha256Digest } from '../../shared/artifact-digest';
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { aiSystemError, invalid } from '../errors';
import { checkCriteria, checkProvider, checkRiskTier } from '../input-checks';
import type { AiSystemRecord, ProfileAmendments } from '../model';
import { findVersion } from '../queries';
import { policyForTier } from './policy-governance';
import { actorOf, copyCriterion, duplicate, invalidDigest, stageChange } from './common';
import type { DecideResult, Feature } from './feature';

/**
 * The safety-relevant fields: amending one changes what was assessed or what protects people once the
 * system runs, so the change must be declared significant (6.3), which sends the system back through
 * impact-assessment review. Monitoring thresholds are among them (issue 11, finding 6): emptied or
 * loosened by a minor change, no value would raise a breach. Only the name and the owner are not.
 */
export const SIGNIFICANT_AMENDMENTS: readonly (keyof ProfileAmendments)[] = [
  'purpose',
  'intendedUse',
  'provider',
  'riskTier',
  'acceptanceCriteria',
  'monitoringThresholds',
];

function proposeModelVersion(c: C.ProposeModelVersion, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('modelVersion', c.modelVersion);
  if (typeof c.description !== 'string') p.add('description', 'must be a string (empty when there is nothing to say)');
  if (!p.empty) return err(invalid(c.type, p.list));
  if (!isSha256Digest(c.artifactDigest)) return err(invalidDigest(c.artifactDigest));
  if (findVersion(s, c.modelVersion)) {
    return err(
      aiSystemError('MODEL_VERSION_EXISTS', `Model version ${c.modelVersion} has already been proposed.`, { modelVersion: c.modelVersion }),
    );
  }
  const sameDigest = s.versions.find((v) => v.artifactDigest === c.artifactDigest);
  if (sameDigest) {
    return err(
      aiSystemError(
        'ARTIFACT_DIGEST_ALREADY_REGISTERED',
        `Artifact ${c.artifactDigest} is already model version ${sameDigest.modelVersion}; a new version needs a new artifact.`,
        { artifactDigest: c.artifactDigest, modelVersion: sameDigest.modelVersion },
      ),
    );
  }
  const by = actorOf(c);
  const supersedes = s.versions
    .filter(
      (v) =>
        v.status === 'proposed' || v.status === 'validation_failed' || v.status === 'validated' || v.status === 'approved_for_deployment',
    )
    .map((v) => v.modelVersion);
  const loopsBack = s.stage === 'deployment_approval' || s.stage === 'in_production';
  return ok([
    {
      type: 'ModelVersionProposed',
      modelVersion: c.modelVersion,
      artifactDigest: c.artifactDigest,
      description: c.description,
      supersedes,
      by,
      at: c.at,
    },
    ...(loopsBack ? stageChange(s, 'validation', 'ModelVersionProposed', by, c.at) : []),
  ]);
}

function cleanAmendments(a: ProfileAmendments | undefined, p: ValidationIssues): ProfileAmendments {
  const out: ProfileAmendments = {};
  if (!a) return out;
  for (const key of ['name', 'purpose', 'intendedUse', 'owner'] as const) {
    const value = a[key];
    if (value === undefined) continue;
    p.text(`amendments.${key}`, value);
    out[key] = value;
  }
  if (a.provider !== undefined) {
    checkProvider(p, 'amendments.provider', a.provider);
    // A null or non-object provider is reported by checkProvider; copy only a real one.
    if (typeof a.provider === 'object' && a.provider !== null)
      out.provider = { kind: a.provider.kind, supplier: a.provider.supplier ?? null };
  }
  if (a.riskTier !== undefined) {
    checkRiskTier(p, 'amendments.riskTier', a.riskTier);
    out.riskTier = a.riskTier;
  }
  if (a.acceptanceCriteria !== undefined) {
    checkCriteria(p, 'amendments.acceptanceCriteria', a.acceptanceCriteria, true);
    if (Array.isArray(a.acceptanceCriteria)) out.acceptanceCriteria = a.acceptanceCriteria.map(copyCriterion);
  }
  if (a.monitoringThresholds !== undefined) {
    checkCriteria(p, 'amendments.monitoringThresholds', a.monitoringThresholds, false);
    if (Array.isArray(a.monitoringThresholds)) out.monitoringThresholds = a.monitoringThresholds.map(copyCriterion);
  }
  return out;
}

function recordChange(c: C.RecordChange, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('changeId', c.changeId);
  p.text('description', c.description);
  p.boolean('significant', c.significant);
  const amendments = cleanAmendments(c.amendments, p);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.changes.some((x) => x.changeId === c.changeId)) return err(duplicate('change', c.changeId));
  const needSignificance = SIGNIFICANT_AMENDMENTS.filter((k) => amendments[k] !== undefined);
  if (!c.significant && needSignificance.length > 0) {
    return err(
      aiSystemError(
        'CHANGE_MUST_BE_SIGNIFICANT',
        `Changing ${needSignificance.join(', ')} changes what was assessed; record it as a significant change.`,
        { fields: needSignificance },
      ),
    );
  }
  // A new risk tier takes its tier's policy at once (the organisation's; older systems keep theirs).
  const tierChanged = amendments.riskTier !== undefined && amendments.riskTier !== s.profile.riskTier;
  const tierPolicy = tierChanged && amendments.riskTier !== undefined ? policyForTier(s, amendments.riskTier) : null;
  if (tierPolicy !== null && !tierPolicy.ok) return tierPolicy;
  const by = actorOf(c);
  const loopsBack = c.significant && (s.stage === 'validation' || s.stage === 'deployment_approval' || s.stage === 'in_production');
  return ok([
    {
      type: 'ChangeRecorded',
      changeId: c.changeId,
      description: c.description,
      significant: c.significant,
      amendments,
      ...(tierPolicy === null || s.organisationPolicy === null ? {} : { policy: tierPolicy.value }),
      by,
      at: c.at,
    },
    ...(loopsBack ? stageChange(s, 'impact_assessment', 'ChangeRecorded', by, c.at) : []),
  ]);
}

export const changeAndVersions = {
  decide: { ProposeModelVersion: proposeModelVersion, RecordChange: recordChange },
  evolve: {
    ModelVersionProposed: (s, e) => ({
      ...s,
      versions: [
        ...s.versions.map((v) => (e.supersedes.includes(v.modelVersion) ? { ...v, status: 'superseded' as const } : v)),
        {
          modelVersion: e.modelVersion,
          artifactDigest: e.artifactDigest,
          description: e.description,
          proposedBy: e.by,
          proposedAt: e.at,
          status: 'proposed',
          deployedEnvironments: [],
        },
      ],
      candidateVersion: e.modelVersion,
    }),
    ChangeRecorded: (s, e) => {
      const withChange: AiSystemRecord = {
        ...s,
        profile: { ...s.profile, ...e.amendments },
        policy: e.policy ?? s.policy,
        changes: [
          ...s.changes,
          {
            changeId: e.changeId,
            description: e.description,
            significant: e.significant,
            amendments: e.amendments,
            recordedBy: e.by,
            recordedAt: e.at,
          },
        ],
      };
      if (!e.significant) return withChange;
      // A significant change makes the approved assessment outdated and withdraws one under review (8.4).
      return {
        ...withChange,
        impactAssessments: withChange.impactAssessments.map((a) =>
          a.status === 'approved' ? { ...a, status: 'outdated' } : a.status === 'under_review' ? { ...a, status: 'withdrawn' } : a,
        ),
      };
    },
  },
} satisfies Feature;
