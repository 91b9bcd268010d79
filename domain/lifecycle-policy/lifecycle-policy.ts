/**
 * The organisation's lifecycle policy as a governed process (clause 5.2, 5.3, 6.1.3; issue 11 finding 1).
 * One stream, `lifecycle-policy-organisation`; one workflow. A change is proposed, then approved or
 * rejected by someone else, and each step is evidence:
 *
 * - an organisation-wide change (rules per risk tier) is proposed only by the AIMS owner or top
 *   management; a system-specific deviation may also be requested by a risk owner or an engineer;
 * - either is decided (a human task in the one inbox) by the AIMS owner or top management, never by the
 *   identity that proposed it (compared as identities: domain/shared/actor-identity.ts);
 * - no proposal can go below the floors (domain/ai-system/policy.ts): the whole resulting policy, every
 *   tier, with the deviation laid over each tier, is checked when it is proposed;
 * - each approval makes a new version; lifecycles are put under it with `ApplyLifecyclePolicy`.
 */
import { addMilliseconds } from '../shared/iso-time';
import { sameIdentity } from '../shared/actor-identity';
import { checkHumanTaskDecision, openedHumanTask, type HumanTask, type HumanTaskOutcome, withHumanTaskDecided } from '../shared/human-task';
import { domainError, type DomainError } from '../shared/domain-error';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import {
  DEFAULT_TIER_POLICIES,
  overlayTierPolicy,
  tierLifecyclePolicy,
  tierOverridesShapeIssues,
  type PolicyDeviation,
  type PolicySnapshot,
  type TierPolicies,
  type TierPolicyOverrides,
} from '../ai-system/organisation-policy';
import { RISK_TIERS, type RiskTier } from '../ai-system/vocabulary';
import { systemIdIssue } from '../ai-system/identity';
import { requireRoles } from '../shared/require-roles';

export const LIFECYCLE_POLICY_CATEGORY = 'lifecycle-policy';
export const LIFECYCLE_POLICY_STREAM = `${LIFECYCLE_POLICY_CATEGORY}-organisation`;
export const LIFECYCLE_POLICY_WORKFLOW_ID = LIFECYCLE_POLICY_STREAM;
export const LIFECYCLE_POLICY_SYSTEM_ACTOR: ActorRef = { id: 'aims:lifecycle-policy', role: 'system' };

/** Who may propose each scope, and who decides any proposal. */
export const ORGANISATION_CHANGE_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management'];
export const DEVIATION_REQUEST_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management', 'risk_owner', 'engineer'];
export const POLICY_DECISION_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management'];
/** How long the deciders have before the task is overdue. */
export const POLICY_DECISION_TIME_MS = 5 * 24 * 3_600_000;

export type PolicyChangeScope = { kind: 'organisation' } | { kind: 'system'; systemId: string };

export type ProposeLifecyclePolicyChange = {
  type: 'ProposeLifecyclePolicyChange';
  changeId: string;
  reviewTaskId: string;
  scope: PolicyChangeScope;
  /** Organisation scope: per tier, the fields that change. */
  tiers?: Partial<Record<RiskTier, TierPolicyOverrides>>;
  /** System scope: the deviation laid over the system's tier, whatever its tier. */
  overrides?: TierPolicyOverrides;
  justification: string;
  by: Actor;
  at: string;
};

export type DecideLifecyclePolicyChange = {
  type: 'DecideLifecyclePolicyChange';
  taskId: string;
  outcome: HumanTaskOutcome;
  reasons: string[];
  by: Actor;
  at: string;
};

export type LifecyclePolicyCommand = ProposeLifecyclePolicyChange | DecideLifecyclePolicyChange;

type Base = { by: ActorRef; at: string };
export type LifecyclePolicyChangeProposed = Base & {
  type: 'LifecyclePolicyChangeProposed';
  changeId: string;
  scope: PolicyChangeScope;
  /** Organisation scope: every tier as it will be once approved. */
  proposedTiers: TierPolicies | null;
  /** System scope: the deviation as it will be once approved. */
  deviation: TierPolicyOverrides | null;
  justification: string;
};
export type PolicyTaskOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: 'lifecycle_policy_change_approval';
  requiredRoles: AimsRole[];
  subject: { type: 'lifecycle_policy_change'; changeId: string; scope: PolicyChangeScope };
  requestedBy: string;
  dueAt: string;
};
export type PolicyTaskDecided = Base & {
  type: 'HumanTaskDecided';
  taskId: string;
  kind: 'lifecycle_policy_change_approval';
  outcome: HumanTaskOutcome;
  reasons: string[];
};
export type LifecyclePolicyChangeApproved = Base & { type: 'LifecyclePolicyChangeApproved'; changeId: string; version: number };
export type LifecyclePolicyChangeRejected = Base & { type: 'LifecyclePolicyChangeRejected'; changeId: string; reasons: string[] };

