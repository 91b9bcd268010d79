/**
 * Whose policy a lifecycle runs under (issue 11, finding 1): the organisation's, for the system's risk
 * tier, never the registrant's. Three ways the policy in force changes, each evidence:
 * - `ApplyLifecyclePolicy`: the AIMS owner or top management puts the system under a newer version of the
 *   organisation's policy (its content read from that policy's evidence by the API, never a caller's);
 * - `RiskTierConfirmed`: the impact-assessment review confirms or corrects the tier the registrant
 *   proposed, and the confirmed tier's policy applies (impact-assessment.ts decides it);
 * - a significant change of risk tier (change-and-versions.ts) takes the new tier's policy.
 * Systems registered before the organisation's policy existed keep their own until one is applied.
 */
import { sameIdentity } from '../../shared/actor-identity';
import { domainError } from '../../shared/domain-error';
import { err, ok, type Result } from '../../shared/result';
import { ValidationIssues } from '../../shared/validation';
import type * as C from '../commands';
import { aiSystemError, invalid, type AiSystemError } from '../errors';
import type * as E from '../events';
import type { AiSystemRecord, RiskTier } from '../model';
import { checkPolicySnapshot, tierLifecyclePolicy, type PolicySnapshot } from '../organisation-policy';
import type { LifecyclePolicy, PolicyError } from '../policy';
import { RISK_TIERS } from '../vocabulary';
import { actorOf } from './common';
import type { DecideResult, Feature, TaskDecision } from './feature';

/** A snapshot checked whole, and the lifecycle policy it gives a system of `tier`. */
export function policyUnderOrganisation(
  snapshot: unknown,
  tier: RiskTier,
): Result<{ snapshot: PolicySnapshot; policy: LifecyclePolicy }, PolicyError | AiSystemError> {
  const checked = checkPolicySnapshot(snapshot);
  if (!checked.ok) return checked;
  const policy = tierLifecyclePolicy(checked.value.tiers, tier, checked.value.deviation?.overrides ?? null, 'organisationPolicy.tiers');
  if (!policy.ok) return policy;
  return ok({ snapshot: checked.value, policy: policy.value });
}

/** The policy for `tier` under the system's organisation policy; the current one for systems without it. */
export function policyForTier(s: AiSystemRecord, tier: RiskTier): Result<LifecyclePolicy, PolicyError | AiSystemError> {
  if (s.organisationPolicy === null) return ok(s.policy);
  const r = policyUnderOrganisation(s.organisationPolicy, tier);
  return r.ok ? ok(r.value.policy) : r;
}

function applyLifecyclePolicy(c: C.ApplyLifecyclePolicy, s: AiSystemRecord): DecideResult {
  const under = policyUnderOrganisation(c.organisationPolicy, s.profile.riskTier);
  if (!under.ok) return under;
  const next = under.value.snapshot;
  const current = s.organisationPolicy;
  if (current !== null) {
    if (next.version < current.version) {
      return err(
        aiSystemError(
          'POLICY_VERSION_OLDER',
          `AI system ${s.profile.systemId} runs under version ${current.version} of the lifecycle policy; version ${next.version} is older.`,
          { current: current.version, offered: next.version },
        ),
      );
    }
    if (next.version === current.version) {
      return err(
        aiSystemError('POLICY_ALREADY_APPLIED', `AI system ${s.profile.systemId} already runs under version ${next.version}.`, {
          version: next.version,
        }),
      );
    }
  }
  return ok([
    {
      type: 'LifecyclePolicyApplied',
      version: next.version,
      deviationChangeId: next.deviation?.changeId ?? null,
      organisationPolicy: next,
      policy: under.value.policy,
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

/**
 * What approving an impact assessment adds under the organisation's policy: the reviewer confirms the
 * risk tier (required), and is not who registered the system and proposed it. Without the
 * organisation's policy (older systems) a tier given is confirmed the same way; none is required.
 */
export function riskTierConfirmation(
  s: AiSystemRecord,
  assessmentId: string,
  decision: TaskDecision,
): Result<E.RiskTierConfirmed[], AiSystemError | PolicyError> {
  const governed = s.organisationPolicy !== null;
  if (decision.riskTier === undefined) {
    if (!governed) return ok([]);
    return err(
      invalid('DecideHumanTask', [
        {
          field: 'riskTier',
          problem: `must confirm the risk tier to approve the impact assessment (proposed: ${s.profile.riskTier}; tiers: ${RISK_TIERS.join(', ')})`,
        },
      ]),
    );
  }
  const p = new ValidationIssues();
  if (!(RISK_TIERS as readonly string[]).includes(decision.riskTier)) p.add('riskTier', `must be one of ${RISK_TIERS.join(', ')}`);
  if (!p.empty) return err(invalid('DecideHumanTask', p.list));
  if (governed && sameIdentity(decision.by.id, s.registeredBy.id)) {
    return err(
      domainError(
        'SEGREGATION_OF_DUTIES',
        `${decision.by.id} registered AI system ${s.profile.systemId} and proposed its risk tier; someone else confirms it.`,
        { actorId: decision.by.id, conflict: 'system_registrant', conflictingIdentity: s.registeredBy.id },
      ),
    );
  }
  const policy = policyForTier(s, decision.riskTier);
  if (!policy.ok) return policy;
  return ok([
    {
      type: 'RiskTierConfirmed',
      assessmentId,
      proposed: s.profile.riskTier,
      confirmed: decision.riskTier,
      policy: policy.value,
      by: decision.by,
      at: decision.at,
    },
  ]);
}

/** Refuses a risk tier on any decision but an impact assessment's approval. */
export function riskTierOutOfPlace(c: C.DecideHumanTask, approvingAssessment: boolean): AiSystemError | null {
  if (c.riskTier === undefined || approvingAssessment) return null;
  return invalid(c.type, [{ field: 'riskTier', problem: 'is only given when approving an impact assessment (it confirms the risk tier)' }]);
}

export const policyGovernance = {
  decide: { ApplyLifecyclePolicy: applyLifecyclePolicy },
  evolve: {
    RiskTierConfirmed: (s, e) => ({ ...s, profile: { ...s.profile, riskTier: e.confirmed }, policy: e.policy }),
    LifecyclePolicyApplied: (s, e) => ({ ...s, organisationPolicy: e.organisationPolicy, policy: e.policy }),
  },
} satisfies Feature;
