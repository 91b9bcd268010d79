/**
 * The decider spec helper on a toy decider (a tally with a limit), so that each way a spec can pass or fail
 * is shown here once rather than discovered in a domain's spec.
 */
import { domainError, type DomainError } from '../../../domain/shared/domain-error';
import { err, ok, type Result } from '../../../domain/shared/result';
import { deciderSpec, expectError, type Decider } from '../../support/decider-spec';

type TallyCommand = { type: 'Add'; amount: number } | { type: 'AddBadly'; amount: number } | { type: 'AddUnknown' };
type TallyEvent = { type: 'Added'; amount: number; note?: string } | { type: 'Mystery' };
type TallyState = { total: number; additions: number };
type TallyRefusal = DomainError<'OVER_LIMIT' | 'NOT_POSITIVE'>;

const LIMIT = 10;

const tally: Decider<TallyCommand, TallyEvent, TallyState, TallyRefusal> = {
  initialState: { total: 0, additions: 0 },
  decide(command, state): Result<TallyEvent[], TallyRefusal> {
    switch (command.type) {
      case 'Add':
        if (command.amount <= 0) return err(domainError('NOT_POSITIVE', `cannot add ${command.amount}`, { amount: command.amount }));
        if (state.total + command.amount > LIMIT) {
          return err(domainError('OVER_LIMIT', `${state.total} + ${command.amount} passes ${LIMIT}`, { limit: LIMIT, total: state.total }));
        }
        return ok([{ type: 'Added', amount: command.amount }]);
      case 'AddBadly':
        // An event that is not plain JSON: `undefined` vanishes when it is recorded.
        return ok([{ type: 'Added', amount: command.amount, note: undefined }]);
      case 'AddUnknown':
        return ok([{ type: 'Mystery' }]);
    }
  },
  evolve(state, event) {
    if (event.type !== 'Added') throw new Error(`evolve does not know ${event.type}`);
    return { total: state.total + event.amount, additions: state.additions + 1 };
  },
};

const { given } = deciderSpec(tally);
const added = (amount: number): TallyEvent => ({ type: 'Added', amount });

describe('decider spec helper', () => {
  describe('given', () => {
    it('given no events, when read, then the state is the initial state', () => {
      expect(given().state).toEqual({ total: 0, additions: 0 });
      expect(given([]).state).toEqual({ total: 0, additions: 0 });
    });

    it('given past events, when read, then they are folded in order through evolve', () => {
      expect(given([added(2), added(3)]).state).toEqual({ total: 5, additions: 2 });
    });
  });

  describe('then(events)', () => {
    it('given an accepted command, when the expected events match, then it returns them and the state they lead to', () => {
      const accepted = given([added(2)])
        .when({ type: 'Add', amount: 3 })
        .then([added(3)]);
      expect(accepted).toEqual({ events: [added(3)], state: { total: 5, additions: 2 } });
    });

    it('given an accepted command, when asymmetric matchers describe the events, then they are honoured', () => {
      given()
        .when({ type: 'Add', amount: 4 })
        .then([expect.objectContaining({ type: 'Added' }) as TallyEvent]);
    });

    it('given an accepted command, when other events are expected, then the spec fails', () => {
      expect(() =>
        given()
          .when({ type: 'Add', amount: 3 })
          .then([added(4)]),
      ).toThrow();
      expect(() =>
        given()
          .when({ type: 'Add', amount: 3 })
          .then([added(3), added(3)]),
      ).toThrow();
      expect(() => given().when({ type: 'Add', amount: 3 }).then([])).toThrow();
    });

    it('given a refused command, when events are expected, then the spec fails naming the refusal', () => {
      expect(() =>
        given([added(9)])
          .when({ type: 'Add', amount: 3 })
          .then([added(3)]),
      ).toThrow(/Add: expected Added, but it was refused: OVER_LIMIT 9 \+ 3 passes 10/);
    });

    it('given accepted events that are not plain JSON, when checked, then the spec fails', () => {
      expect(() =>
        given()
          .when({ type: 'AddBadly', amount: 1 })
          .then([added(1)]),
      ).toThrow(/AddBadly's events/);
    });

    it('given accepted events that evolve cannot fold, when checked, then the spec fails', () => {
      expect(() =>
        given()
          .when({ type: 'AddUnknown' })
          .then([{ type: 'Mystery' }]),
      ).toThrow(/evolve does not know Mystery/);
    });

    it('given one history, when two commands are tried against it, then neither sees the other', () => {
      const history = given([added(5)]);
      history.when({ type: 'Add', amount: 5 }).then([added(5)]);
      expect(history.when({ type: 'Add', amount: 5 }).then([added(5)]).state).toEqual({ total: 10, additions: 2 });
      expect(history.state).toEqual({ total: 5, additions: 1 });
    });
  });

  describe('then(expectError(...))', () => {
    it('given a refused command, when the code matches, then it returns the refusal', () => {
      const refusal = given([added(9)])
        .when({ type: 'Add', amount: 3 })
        .then(expectError('OVER_LIMIT'));
      expect(refusal).toEqual({ kind: 'DomainError', code: 'OVER_LIMIT', message: '9 + 3 passes 10', details: { limit: 10, total: 9 } });
    });

    it('given a refused command, when the listed details match, then the others may be left out', () => {
      given([added(9)])
        .when({ type: 'Add', amount: 3 })
        .then(expectError('OVER_LIMIT', { total: 9 }));
      given([added(9)])
        .when({ type: 'Add', amount: 3 })
        .then(expectError('OVER_LIMIT', { limit: expect.any(Number) as number }));
    });

    it('given a refused command, when another code is expected, then the spec fails', () => {
      expect(() => given().when({ type: 'Add', amount: 0 }).then(expectError('OVER_LIMIT'))).toThrow(/NOT_POSITIVE/);
    });

    it('given a refused command, when the details differ, then the spec fails', () => {
      expect(() =>
        given([added(9)])
          .when({ type: 'Add', amount: 3 })
          .then(expectError('OVER_LIMIT', { total: 8 })),
      ).toThrow();
      expect(() =>
        given([added(9)])
          .when({ type: 'Add', amount: 3 })
          .then(expectError('OVER_LIMIT', { missing: 1 })),
      ).toThrow();
    });

    it('given a code the decider never refuses with, when written, then it does not compile', () => {
      // @ts-expect-error: NO_SUCH_CODE is not one of the tally's refusal codes
      expect(() => given().when({ type: 'Add', amount: 0 }).then(expectError('NO_SUCH_CODE'))).toThrow(/NOT_POSITIVE/);
    });

    it('given an accepted command, when a refusal is expected, then the spec fails naming the events', () => {
      expect(() => given().when({ type: 'Add', amount: 1 }).then(expectError('OVER_LIMIT'))).toThrow(
        /Add: expected refusal OVER_LIMIT, but it was accepted with Added/,
      );
    });

    it('given a refusal without a message, when checked, then the spec fails (people must be told why)', () => {
      const silent: Decider<TallyCommand, TallyEvent, TallyState, TallyRefusal> = {
        ...tally,
        decide: () => err(domainError('NOT_POSITIVE', ' ')),
      };
      expect(() => deciderSpec(silent).given().when({ type: 'Add', amount: 0 }).then(expectError('NOT_POSITIVE'))).toThrow();
    });
  });
});
