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
 */
import { isAimsRole, READ_ONLY_ROLES, type AimsRole } from '../shared/roles';
import { domainError, type DomainError } from '../shared/domain-error';
import { err, ok, type Result } from '../shared/result';
import { HUMAN_TASK_KINDS, INCIDENT_SEVERITIES, RISK_TIERS, type AiSystemTaskKind, type IncidentSeverity, type RiskTier } from './vocabulary';

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
  },
  taskResponseTimeMs: {
    impact_assessment_review: 5 * DAY,
    validation_sign_off: 3 * DAY,
    deployment_approval: 2 * DAY,
    decommissioning_approval: 5 * DAY,
    monitoring_review: 7 * DAY,
  },
  escalationAfterMs: 2 * DAY,
  monitoringReviewIntervalMs: 30 * DAY,
  impactAssessmentValidityMs: 365 * DAY,
  incidentSeveritiesOpeningNonconformity: ['high', 'critical'],
};

export type PolicyError = DomainError<'INVALID_POLICY'>;

/** Roles no task may be given to. */
const NO_TASK_ROLES: readonly AimsRole[] = [...READ_ONLY_ROLES, 'admin'];

function positiveDuration(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Defaults overlaid with the overrides, validated as a whole so every problem is reported at once. */
export function resolveLifecyclePolicy(overrides: LifecyclePolicyOverrides = {}): Result<LifecyclePolicy, PolicyError> {
  const d = DEFAULT_LIFECYCLE_POLICY;
  const policy: LifecyclePolicy = {
    autoApproveRiskTiers: [...(overrides.autoApproveRiskTiers ?? d.autoApproveRiskTiers)],
    productionEnvironments: [...(overrides.productionEnvironments ?? d.productionEnvironments)],
    taskRoles: { ...d.taskRoles, ...(overrides.taskRoles ?? {}) } as Record<AiSystemTaskKind, AimsRole[]>,
    taskResponseTimeMs: { ...d.taskResponseTimeMs, ...(overrides.taskResponseTimeMs ?? {}) } as Record<AiSystemTaskKind, number>,
    escalationAfterMs: overrides.escalationAfterMs ?? d.escalationAfterMs,
    monitoringReviewIntervalMs: overrides.monitoringReviewIntervalMs ?? d.monitoringReviewIntervalMs,
    impactAssessmentValidityMs:
      overrides.impactAssessmentValidityMs === undefined ? d.impactAssessmentValidityMs : overrides.impactAssessmentValidityMs,
    incidentSeveritiesOpeningNonconformity: [
      ...(overrides.incidentSeveritiesOpeningNonconformity ?? d.incidentSeveritiesOpeningNonconformity),
    ],
  };
  const problems: string[] = [];
  for (const tier of policy.autoApproveRiskTiers) {
    if (!(RISK_TIERS as readonly string[]).includes(tier)) problems.push(`autoApproveRiskTiers: unknown risk tier ${String(tier)}`);
    if (tier === 'unacceptable') problems.push('autoApproveRiskTiers: an unacceptable-risk system can never be deployed');
  }
  if (policy.productionEnvironments.length === 0 || policy.productionEnvironments.some((e) => typeof e !== 'string' || e.trim() === '')) {
    problems.push('productionEnvironments: name at least one environment, none empty');
  }
  for (const kind of HUMAN_TASK_KINDS) {
    const roles = policy.taskRoles[kind];
    if (!Array.isArray(roles) || roles.length === 0) problems.push(`taskRoles.${kind}: at least one role is needed`);
    else if (roles.some((r) => !isAimsRole(r))) problems.push(`taskRoles.${kind}: unknown role among ${roles.join(', ')}`);
    else if (roles.some((r) => NO_TASK_ROLES.includes(r))) {
      problems.push(`taskRoles.${kind}: ${roles.filter((r) => NO_TASK_ROLES.includes(r)).join(', ')} cannot decide tasks`);
    }
    if (!positiveDuration(policy.taskResponseTimeMs[kind])) problems.push(`taskResponseTimeMs.${kind}: must be a positive number of milliseconds`);
  }
  for (const key of Object.keys(overrides.taskRoles ?? {})) {
    if (!(HUMAN_TASK_KINDS as readonly string[]).includes(key)) problems.push(`taskRoles.${key}: unknown task kind`);
  }
  for (const key of Object.keys(overrides.taskResponseTimeMs ?? {})) {
    if (!(HUMAN_TASK_KINDS as readonly string[]).includes(key)) problems.push(`taskResponseTimeMs.${key}: unknown task kind`);
  }
  if (!positiveDuration(policy.escalationAfterMs)) problems.push('escalationAfterMs: must be a positive number of milliseconds');
  if (!positiveDuration(policy.monitoringReviewIntervalMs)) problems.push('monitoringReviewIntervalMs: must be a positive number of milliseconds');
  if (policy.impactAssessmentValidityMs !== null && !positiveDuration(policy.impactAssessmentValidityMs)) {
    problems.push('impactAssessmentValidityMs: must be a positive number of milliseconds, or null');
  }
  for (const s of policy.incidentSeveritiesOpeningNonconformity) {
    if (!(INCIDENT_SEVERITIES as readonly string[]).includes(s)) problems.push(`incidentSeveritiesOpeningNonconformity: unknown severity ${String(s)}`);
  }
  if (problems.length > 0) {
    return err(domainError('INVALID_POLICY', `The lifecycle policy is invalid: ${problems.join('; ')}.`, { problems }));
  }
  return ok(policy);
}
