/**
 * What the workflow runtime needs of a domain: its decider (`decide`/`evolve`, pure) and how its events
 * become evidence. Each process's domain module provides one; the runtime never knows the process.
 */
import type { DomainError } from '../../domain/shared/domain-error';
import type { JsonObject } from '../../domain/shared/json';
import type { Result } from '../../domain/shared/result';

/** Who an evidence batch is recorded as the act of (a person under one role, or the process itself). */
export type EvidenceActorRef = { id: string; role: string };

export interface Decider<S, C extends { type: string }, E extends { type: string }> {
  decide(command: C, state: S): Result<E[], DomainError>;
  evolve(state: S, event: E): S;
  /** The event's data as recorded in the evidence (everything but its type). */
  eventData(event: E): JsonObject;
  /** Who the event records as acting; null for steps the process takes by itself. */
  eventActor(event: E): EvidenceActorRef | null;
  /**
   * The ISO/IEC 42001 clauses and Annex A controls the event is evidence for (ids of domain/catalogue);
   * recorded in its metadata so an auditor can ask for the evidence of one control.
   */
  references(event: E): readonly string[];
}

/** What one recorded step left behind: the events, their evidence ids, and where the last one landed. */
export interface Step<E extends { type: string }> {
  events: E[];
  evidenceIds: string[];
  /** Global position of the step's last event in the evidence store (null when it recorded nothing). */
  lastPosition: number | null;
}

/** One event a step recorded, as answers report it. */
export interface RecordedEvidence<T extends string = string> {
  type: T;
  evidenceId: string;
}

export function recordedOf<E extends { type: string }>(steps: Step<E>[]): RecordedEvidence<E['type']>[] {
  return steps.flatMap((s) => s.events.map((e, i) => ({ type: e.type, evidenceId: s.evidenceIds[i] })));
}

/** The last position any of the steps reached (what a caller waits for before reading projections). */
export function lastPositionOf(steps: Step<{ type: string }>[]): number | null {
  return steps.reduce<number | null>((last, s) => (s.lastPosition === null ? last : Math.max(last ?? 0, s.lastPosition)), null);
}

/** The events of one type among a step's. */
export function eventsOfType<E extends { type: string }, T extends E['type']>(
  steps: Step<E>[] | Step<E>,
  type: T,
): Extract<E, { type: T }>[] {
  const all = (Array.isArray(steps) ? steps : [steps]).flatMap((s) => s.events);
  return all.filter((e): e is Extract<E, { type: T }> => e.type === type);
}

/** The one event of a type the domain always emits for a command; its absence is a bug, never papered over. */
export function eventOfType<E extends { type: string }, T extends E['type']>(steps: Step<E>[] | Step<E>, type: T): Extract<E, { type: T }> {
  const found = eventsOfType(steps, type)[0];
  if (found === undefined) throw new Error(`bug: expected a ${type} event`);
  return found;
}

/**
 * Only the named fields of a caller's argument, and only those it set: what a message table copies into
 * a command, so nothing else a caller sends can reach the domain or the evidence.
 */
export function fieldsOf<A extends object, K extends keyof A>(arg: A, ...keys: K[]): Pick<A, K> {
  const picked = {} as Pick<A, K>;
  for (const key of keys) if (arg[key] !== undefined) picked[key] = arg[key];
  return picked;
}
