/**
 * Given/when/then helpers and command builders for the nonconformity decider tests. Histories are built by
 * running real commands through `decide` and `evolve`, so every "given" is a history the domain can produce.
 */
import {
  decide,
  replay,
  type ApproveCorrectiveActionPlan,
  type CompleteCorrectiveAction,
  type NonconformityCommand,
  type NonconformityError,
  type NonconformityErrorCode,
  type NonconformityEvent,
  type Nonconformity,
  type NonconformityState,
  type RaiseNonconformity,
  type RecordContainment,
  type RecordEffectivenessReview,
  type RejectCorrectiveActionPlan,
  type SubmitCorrectiveActionPlan,
  type SubmitRootCauseAnalysis,
} from '../../../../domain/nonconformity';
import { isDomainError } from '../../../../domain/shared/domain-error';
import type { Actor, ActorRef } from '../../../../domain/shared/roles';

export const NC = 'nc-2025-001';

/**
 * The people of these tests, with the AIMS roles their tokens would carry (what commands take as `by`).
 * Erin writes the analysis and the plan and owns `act-retrain`; Omar owns `act-drift-alert`; Ana (AIMS
 * owner) decides on plans; Rolf (risk owner) reviews effectiveness.
 */
export const engineer: Actor = { id: 'erin', roles: ['engineer'] };
export const omar: Actor = { id: 'omar', roles: ['engineer'] };
export const aimsOwner: Actor = { id: 'ana', roles: ['aims_owner'] };
export const riskOwner: Actor = { id: 'rolf', roles: ['risk_owner'] };
export const auditor: Actor = { id: 'aude', roles: ['auditor'] };

/** How an AI system's lifecycle opened the nonconformity of the default raise: recorded as given. */
export const monitoringPipeline: ActorRef = { id: 'ci-monitoring', role: 'ci' };

/** How events record a person: their id and the role they acted under (their first role unless given). */
export function recorded(person: Actor, role: ActorRef['role'] = person.roles[0]): ActorRef {
  return { id: person.id, role };
}

/** Who owns each action of the default plan, and so completes it. */
const OWNERS: Readonly<Record<string, Actor>> = { 'act-retrain': engineer, 'act-drift-alert': omar };

const BASE = Date.UTC(2025, 2, 3, 9, 0, 0); // 2025-03-03T09:00:00Z, a fixed instant: tests never read the clock

/** An instant `days` (fractions allowed) after the fixed base instant. */
export function day(days: number): string {
  return new Date(BASE + Math.round(days * 86_400_000)).toISOString();
}

export function raise(overrides: Partial<RaiseNonconformity> = {}): RaiseNonconformity {
  return {
    type: 'RaiseNonconformity',
    nonconformityId: NC,
    at: day(0),
    openedBy: monitoringPipeline,
    title: 'Credit model recall below threshold',
    description: 'Weekly monitoring measured recall 0.71 against an acceptance threshold of 0.80.',
    source: 'monitoring_breach',
    sourceReference: 'monitoring-report-77',
    severity: 'major',
    aiSystemIds: ['credit-scoring'],
    annexAControlIds: ['A.6.2.6'],
    clauseIds: ['9.1'],
    effectivenessReviewDelay: 'P30D',
    ...overrides,
  };
}

export function contain(overrides: Partial<RecordContainment> = {}): RecordContainment {
  return {
    type: 'RecordContainment',
    nonconformityId: NC,
    at: day(0.1),
    by: engineer,
    actions: ['Routed low-confidence decisions to manual review'],
    evidenceRefs: ['ticket-9001'],
    ...overrides,
  };
}

export function analyse(overrides: Partial<SubmitRootCauseAnalysis> = {}): SubmitRootCauseAnalysis {
  return {
    type: 'SubmitRootCauseAnalysis',
    nonconformityId: NC,
    at: day(1),
    by: engineer,
    method: 'five_whys',
    causes: ['Training data predates the 2024 product change'],
    contributingFactors: ['No drift alert on input distribution'],
    ...overrides,
  };
}

