/**
 * The organisation's lifecycle policy, per risk tier (issue 11, finding 1). A system's lifecycle policy is
 * a governance decision: it is never chosen by whoever registers the system but taken from the policy the
 * AIMS owner or top management approved (domain/lifecycle-policy), for the system's risk tier, with the
 * deviation approved for that one system laid over it. Every result passes the floors of policy.ts.
 *
 * A lifecycle holds a `PolicySnapshot`: the version it runs under, every tier (so a change of risk tier,
 * confirmed in the impact-assessment review or recorded as a significant change, picks its tier's rules
 * without asking anyone) and its deviation.
 */
import { err, ok, type Result } from '../shared/result';
import { describeIssues, type ValidationIssue } from '../shared/validation';
import {
  DEFAULT_LIFECYCLE_POLICY,
  resolveLifecyclePolicy,
  type LifecyclePolicy,
  type LifecyclePolicyOverrides,
  type PolicyError,
} from './policy';
import { RISK_TIERS, type AiSystemTaskKind, type RiskTier } from './vocabulary';
import type { AimsRole } from '../shared/roles';

/** One tier's rules: the lifecycle policy, with deployment auto-approval as a yes/no for this tier. */
export type TierPolicy = Omit<LifecyclePolicy, 'autoApproveRiskTiers'> & { autoApproveDeployment: boolean };
export type TierPolicies = Record<RiskTier, TierPolicy>;
export type TierPolicyOverrides = Partial<Omit<TierPolicy, 'taskRoles' | 'taskResponseTimeMs'>> & {
  taskRoles?: Partial<Record<AiSystemTaskKind, AimsRole[]>>;
  taskResponseTimeMs?: Partial<Record<AiSystemTaskKind, number>>;
};

/** A deviation approved for one system: its overrides, and the change that approved it. */
export type PolicyDeviation = { changeId: string; overrides: TierPolicyOverrides };

/** What a lifecycle runs under. Version 0 is the built-in default, before any change was approved. */
export type PolicySnapshot = { version: number; tiers: TierPolicies; deviation: PolicyDeviation | null };

function tierDefault(tier: RiskTier): TierPolicy {
  const { autoApproveRiskTiers, ...rest } = DEFAULT_LIFECYCLE_POLICY;
  return {
    ...rest,
    taskRoles: { ...rest.taskRoles },
    taskResponseTimeMs: { ...rest.taskResponseTimeMs },
    productionEnvironments: [...rest.productionEnvironments],
    incidentSeveritiesOpeningNonconformity:
      tier === 'high' ? ['medium', 'high', 'critical'] : [...rest.incidentSeveritiesOpeningNonconformity],
    autoApproveDeployment: autoApproveRiskTiers.includes(tier),
  };
}

/** The policy in force until the organisation approves its own: the documented defaults, per tier. */
export const DEFAULT_TIER_POLICIES: TierPolicies = Object.fromEntries(RISK_TIERS.map((t) => [t, tierDefault(t)])) as TierPolicies;

