/**
 * The system's place in the AIMS scope (4.3, A.6.2.5): the scope process's decision is noted by the
 * lifecycle, and the deployment gate refuses a system decided out of scope, naming the decision it used.
 */
import { SYSTEM_ACTOR, type AiSystemCommand } from '../../../../domain/ai-system';
import type { AimsScopeDecisionBasis } from '../../../../domain/shared/scope-links';
import {
  after,
  at,
  developer,
  DIGEST_A,
  fieldsOf,
  given,
  ofType,
  registered,
  requestDeployment,
  thenError,
  thenEvents,
  toSignedOff,
  types,
  when,
} from './scenario';

const person: AimsScopeDecisionBasis = { kind: 'person', id: 'amara', role: 'aims_owner' };
const statement: AimsScopeDecisionBasis = { kind: 'statement', version: 2, proposalId: 'scope-proposal-2' };

const scope = (
  inScope: boolean,
  minute: number,
  basis: AimsScopeDecisionBasis = person,
  causeEventId = `scope-ev-${minute}`,
): AiSystemCommand => ({
  type: 'RecordAimsScopeDecision',
  inScope,
  justification: inScope ? 'Serves customers' : 'Lab prototype',
  basis,
  causeEventId,
  decidedAt: at(minute),
  at: at(minute),
});

describe('the AIMS scope and the deployment gate (4.3, A.6.2.5)', () => {
  test('given a system decided out of scope, when a deployment is requested, then blocked with OUT_OF_AIMS_SCOPE naming the decision used', () => {
    const s = given(...toSignedOff(), scope(false, 8));
    const events = thenEvents(when(s, requestDeployment('D-1', '1.0.0', DIGEST_A, 9)));
    expect(types(events)).toEqual(['DeploymentRequested', 'DeploymentBlocked']);
    expect(ofType(events, 'DeploymentBlocked').reasons).toEqual([
      {
        code: 'OUT_OF_AIMS_SCOPE',
        message: 'The AI system is outside the scope of the AI management system (decided by amara (aims_owner): Lab prototype).',
        scopeDecision: { causeEventId: 'scope-ev-8', basis: person, justification: 'Lab prototype' },
      },
    ]);
  });

  test('given it is then brought in scope, when a deployment is requested, then it goes ahead to its approval', () => {
    const s1 = given(...toSignedOff(), scope(false, 8));
    const s2 = after(s1, when(s1, scope(true, 9, statement)));
    expect(registered(s2).aimsScope).toMatchObject({ inScope: true, basis: statement, causeEventId: 'scope-ev-9' });
    expect(types(thenEvents(when(s2, requestDeployment('D-2', '1.0.0', DIGEST_A, 10))))).toEqual([
      'DeploymentRequested',
      'HumanTaskOpened',
    ]);
  });

  test('given a request pending approval, when the system is decided out of scope, then the request is blocked and its task superseded', () => {
    const s = given(...toSignedOff(), requestDeployment());
    const events = thenEvents(when(s, scope(false, 10)));
    expect(types(events)).toEqual(['AimsScopeDecisionNoted', 'HumanTaskSuperseded', 'DeploymentBlocked']);
    expect(ofType(events, 'AimsScopeDecisionNoted')).toMatchObject({ inScope: false, by: SYSTEM_ACTOR, causeEventId: 'scope-ev-10' });
  });

  test('the same decision again, or an older one, records nothing; no decision ever noted leaves the state as earlier runs had it', () => {
    const s = given(...toSignedOff(), scope(false, 10));
    expect(thenEvents(when(s, scope(false, 10)))).toEqual([]);
    expect(thenEvents(when(s, scope(true, 9, person, 'older')))).toEqual([]);
    expect(registered(given(...toSignedOff())).aimsScope).toBeUndefined();
  });

  test('a malformed decision names each bad field; a person issuing it needs aims_owner or top_management', () => {
    const s = given(...toSignedOff());
    const bad = { ...scope(true, 9), justification: '', basis: { kind: 'vote' }, decidedAt: 'later' } as unknown as AiSystemCommand;
    expect(fieldsOf(thenError(when(s, bad), 'VALIDATION_FAILED'))).toEqual(['justification', 'decidedAt', 'basis.kind']);
    thenError(when(s, { ...scope(true, 9), by: developer }), 'MISSING_ROLE');
  });
});
