/**
 * Nonconformity and corrective action (ISO/IEC 42001 clause 10.2), pure domain.
 *
 * raised → containment → root_cause_analysis → plan_approval → actions_in_progress → effectiveness_review
 * → closed, or, when the review finds the correction ineffective, reopened into a new root-cause analysis
 * round (earlier rounds are kept). `decide(command, state)` returns events or a typed error, and refuses
 * first whoever may not act (authority.ts: roles, segregation of duties, independence of the review);
 * `evolve(state, event)` folds them; time and ids always come in on commands. State, events, errors and
 * measures are plain JSON, fit for Temporal payloads and for audit evidence in `nonconformity-<id>`.
 * The clause 9.1 measures (`measureNonconformities` and its parts) work over states or a fold of events.
 */
export * from './nonconformity';
export * from './commands';
export * from './events';
export * from './errors';
export * from './identity';
export * from './bounds';
export {
  authorize,
  CORRECTIVE_ACTION_ROLES,
  describeCommand,
  ESCALATION_RECIPIENT,
  NONCONFORMITY_COMMAND_ROLES,
  NONCONFORMITY_SYSTEM_ACTOR,
  planDecisionProblem,
  ROLES_THAT_DO_NOT_ACT,
} from './authority';
export { decide, decideWithinBounds, commandsAllowed, COMMAND_ALLOWED_IN, type DecideResult } from './decide';
export { evolve, replay } from './evolve';
export {
  awaitedSteps,
  openTasksOf,
  overdueActionsOf,
  hasOverdueActions,
  type AwaitedStep,
  type OpenTask,
  type OverdueCorrectiveAction,
} from './queries';
export * from './measures';
export { validateCommand } from './validation';
