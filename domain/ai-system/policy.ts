/**
 * The lifecycle policy of one AI system: who decides each gate, how long they have, which risk tiers the
 * organisation lets through without a person when every check passes, and the review rhythm. Every
 * duration is an input (milliseconds), so tests and the benchmark can run whole lifecycles in seconds.
 *
 * Decided and documented role defaults:
 * - impact assessment review: `approver` or `risk_owner` (8.4 results feed risk treatment, so the risk
 *   owner may accept them); the AIMS owner joins only by escalation.
 * - validation sign-off: `validator`.
 * - deployment approval and decommissioning approval: `approver`.
 * - monitoring review: `engineer` or `aims_owner`.
 * A task may never be given to `auditor` (read-only) or `admin` (administers the engine, not the AIMS).
 *
 * Floors no policy can go below (issue 11: a policy is a governance decision, not the registrant's):
 * - no task is ever given to `ci`: a pipeline never approves, signs off or reviews;
 * - `high` and `unacceptable` systems are never deployed on the policy's approval alone;
 * - a `critical` incident always opens a nonconformity.
 * Where the policy comes from is organisation-policy.ts: the organisation's, per risk tier.
 */
import { AUDIT_ONLY_ROLES, isAimsRole, READ_ONLY_ROLES, type AimsRole } from '../shared/roles';
import type { DomainError } from '../shared/domain-error';
import { err, ok, type Result } from '../shared/result';
import { describeIssues, ValidationIssues, type ValidationIssue } from '../shared/validation';
import {
  HUMAN_TASK_KINDS,
  INCIDENT_SEVERITIES,
  RISK_TIERS,
  type AiSystemTaskKind,
  type IncidentSeverity,
  type RiskTier,
} from './vocabulary';

export type LifecyclePolicy = {
  /** Tiers whose deployments are approved by policy when every gate check passes. Never `unacceptable`. */
  autoApproveRiskTiers: RiskTier[];
  /** Environments whose completed deployment puts a version in production. */
  productionEnvironments: string[];
  taskRoles: Record<AiSystemTaskKind, AimsRole[]>;
  /** Time from opening a task to its due date (then a reminder). */
  taskResponseTimeMs: Record<AiSystemTaskKind, number>;
  /** Time from the reminder to escalation to the AIMS owner. */
  escalationAfterMs: number;
  /** How often a monitoring review falls due while a version is in production. */
  monitoringReviewIntervalMs: number;
  /** How long an approved impact assessment stays current; null: until a significant change. */
  impactAssessmentValidityMs: number | null;
  /** Incident severities that open a nonconformity (10.2). */
  incidentSeveritiesOpeningNonconformity: IncidentSeverity[];
};