export function plan(overrides: Partial<SubmitCorrectiveActionPlan> = {}): SubmitCorrectiveActionPlan {
  return {
    type: 'SubmitCorrectiveActionPlan',
    nonconformityId: NC,
    at: day(2),
    by: engineer,
    planId: 'plan-1',
    actions: [
      { actionId: 'act-retrain', description: 'Retrain on data from 2024 onwards', owner: 'erin', dueDate: day(10) },
      { actionId: 'act-drift-alert', description: 'Add an input drift alert', owner: 'omar', dueDate: '2025-03-20' },
    ],
    ...overrides,
  };
}

export function approve(overrides: Partial<ApproveCorrectiveActionPlan> = {}): ApproveCorrectiveActionPlan {
  return { type: 'ApproveCorrectiveActionPlan', nonconformityId: NC, at: day(3), by: aimsOwner, planId: 'plan-1', ...overrides };
}

export function reject(overrides: Partial<RejectCorrectiveActionPlan> = {}): RejectCorrectiveActionPlan {
  return {
    type: 'RejectCorrectiveActionPlan',
    nonconformityId: NC,
    at: day(3),
    by: aimsOwner,
    planId: 'plan-1',
    reasons: ['No action addresses the missing drift alert'],
    ...overrides,
  };
}

export function complete(actionId: string, at: string, overrides: Partial<CompleteCorrectiveAction> = {}): CompleteCorrectiveAction {
  return {
    type: 'CompleteCorrectiveAction',
    nonconformityId: NC,
    at,
    by: OWNERS[actionId] ?? engineer,
    actionId,
    evidenceRefs: [`evidence-${actionId}`],
    ...overrides,
  };
}

export function review(
  outcome: 'effective' | 'ineffective',
  at: string,
  overrides: Partial<RecordEffectivenessReview> = {},
): RecordEffectivenessReview {
  return {
    type: 'RecordEffectivenessReview',
    nonconformityId: NC,
    at,
    by: riskOwner,
    outcome,
    findings: outcome === 'effective' ? 'Recall stayed above 0.80 for 30 days' : 'Recall fell to 0.76 again in week 3',
    evidenceRefs: ['monitoring-report-91'],
    ...overrides,
  };
}

/** Runs commands through decide/evolve and returns the events; fails the test if any command is refused. */
export function history(...commands: NonconformityCommand[]): NonconformityEvent[] {
  let state: NonconformityState = null;
  const events: NonconformityEvent[] = [];
  for (const command of commands) {
    const result = decide(command, state);
    if (!result.ok) throw new Error(`history: ${command.type} refused: ${result.error.code} ${result.error.message}`);
    for (const event of result.value) {
      events.push(event);
      state = replay([event], state);
    }
  }
  return events;
}

/** The history up to an approved plan with two open actions (act-retrain due day 10, act-drift-alert due 2025-03-20). */
export function approvedPlanHistory(): NonconformityEvent[] {
  return history(raise(), contain(), analyse(), plan(), approve());
}

/** The state a history folds to, when it has raised the nonconformity. */
export function stateOf(events: NonconformityEvent[]): Nonconformity {
  const state = given(events).state;
  if (state === null) throw new Error('expected a raised nonconformity');
  return state;
}

export function given(events: NonconformityEvent[]) {
  const state = replay(events);
  return {
    state,
    when(command: NonconformityCommand) {
      const result = decide(command, state);
      return {
        result,
        thenEvents(): NonconformityEvent[] {
          if (!result.ok) throw new Error(`expected events, got ${result.error.code}: ${result.error.message}`);
          return result.value;
        },
        thenError<C extends NonconformityErrorCode>(code: C): Extract<NonconformityError, { code: C }> {
          if (result.ok) throw new Error(`expected ${code}, got events ${result.value.map((e) => e.type).join(', ')}`);
          expect(result.error.code).toBe(code);
          expect(result.error.message.length).toBeGreaterThan(0);
          // The project's common error shape, as plain JSON: the API and workflows handle every domain alike.
          expect(isDomainError(result.error)).toBe(true);
          expect(JSON.parse(JSON.stringify(result.error))).toStrictEqual(result.error);
          return result.error as Extract<NonconformityError, { code: C }>;
        },
        /** The state after folding the decided events. */
        thenState(): NonconformityState {
          if (!result.ok) throw new Error(`expected events, got ${result.error.code}: ${result.error.message}`);
          return replay(result.value, state);
        },
      };
    },
  };
}