export type LifecyclePolicyEvent =
  LifecyclePolicyChangeProposed | PolicyTaskOpened | PolicyTaskDecided | LifecyclePolicyChangeApproved | LifecyclePolicyChangeRejected;

export type LifecyclePolicyEventType = LifecyclePolicyEvent['type'];

export type PolicyChange = {
  changeId: string;
  scope: PolicyChangeScope;
  proposedTiers: TierPolicies | null;
  deviation: TierPolicyOverrides | null;
  justification: string;
  proposedBy: ActorRef;
  proposedAt: string;
  reviewTaskId: string;
  status: 'proposed' | 'approved' | 'rejected';
  decidedBy: ActorRef | null;
  decidedAt: string | null;
  reasons: string[];
  /** The version its approval made. */
  version: number | null;
};

export type LifecyclePolicyState = {
  version: number;
  tiers: TierPolicies;
  deviations: Record<string, PolicyDeviation>;
  changes: PolicyChange[];
  tasks: HumanTask<'lifecycle_policy_change_approval', JsonObject>[];
};

export const INITIAL_LIFECYCLE_POLICY_STATE: LifecyclePolicyState = {
  version: 0,
  tiers: DEFAULT_TIER_POLICIES,
  deviations: {},
  changes: [],
  tasks: [],
};

export type LifecyclePolicyError = DomainError;

/** The ids the workflow gives the next proposal and its review task. */
export function nextChangeIds(s: LifecyclePolicyState): { changeId: string; reviewTaskId: string } {
  const n = s.changes.length + 1;
  return { changeId: `policy-change-${n}`, reviewTaskId: `policy-change-${n}-review` };
}

/** What a lifecycle of `systemId` runs under now: the version, every tier, and its own deviation. */
export function snapshotFor(s: LifecyclePolicyState, systemId: string): PolicySnapshot {
  return {
    version: s.version,
    tiers: s.tiers,
    deviation: Object.prototype.hasOwnProperty.call(s.deviations, systemId) ? s.deviations[systemId] : null,
  };
}

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, LifecyclePolicyError> =>
  err(domainError(code, message, details));

const authority = requireRoles;

