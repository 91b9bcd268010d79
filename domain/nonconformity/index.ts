/**
 * Nonconformity and corrective action (ISO/IEC 42001 clause 10.2), pure domain.
 *
 * raised → containment → root_cause_analysis → plan_approval → actions_in_progress → effectiveness_review
 * → closed, or, when the review finds the correction ineffective, reopened into a new root-cause analysis
 * round (earlier rounds are kept). `decide(command, state)` returns events or a typed error;
 * `evolve(state, event)` folds them; time and ids always come in on commands. State, events, errors and
 * measures are plain JSON, fit for Temporal payloads and for audit evidence in `nonconformity-<id>`.
 * The clause 9.1 measures (`measureNonconformities` and its parts) work over states or a fold of events.
 */
export * from './nonconformity';
export * from './commands';
export * from './events';
export * from './errors';
export { decide, commandsAllowed, COMMAND_ALLOWED_IN, type DecideResult } from './decide';
export { evolve, replay } from './evolve';
export { awaitedSteps, overdueActionsOf, hasOverdueActions, type AwaitedStep, type OverdueCorrectiveAction } from './queries';
export * from './measures';
export { validateCommand } from './validation';