export type LifecyclePolicyOverrides = Partial<Omit<LifecyclePolicy, 'taskRoles' | 'taskResponseTimeMs'>> & {
  taskRoles?: Partial<Record<AiSystemTaskKind, AimsRole[]>>;
  taskResponseTimeMs?: Partial<Record<AiSystemTaskKind, number>>;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEFAULT_LIFECYCLE_POLICY: LifecyclePolicy = {
  autoApproveRiskTiers: ['minimal'],
  productionEnvironments: ['production'],
  taskRoles: {
    impact_assessment_review: ['approver', 'risk_owner'],
    validation_sign_off: ['validator'],
    deployment_approval: ['approver'],
    decommissioning_approval: ['approver'],
    monitoring_review: ['engineer', 'aims_owner'],
    corrective_action_start: ['aims_owner'],
  },
  taskResponseTimeMs: {
    impact_assessment_review: 5 * DAY,
    validation_sign_off: 3 * DAY,
    deployment_approval: 2 * DAY,
    decommissioning_approval: 5 * DAY,
    monitoring_review: 7 * DAY,
    corrective_action_start: 2 * DAY,
  },
  escalationAfterMs: 2 * DAY,
  monitoringReviewIntervalMs: 30 * DAY,
  impactAssessmentValidityMs: 365 * DAY,
  incidentSeveritiesOpeningNonconformity: ['high', 'critical'],
};

/** A policy that cannot govern a lifecycle; each issue names its field within the policy (under `field`). */
export type PolicyError = DomainError<'INVALID_POLICY'> & { details: { issues: ValidationIssue[] } };

/** Roles no task may be given to: read-only auditors, engine administrators, and pipelines (a floor). */
export const NO_TASK_ROLES: readonly AimsRole[] = [...READ_ONLY_ROLES, ...AUDIT_ONLY_ROLES, 'admin', 'ci'];

/** Risk tiers no policy may let through on its own approval (a floor). */
export const NEVER_AUTO_APPROVED_TIERS: readonly RiskTier[] = ['high', 'unacceptable'];

/** Incident severities that always open a nonconformity, whatever the policy (a floor). */
export const ALWAYS_NONCONFORMITY_SEVERITIES: readonly IncidentSeverity[] = ['critical'];

/**
 * The longest duration a policy may set (ten 365-day years): due dates and review instants are computed
 * from it, and must stay dates (issue 11, finding 7: an unbounded one made the arithmetic throw).
 */
export const MAX_POLICY_DURATION_MS = 10 * 365 * DAY;

function positiveDuration(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_POLICY_DURATION_MS;
}

/**
 * Defaults overlaid with the overrides, validated as a whole so every issue is reported at once. `field`
 * is where the overrides sit in the command (`policy` in RegisterAiSystem), so issues name real paths.
 */
export function resolveLifecyclePolicy(overrides: LifecyclePolicyOverrides = {}, field = ''): Result<LifecyclePolicy, PolicyError> {
  const d = DEFAULT_LIFECYCLE_POLICY;
  const policy: LifecyclePolicy = {
    autoApproveRiskTiers: [...(overrides.autoApproveRiskTiers ?? d.autoApproveRiskTiers)],
    productionEnvironments: [...(overrides.productionEnvironments ?? d.productionEnvironments)],
    taskRoles: { ...d.taskRoles, ...(overrides.taskRoles ?? {}) },
    taskResponseTimeMs: { ...d.taskResponseTimeMs, ...(overrides.taskResponseTimeMs ?? {}) },
    escalationAfterMs: overrides.escalationAfterMs ?? d.escalationAfterMs,
    monitoringReviewIntervalMs: overrides.monitoringReviewIntervalMs ?? d.monitoringReviewIntervalMs,
    impactAssessmentValidityMs:
      overrides.impactAssessmentValidityMs === undefined ? d.impactAssessmentValidityMs : overrides.impactAssessmentValidityMs,
    incidentSeveritiesOpeningNonconformity: [
      ...(overrides.incidentSeveritiesOpeningNonconformity ?? d.incidentSeveritiesOpeningNonconformity),
    ],
  };
  const v = new ValidationIssues();
  const at = (key: string): string => (field === '' ? key : `${field}.${key}`);
  const MS = 'must be a positive number of milliseconds, at most ten years';
  const notAKind = `is not a task kind; known kinds: ${HUMAN_TASK_KINDS.join(', ')}`;
  for (const tier of policy.autoApproveRiskTiers) {
    if (!(RISK_TIERS as readonly string[]).includes(tier)) {
      v.add(at('autoApproveRiskTiers'), `names an unknown risk tier ${String(tier)}; known tiers: ${RISK_TIERS.join(', ')}`);
    }
    if (tier === 'unacceptable') {
      v.add(at('autoApproveRiskTiers'), 'must not include unacceptable: an unacceptable-risk system can never be deployed');
    } else if (NEVER_AUTO_APPROVED_TIERS.includes(tier)) {
      v.add(at('autoApproveRiskTiers'), `must not include ${tier}: a ${tier}-risk deployment always needs a person's approval`);
    }
  }
  if (policy.productionEnvironments.length === 0 || policy.productionEnvironments.some((e) => typeof e !== 'string' || e.trim() === '')) {
    v.add(at('productionEnvironments'), 'must name at least one environment, none empty');
  }
  for (const kind of HUMAN_TASK_KINDS) {
    const roles = policy.taskRoles[kind];
    if (!Array.isArray(roles) || roles.length === 0) v.add(at(`taskRoles.${kind}`), 'needs at least one role');
    else if (roles.some((r) => !isAimsRole(r))) v.add(at(`taskRoles.${kind}`), `names an unknown role among ${roles.join(', ')}`);
    else if (roles.some((r) => NO_TASK_ROLES.includes(r))) {
      v.add(
        at(`taskRoles.${kind}`),
        `must not name ${roles.filter((r) => NO_TASK_ROLES.includes(r)).join(', ')}: they cannot decide tasks`,
      );
    }
    if (!positiveDuration(policy.taskResponseTimeMs[kind])) v.add(at(`taskResponseTimeMs.${kind}`), MS);
  }
  for (const key of Object.keys(overrides.taskRoles ?? {})) {
    if (!(HUMAN_TASK_KINDS as readonly string[]).includes(key)) v.add(at(`taskRoles.${key}`), notAKind);
  }
  for (const key of Object.keys(overrides.taskResponseTimeMs ?? {})) {
    if (!(HUMAN_TASK_KINDS as readonly string[]).includes(key)) v.add(at(`taskResponseTimeMs.${key}`), notAKind);
  }
  if (!positiveDuration(policy.escalationAfterMs)) v.add(at('escalationAfterMs'), MS);
  if (!positiveDuration(policy.monitoringReviewIntervalMs)) v.add(at('monitoringReviewIntervalMs'), MS);
  if (policy.impactAssessmentValidityMs !== null && !positiveDuration(policy.impactAssessmentValidityMs)) {
    v.add(at('impactAssessmentValidityMs'), `${MS}, or null`);
  }
  for (const s of policy.incidentSeveritiesOpeningNonconformity) {
    if (!(INCIDENT_SEVERITIES as readonly string[]).includes(s)) {
      const known = INCIDENT_SEVERITIES.join(', ');
      v.add(at('incidentSeveritiesOpeningNonconformity'), `names an unknown severity ${String(s)}; known severities: ${known}`);
    }
  }
  for (const s of ALWAYS_NONCONFORMITY_SEVERITIES) {
    if (!policy.incidentSeveritiesOpeningNonconformity.includes(s)) {
      v.add(at('incidentSeveritiesOpeningNonconformity'), `must include ${s}: a ${s} incident always opens a nonconformity`);
    }
  }
  if (!v.empty) {
    return err({
      kind: 'DomainError',
      code: 'INVALID_POLICY',
      message: `The lifecycle policy is invalid: ${describeIssues(v.list)}.`,
      details: { issues: v.list },
    });
  }
  return ok(policy);
}