function propose(c: ProposeLifecyclePolicyChange, s: LifecyclePolicyState): Result<LifecyclePolicyEvent[], LifecyclePolicyError> {
  const v = new ValidationIssues();
  v.text('changeId', c.changeId);
  v.text('reviewTaskId', c.reviewTaskId);
  v.text('justification', c.justification);
  const scope = c.scope as PolicyChangeScope | undefined;
  if (scope?.kind !== 'organisation' && scope?.kind !== 'system') v.add('scope.kind', 'must be organisation or system');
  if (scope?.kind === 'system' && systemIdIssue(scope.systemId) !== null) v.add('scope.systemId', 'must be an AI system id');
  if (scope?.kind === 'organisation') {
    if (c.overrides !== undefined) v.add('overrides', 'is for a system deviation; an organisation change gives tiers');
    if (typeof c.tiers !== 'object' || c.tiers === null || Object.keys(c.tiers).length === 0)
      v.add('tiers', 'must change at least one risk tier');
    else {
      for (const [tier, o] of Object.entries(c.tiers)) {
        if (!(RISK_TIERS as readonly string[]).includes(tier))
          v.add(`tiers.${tier}`, `is not a risk tier; tiers: ${RISK_TIERS.join(', ')}`);
        else for (const i of tierOverridesShapeIssues(o, `tiers.${tier}`)) v.add(i.field, i.problem);
      }
    }
  }
  if (scope?.kind === 'system') {
    if (c.tiers !== undefined) v.add('tiers', 'is for an organisation change; a system deviation gives overrides');
    for (const i of tierOverridesShapeIssues(c.overrides, 'overrides')) v.add(i.field, i.problem);
  }
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const roles = scope?.kind === 'organisation' ? ORGANISATION_CHANGE_ROLES : DEVIATION_REQUEST_ROLES;
  const by = authority(
    c.by,
    roles,
    scope?.kind === 'organisation' ? "change the organisation's lifecycle policy" : 'request a policy deviation',
  );
  if (!by.ok) return by;
  if (s.changes.some((x) => x.changeId === c.changeId))
    return refuse('DUPLICATE_ID', `A policy change ${c.changeId} already exists.`, { id: c.changeId });
  if (s.tasks.some((t) => t.taskId === c.reviewTaskId))
    return refuse('DUPLICATE_ID', `A task ${c.reviewTaskId} already exists.`, { id: c.reviewTaskId });
  const pending = s.changes.find((x) => x.status === 'proposed' && sameScope(x.scope, c.scope));
  if (pending) {
    return refuse('POLICY_CHANGE_PENDING', `Policy change ${pending.changeId} for the same scope awaits its decision; decide it first.`, {
      changeId: pending.changeId,
    });
  }
  // The whole result must hold: every tier (a system's tier may change later), every floor.
  const proposedTiers =
    c.scope.kind === 'organisation'
      ? (Object.fromEntries(
          RISK_TIERS.map((t) => [t, c.tiers?.[t] === undefined ? s.tiers[t] : overlayTierPolicy(s.tiers[t], c.tiers[t])]),
        ) as TierPolicies)
      : null;
  const deviation = c.scope.kind === 'system' ? (c.overrides as TierPolicyOverrides) : null;
  for (const tier of RISK_TIERS) {
    const checked = tierLifecyclePolicy(proposedTiers ?? s.tiers, tier, deviation, c.scope.kind === 'organisation' ? 'tiers' : 'overrides');
    if (!checked.ok) return checked;
  }
  return ok([
    {
      type: 'LifecyclePolicyChangeProposed',
      changeId: c.changeId,
      scope: c.scope,
      proposedTiers,
      deviation,
      justification: c.justification,
      by: by.value,
      at: c.at,
    },
    {
      type: 'HumanTaskOpened',
      taskId: c.reviewTaskId,
      kind: 'lifecycle_policy_change_approval',
      requiredRoles: [...POLICY_DECISION_ROLES],
      subject: { type: 'lifecycle_policy_change', changeId: c.changeId, scope: c.scope },
      requestedBy: c.by.id,
      dueAt: addMilliseconds(c.at, POLICY_DECISION_TIME_MS),
      by: by.value,
      at: c.at,
    },
  ]);
}

function sameScope(a: PolicyChangeScope, b: PolicyChangeScope): boolean {
  return a.kind === 'organisation' ? b.kind === 'organisation' : b.kind === 'system' && a.systemId === b.systemId;
}

function decideChange(c: DecideLifecyclePolicyChange, s: LifecyclePolicyState): Result<LifecyclePolicyEvent[], LifecyclePolicyError> {
  const task = s.tasks.find((t) => t.taskId === c.taskId);
  const checked = checkHumanTaskDecision(task, { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by }, [
    'approved',
    'rejected',
  ]);
  if (!checked.ok) return checked;
  const change = s.changes.find((x) => x.reviewTaskId === c.taskId);
  if (!change || change.status !== 'proposed')
    return refuse('HUMAN_TASK_CLOSED', `Task ${c.taskId} has no policy change awaiting a decision.`);
  // The proposer never decides their own change, whatever the spelling of their name.
  if (sameIdentity(change.proposedBy.id, c.by.id)) {
    return refuse('SEGREGATION_OF_DUTIES', `${c.by.id} proposed policy change ${change.changeId}; someone else must decide it.`, {
      actorId: c.by.id,
      conflict: 'proposed the change',
    });
  }
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((r) => typeof r === 'string' && r.trim() !== '');
  const decided: PolicyTaskDecided = {
    type: 'HumanTaskDecided',
    taskId: c.taskId,
    kind: 'lifecycle_policy_change_approval',
    outcome: c.outcome,
    reasons,
    by,
    at: c.at,
  };
  if (c.outcome === 'approved') {
    return ok([decided, { type: 'LifecyclePolicyChangeApproved', changeId: change.changeId, version: s.version + 1, by, at: c.at }]);
  }
  return ok([decided, { type: 'LifecyclePolicyChangeRejected', changeId: change.changeId, reasons, by, at: c.at }]);
}

