/**
 * A scope statement names the controlled document (kind aims_scope) it rests on: the published version,
 * title and text digest are recorded with the proposal and carried into the version its approval puts in
 * force; a malformed reference is refused naming its fields; a proposal naming none records as before.
 */
import {
  decide,
  eventReferences,
  evolve,
  INITIAL_AIMS_SCOPE_STATE,
  statementInForce,
  type AimsScopeCommand,
  type ScopeDocumentRef,
} from '../../../../domain/aims-scope';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_AIMS_SCOPE_STATE });
const AT = '2026-01-05T10:00:00.000Z';
const owner: Actor = { id: 'amara', roles: ['aims_owner'] };
const top: Actor = { id: 'tara', roles: ['top_management'] };
const document: ScopeDocumentRef = {
  documentId: 'aims-scope',
  version: 2,
  title: 'Scope of the AI management system',
  markdownDigest: `sha256:${'ab'.repeat(32)}`,
  publishedAt: '2026-01-02T09:00:00.000Z',
};
const propose = (over: Partial<Extract<AimsScopeCommand, { type: 'ProposeScopeStatement' }>> = {}): AimsScopeCommand => ({
  type: 'ProposeScopeStatement',
  proposalId: 'scope-proposal-1',
  approvalTaskId: 'scope-proposal-1-approval',
  summary: 'Scope v1',
  statement: {
    organisationalUnits: ['Retail credit'],
    locations: ['Lisbon'],
    lifecycleStages: ['operation'],
    systemsIn: ['credit-scoring'],
    systemsOut: [],
    thirdPartyServices: [],
    exclusions: [],
  },
  by: owner,
  at: AT,
  ...over,
});
const approve: AimsScopeCommand = {
  type: 'DecideScopeStatement',
  taskId: 'scope-proposal-1-approval',
  outcome: 'approved',
  reasons: [],
  by: top,
  at: AT,
};

describe('the controlled document a scope statement rests on', () => {
  test('named with the proposal, recorded as evidence for 4.3 and 7.5.3, and carried into the version in force', () => {
    const proposed = given([])
      .when(propose({ document }))
      .then([
        expect.objectContaining({ type: 'ScopeStatementProposed' }),
        { type: 'ScopeStatementDocumentNamed', proposalId: 'scope-proposal-1', document, by: { id: 'amara', role: 'aims_owner' }, at: AT },
        expect.objectContaining({ type: 'HumanTaskOpened' }),
      ]);
    expect(eventReferences(proposed.events[1])).toEqual(['4.3', '7.5.3']);
    const approved = given(proposed.events).when(approve).then([expect.anything(), expect.anything()]);
    expect(statementInForce(approved.state)?.document).toEqual(document);
  });

  test('a proposal naming none records as before, and its version rests on no document', () => {
    const proposed = given([])
      .when(propose())
      .then([expect.objectContaining({ type: 'ScopeStatementProposed' }), expect.objectContaining({ type: 'HumanTaskOpened' })]);
    const approved = given(proposed.events).when(approve).then([expect.anything(), expect.anything()]);
    expect(statementInForce(approved.state)?.document).toBeNull();
  });

  test('a malformed reference is refused naming each field', () => {
    const refused = given([])
      .when(propose({ document: { ...document, version: 0, markdownDigest: 'md5:x', publishedAt: 'yesterday' } }))
      .then(expectError('VALIDATION_FAILED'));
    expect((refused.details as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual([
      'document.version',
      'document.markdownDigest',
      'document.publishedAt',
    ]);
  });
});
