/**
 * Given/when/then for any decider (`decide(command, state)` → events | refusal, `evolve(state, event)`):
 *
 *   const { given } = deciderSpec({ decide, evolve, initialState });
 *   given(history).when(command).then([...expectedEvents]);                  // accepted, exactly these events
 *   given(history).when(command).then(expectError('SEGREGATION_OF_DUTIES', { actorId: 'erin' }));
 *
 * `given` folds past events through `evolve`; `when` decides one command against that state; `then`
 * checks the outcome. Accepted events must also fold (so `evolve` knows them) and, like refusals, must be
 * plain JSON (they become audit evidence and cross Temporal payloads). `then` returns what it checked, for
 * further assertions: the events and the state they lead to, or the refusal narrowed to its code.
 */
import type { DomainError } from '../../domain/shared/domain-error';
import { isDomainError } from '../../domain/shared/domain-error';
import type { Result } from '../../domain/shared/result';

/** What every domain module offers: a pure decide, a pure evolve and the state before any event. */
export interface Decider<Command, Event, State, Refusal extends DomainError> {
  decide: (command: Command, state: State) => Result<readonly Event[], Refusal>;
  evolve: (state: State, event: Event) => State;
  initialState: State;
}

/** The refusal `then` expects: its code and, optionally, facts its details must contain. */
export interface ErrorExpectation<Code extends string> {
  readonly expectation: 'refusal';
  readonly code: Code;
  /** Compared with `toMatchObject`: listed fields must match (asymmetric matchers allowed), others may exist. */
  readonly details: Record<string, unknown> | undefined;
}

export function expectError<Code extends string>(code: Code, details?: Record<string, unknown>): ErrorExpectation<Code> {
  return { expectation: 'refusal', code, details };
}

export interface Accepted<Event, State> {
  events: Event[];
  /** The state after folding the accepted events onto the given state. */
  state: State;
}

export interface When<Event, State, Refusal extends DomainError> {
  then: {
    /** The command is accepted and records exactly `events` (in order; asymmetric matchers allowed). */
    (events: readonly Event[]): Accepted<Event, State>;
    /** The command is refused with this code (and these details, when given). */
    <Code extends Refusal['code']>(expected: ErrorExpectation<Code>): RefusalWith<Refusal, Code>;
  };
}

/** The refusal narrowed to one code: its own member of a union of refusals, or the shared shape with that code. */
export type RefusalWith<Refusal extends DomainError, Code extends string> = [Extract<Refusal, { code: Code }>] extends [never]
  ? Refusal & { code: Code }
  : Extract<Refusal, { code: Code }>;

export interface Given<Command, Event, State, Refusal extends DomainError> {
  /** The state the past events lead to. */
  readonly state: State;
  when: (command: Command) => When<Event, State, Refusal>;
}

export interface DeciderSpec<Command, Event, State, Refusal extends DomainError> {
  given: (events?: readonly Event[]) => Given<Command, Event, State, Refusal>;
}

export function deciderSpec<Command, Event, State, Refusal extends DomainError>(
  decider: Decider<Command, Event, State, Refusal>,
): DeciderSpec<Command, Event, State, Refusal> {
  const fold = (state: State, events: readonly Event[]): State => events.reduce((s, e) => decider.evolve(s, e), state);
  return {
    given(past: readonly Event[] = []) {
      const state = fold(decider.initialState, past);
      return {
        state,
        when(command: Command) {
          const result = decider.decide(command, state);
          const commandType = describe(command);
          function then(expected: readonly Event[] | ErrorExpectation<string>): Accepted<Event, State> | Refusal {
            if (isErrorExpectation(expected)) {
              if (result.ok) {
                throw new Error(`${commandType}: expected refusal ${expected.code}, but it was accepted with ${typesOf(result.value)}`);
              }
              const error = result.error;
              expect(isDomainError(error)).toBe(true);
              expect({ command: commandType, code: error.code }).toEqual({ command: commandType, code: expected.code });
              expect(error.message.trim()).not.toBe('');
              if (expected.details !== undefined) expect(error.details).toMatchObject(expected.details);
              expectPlainJson(error, `${commandType}'s refusal`);
              return error;
            }
            if (!result.ok) {
              throw new Error(
                `${commandType}: expected ${typesOf(expected)}, but it was refused: ${result.error.code} ${result.error.message}`,
              );
            }
            const events = [...result.value];
            expect(events).toEqual(expected);
            expectPlainJson(events, `${commandType}'s events`);
            return { events, state: fold(state, events) };
          }
          return { then } as When<Event, State, Refusal>;
        },
      };
    },
  };
}

function isErrorExpectation(value: unknown): value is ErrorExpectation<string> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { expectation?: unknown }).expectation === 'refusal'
  );
}

/** A command's `type` when it has one, for messages. */
function describe(command: unknown): string {
  const type = (command as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'the command';
}

function typesOf(events: readonly unknown[]): string {
  if (events.length === 0) return 'no events';
  return events.map((e) => describe(e).replace('the command', '(an event without a type)')).join(', ');
}

/** Survives JSON unchanged: no undefined members, Dates, Maps, class instances or non-finite numbers. */
function expectPlainJson(value: unknown, what: string): void {
  expect({ [what]: JSON.parse(JSON.stringify(value)) as unknown }).toStrictEqual({ [what]: value });
}