export function decide(command: LifecyclePolicyCommand, state: LifecyclePolicyState): Result<LifecyclePolicyEvent[], LifecyclePolicyError> {
  if (command === null || typeof command !== 'object') return refuse('UNKNOWN_COMMAND', 'A command is an object with a type.');
  switch (command.type) {
    case 'ProposeLifecyclePolicyChange':
      return propose(command, state);
    case 'DecideLifecyclePolicyChange':
      return decideChange(command, state);
    default:
      return refuse('UNKNOWN_COMMAND', `${String((command as { type: unknown }).type)} is not a lifecycle-policy command.`);
  }
}

const updateChange = (s: LifecyclePolicyState, changeId: string, f: (c: PolicyChange) => PolicyChange): LifecyclePolicyState => ({
  ...s,
  changes: s.changes.map((c) => (c.changeId === changeId ? f(c) : c)),
});

export function evolve(s: LifecyclePolicyState, e: LifecyclePolicyEvent): LifecyclePolicyState {
  switch (e.type) {
    case 'LifecyclePolicyChangeProposed':
      return {
        ...s,
        changes: [
          ...s.changes,
          {
            changeId: e.changeId,
            scope: e.scope,
            proposedTiers: e.proposedTiers,
            deviation: e.deviation,
            justification: e.justification,
            proposedBy: e.by,
            proposedAt: e.at,
            reviewTaskId: '',
            status: 'proposed',
            decidedBy: null,
            decidedAt: null,
            reasons: [],
            version: null,
          },
        ],
      };
    case 'HumanTaskOpened':
      return {
        ...updateChange(s, e.subject.changeId, (c) => ({ ...c, reviewTaskId: e.taskId })),
        tasks: [...s.tasks, openedHumanTask<'lifecycle_policy_change_approval', JsonObject>({ ...e, subject: e.subject })],
      };
    case 'HumanTaskDecided':
      return {
        ...s,
        tasks: withHumanTaskDecided(s.tasks, e),
      };
    case 'LifecyclePolicyChangeApproved': {
      const change = s.changes.find((c) => c.changeId === e.changeId);
      const next = updateChange(s, e.changeId, (c) => ({ ...c, status: 'approved', decidedBy: e.by, decidedAt: e.at, version: e.version }));
      if (!change) return next;
      if (change.scope.kind === 'organisation') return { ...next, version: e.version, tiers: change.proposedTiers ?? s.tiers };
      return {
        ...next,
        version: e.version,
        deviations: { ...s.deviations, [change.scope.systemId]: { changeId: change.changeId, overrides: change.deviation ?? {} } },
      };
    }
    case 'LifecyclePolicyChangeRejected':
      return updateChange(s, e.changeId, (c) => ({ ...c, status: 'rejected', decidedBy: e.by, decidedAt: e.at, reasons: e.reasons }));
    default:
      return s;
  }
}

export function eventData(event: LifecyclePolicyEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

export function eventActor(event: LifecyclePolicyEvent): ActorRef {
  return event.by;
}

/**
 * Which clauses and Annex A controls each event is evidence for: the rules every lifecycle runs under are
 * set here (5.2, 6.1.3, 8.1; A.2.2 and A.6.1.3), by whom (5.3, A.3.2).
 */
export const LIFECYCLE_POLICY_ISO_42001_REFERENCES: Record<LifecyclePolicyEventType, string[]> = {
  LifecyclePolicyChangeProposed: ['5.2', '6.1.3', '8.1', 'A.2.2', 'A.6.1.3'],
  HumanTaskOpened: ['5.3', 'A.3.2'],
  HumanTaskDecided: ['5.3', 'A.3.2'],
  LifecyclePolicyChangeApproved: ['5.2', '5.3', '6.1.3', '8.1', 'A.2.2', 'A.6.1.3'],
  LifecyclePolicyChangeRejected: ['5.2', '5.3', 'A.3.2'],
};

/** The clauses and controls one event is evidence for (the runtime tags its evidence with them). */
export function eventReferences(event: LifecyclePolicyEvent): readonly string[] {
  return LIFECYCLE_POLICY_ISO_42001_REFERENCES[event.type];
}

/** The state after one recorded evidence event (its type and data); unknown types change nothing. */
export function evolveRecorded(s: LifecyclePolicyState, recorded: { type: string; data: JsonObject }): LifecyclePolicyState {
  return evolve(s, { type: recorded.type, ...recorded.data } as unknown as LifecyclePolicyEvent);
}
