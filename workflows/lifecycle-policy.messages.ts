/**
 * The messages of workflow `lifecyclePolicy` (lifecycle-policy.workflow.ts): the organisation's lifecycle
 * policy, one run per organisation. Callers (the API, tests) import these, never the workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { TierPolicyOverrides } from '../domain/ai-system/organisation-policy';
import type { RiskTier } from '../domain/ai-system/vocabulary';
import type { LifecyclePolicyEventType, LifecyclePolicyState, PolicyChangeScope } from '../domain/lifecycle-policy';
import type { HumanTaskOutcome } from '../domain/shared/human-task';
import type { Actor } from '../domain/shared/roles';
import type { RecordedEvidence } from './runtime/decider';
import type { CarriedState } from './runtime/process';

/** A change or deviation as its proposer sends it (the workflow numbers it and its review task). */
export interface ProposePolicyChangeInput {
  by: Actor;
  scope: PolicyChangeScope;
  tiers?: Partial<Record<RiskTier, TierPolicyOverrides>>;
  overrides?: TierPolicyOverrides;
  justification: string;
}

export interface DecidePolicyChangeInput {
  by: Actor;
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
}

/**
 * The run starts empty (the API starts it before its first proposal, so a refused proposal never fails
 * the run) and never ends: it continues as new when its history is long.
 */
export interface LifecyclePolicyInput {
  continueAsNewAfterHistoryLength?: number;
  carried?: CarriedState<LifecyclePolicyState>;
}

export interface PolicyStepResult {
  recorded: RecordedEvidence<LifecyclePolicyEventType>[];
  changeId: string;
  taskId: string;
  /** The version now in force (after an approval, the new one). */
  version: number;
  lastPosition: number | null;
}

export const proposePolicyChangeUpdate = defineUpdate<PolicyStepResult, [ProposePolicyChangeInput]>('proposePolicyChange');
export const decidePolicyChangeUpdate = defineUpdate<PolicyStepResult, [DecidePolicyChangeInput]>('decidePolicyChange');
export const lifecyclePolicyStateQuery = defineQuery<LifecyclePolicyState>('state');
