/**
 * The decider is composed from features (domain/ai-system/features); the compiler checks every command and
 * event type has a handler, these tests that no type is claimed twice (a later feature would silently win)
 * and that the tables answer only their own keys.
 */
import { COMMAND_ROLES, evolve, ISO_42001_REFERENCES } from '../../../../domain/ai-system';
import { FEATURES } from '../../../../domain/ai-system/decide';
import { at, givenScenario, owner, register, thenError, when } from './scenario';

/** How many features claim `key` in their `table`. */
const owners = (key: string, table: 'decide' | 'evolve'): number =>
  FEATURES.filter((f) => Object.prototype.hasOwnProperty.call(f[table], key)).length;

describe('the lifecycle decider, composed from its features', () => {
  test('every command is handled by exactly one feature (registration and task decisions by the composer)', () => {
    // COMMAND_ROLES names every command but DecideHumanTask.
    const commandTypes = Object.keys(COMMAND_ROLES).filter((t) => t !== 'RegisterAiSystem');
    expect(commandTypes.length).toBeGreaterThan(15);
    for (const type of commandTypes) expect([type, owners(type, 'decide')]).toEqual([type, 1]);
    for (const type of ['RegisterAiSystem', 'DecideHumanTask']) expect([type, owners(type, 'decide')]).toEqual([type, 0]);
  });

  test('every event is folded by exactly one feature (registration by the composer)', () => {
    const eventTypes = Object.keys(ISO_42001_REFERENCES).filter((t) => t !== 'AiSystemRegistered');
    expect(eventTypes.length).toBeGreaterThan(30);
    for (const type of eventTypes) expect([type, owners(type, 'evolve')]).toEqual([type, 1]);
  });

  test('a command or event type named like an inherited property is unknown, not a crash', () => {
    const { state } = givenScenario(register());
    thenError(when(state, { type: 'toString', by: owner, at: at(1) } as never), 'UNKNOWN_COMMAND');
    thenError(when(state, { type: 'hasOwnProperty', at: at(1) } as never), 'INVALID_ACTOR');
    expect(evolve(state, { type: 'constructor', by: { id: 'x', role: 'system' }, at: at(1) } as never)).toBe(state);
  });
});
