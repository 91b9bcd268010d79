/**
 * What a feature of the AI-system lifecycle contributes to the decider. Each feature (registration, impact
 * assessment, data and validation, ...) owns its command handlers, the fold of its events, what follows
 * when a person decides one of its tasks, and the rule that closes its open work once the state no longer
 * supports it. domain/ai-system/decide.ts and evolve.ts compose the features into tables typed over every
 * command, event and task subject, so a type without a handler does not compile.
 */
import type { ActorRef } from '../../shared/roles';
import type { HumanTaskOutcome } from '../../shared/human-task';
import type { Result } from '../../shared/result';
import type { AiSystemCommand, AiSystemCommandType } from '../commands';
import type { AiSystemError } from '../errors';
import type { AiSystemEvent, AiSystemEventType } from '../events';
import type { AiSystemRecord, AiSystemTask, AiSystemTaskSubject, RiskTier } from '../model';

export type DecideResult = Result<AiSystemEvent[], AiSystemError>;

/** Registration is decided and folded on its own: it is the only command and event without a record. */
export type RegisteredCommandType = Exclude<AiSystemCommandType, 'RegisterAiSystem'>;
export type RegisteredEventType = Exclude<AiSystemEventType, 'AiSystemRegistered'>;
export type TaskSubjectType = AiSystemTaskSubject['type'];

export type CommandOf<T extends AiSystemCommandType> = Extract<AiSystemCommand, { type: T }>;
export type EventOf<T extends AiSystemEventType> = Extract<AiSystemEvent, { type: T }>;
export type TaskOf<K extends TaskSubjectType> = AiSystemTask & { subject: Extract<AiSystemTaskSubject, { type: K }> };

/** A command's own events (the composed `decide` adds the reconciliation that follows them). */
export type CommandHandler<T extends RegisteredCommandType> = (command: CommandOf<T>, s: AiSystemRecord) => DecideResult;
/** The record after one event; never mutates `s`. */
export type EventFold<T extends RegisteredEventType> = (s: AiSystemRecord, event: EventOf<T>) => AiSystemRecord;

/** A human-task decision that passed the common checks (open task, outcome offered, role, segregation). */
export type TaskDecision = {
  outcome: HumanTaskOutcome;
  reasons: string[];
  by: ActorRef;
  at: string;
  /** The risk tier an impact assessment's approval confirms. */
  riskTier?: RiskTier;
};
/** The events that follow a decision on a task of this subject, or the refusal if its subject moved on. */
export type TaskConsequence<K extends TaskSubjectType> = (task: TaskOf<K>, decision: TaskDecision, s: AiSystemRecord) => DecideResult;
/** The events that close an open task of this subject whose basis the state no longer supports (none if it still holds). */
export type OpenTaskRule<K extends TaskSubjectType> = (task: TaskOf<K>, s: AiSystemRecord, at: string) => AiSystemEvent[];

export type CommandHandlers = { [T in RegisteredCommandType]: CommandHandler<T> };
export type EventFolds = { [T in RegisteredEventType]: EventFold<T> };
export type TaskConsequences = { [K in TaskSubjectType]: TaskConsequence<K> };
export type OpenTaskRules = { [K in TaskSubjectType]?: OpenTaskRule<K> };

export type Feature = {
  decide: Partial<CommandHandlers>;
  evolve: Partial<EventFolds>;
  /** For each subject of this feature's tasks. */
  onTaskDecided?: Partial<TaskConsequences>;
  /** Reconciliation, part one: its open tasks, visited in the order they were opened. */
  reconcileTask?: OpenTaskRules;
  /** Reconciliation, part two: its open work that is not a task. */
  reconcile?: (s: AiSystemRecord, at: string) => AiSystemEvent[];
};

/** `table[key]` when the key is the table's own (an untyped caller may send any string). */
export function ownEntry<V>(table: object, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? (table as Record<string, V>)[key] : undefined;
}