export const DEFAULT_POLICY_SNAPSHOT: PolicySnapshot = { version: 0, tiers: DEFAULT_TIER_POLICIES, deviation: null };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` with `overrides` laid over it (maps merged per key, lists replaced). */
export function overlayTierPolicy(base: TierPolicy, overrides: TierPolicyOverrides): TierPolicy {
  return {
    ...base,
    ...overrides,
    taskRoles: { ...base.taskRoles, ...(overrides.taskRoles ?? {}) },
    taskResponseTimeMs: { ...base.taskResponseTimeMs, ...(overrides.taskResponseTimeMs ?? {}) },
  };
}

function asLifecycleOverrides(tier: RiskTier, t: TierPolicyOverrides | TierPolicy): LifecyclePolicyOverrides {
  const { autoApproveDeployment, ...rest } = t;
  const out: LifecyclePolicyOverrides = { ...(rest as LifecyclePolicyOverrides) };
  if (autoApproveDeployment !== undefined) out.autoApproveRiskTiers = autoApproveDeployment === true ? [tier] : [];
  return out;
}

const TIER_KEYS: readonly string[] = [
  'autoApproveDeployment',
  'productionEnvironments',
  'taskRoles',
  'taskResponseTimeMs',
  'escalationAfterMs',
  'monitoringReviewIntervalMs',
  'impactAssessmentValidityMs',
  'incidentSeveritiesOpeningNonconformity',
];

function policyError(issues: ValidationIssue[]): PolicyError {
  return {
    kind: 'DomainError',
    code: 'INVALID_POLICY',
    message: `The lifecycle policy is invalid: ${describeIssues(issues)}.`,
    details: { issues },
  };
}

/** Issues with the shape of tier overrides (unknown keys, a non-boolean auto-approval), named under `field`. */
export function tierOverridesShapeIssues(overrides: unknown, field: string): ValidationIssue[] {
  if (!isObject(overrides)) return [{ field, problem: 'must be an object of lifecycle-policy fields' }];
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(overrides)) {
    if (!TIER_KEYS.includes(key))
      issues.push({ field: `${field}.${key}`, problem: `is not a lifecycle-policy field; fields: ${TIER_KEYS.join(', ')}` });
  }
  if (overrides.autoApproveDeployment !== undefined && typeof overrides.autoApproveDeployment !== 'boolean') {
    issues.push({ field: `${field}.autoApproveDeployment`, problem: 'must be true or false' });
  }
  return issues;
}

/**
 * The lifecycle policy of a system of risk tier `tier` under `tiers`, with `deviation` laid over its
 * tier: validated against every floor (policy.ts) and the tier's own: a high-risk system's medium and
 * high incidents open a nonconformity too.
 */
export function tierLifecyclePolicy(
  tiers: TierPolicies,
  tier: RiskTier,
  deviation: TierPolicyOverrides | null = null,
  field = '',
): Result<LifecyclePolicy, PolicyError> {
  const at = (key: string): string => (field === '' ? key : `${field}.${key}`);
  const base = tiers[tier] as TierPolicy | undefined;
  if (!isObject(base)) return err(policyError([{ field: at(tier), problem: 'is missing: every risk tier needs its policy' }]));
  const shape = tierOverridesShapeIssues(base, at(tier));
  if (deviation !== null) shape.push(...tierOverridesShapeIssues(deviation, at('deviation')));
  if (shape.length > 0) return err(policyError(shape));
  const merged = deviation === null ? base : overlayTierPolicy(base, deviation);
  const resolved = resolveLifecyclePolicy(asLifecycleOverrides(tier, merged), at(tier));
  if (!resolved.ok) return resolved;
  if (tier === 'high') {
    const missing = (['high', 'critical'] as const).filter((s) => !resolved.value.incidentSeveritiesOpeningNonconformity.includes(s));
    if (missing.length > 0) {
      return err(
        policyError([
          {
            field: at(`${tier}.incidentSeveritiesOpeningNonconformity`),
            problem: `must include ${missing.join(' and ')}: on a high-risk system they always open a nonconformity`,
          },
        ]),
      );
    }
  }
  return ok(resolved.value);
}

/** Every tier's policy is valid with the deviation (if any) laid over it: a snapshot a lifecycle may run under. */
export function checkPolicySnapshot(snapshot: unknown, field = 'organisationPolicy'): Result<PolicySnapshot, PolicyError> {
  if (!isObject(snapshot) || !isObject(snapshot.tiers)) {
    return err(policyError([{ field, problem: 'must be a policy snapshot {version, tiers, deviation}' }]));
  }
  const version = snapshot.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return err(policyError([{ field: `${field}.version`, problem: 'must be a whole number, 0 or more' }]));
  }
  const deviation = snapshot.deviation ?? null;
  if (deviation !== null && (!isObject(deviation) || typeof deviation.changeId !== 'string' || !isObject(deviation.overrides))) {
    return err(policyError([{ field: `${field}.deviation`, problem: 'must be null or {changeId, overrides}' }]));
  }
  const tiers = snapshot.tiers as TierPolicies;
  for (const tier of RISK_TIERS) {
    const checked = tierLifecyclePolicy(
      tiers,
      tier,
      deviation === null ? null : (deviation.overrides as TierPolicyOverrides),
      `${field}.tiers`,
    );
    if (!checked.ok) return checked;
  }
  const unknownTiers = Object.keys(tiers).filter((t) => !(RISK_TIERS as readonly string[]).includes(t));
  if (unknownTiers.length > 0)
    return err(policyError([{ field: `${field}.tiers`, problem: `names unknown risk tiers ${unknownTiers.join(', ')}` }]));
  return ok({ version, tiers, deviation: deviation === null ? null : (deviation as PolicyDeviation) });
}
