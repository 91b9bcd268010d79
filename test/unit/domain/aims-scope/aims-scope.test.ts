/**
 * The AIMS scope (4.3) as a governed process: a statement proposed by the AIMS owner and approved by top
 * management (never its proposer), each approved version replacing the previous one; a decision per AI system
 * from the statement in force that names it, or a person's (never against the statement); registrations
 * noted; and the reconciliation of the inventory against the decisions.
 */
import {
  decide,
  evolve,
  eventReferences,
  INITIAL_AIMS_SCOPE_STATE,
  reconcileScope,
  statementInForce,
  type AimsScopeCommand,
  type AimsScopeEvent,
  type AimsScopeState,
  type ScopeStatementInput,
} from '../../../../domain/aims-scope';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_AIMS_SCOPE_STATE });
const AT = '2026-01-05T10:00:00.000Z';
const LATER = '2026-02-05T10:00:00.000Z';
const owner: Actor = { id: 'Amara', roles: ['aims_owner'] };
const ownerAsTop: Actor = { id: 'amara', roles: ['aims_owner', 'top_management'] };
const top: Actor = { id: 'tara', roles: ['top_management'] };
const engineer: Actor = { id: 'erin', roles: ['engineer'] };

const statement = (over: Partial<ScopeStatementInput> = {}): ScopeStatementInput => ({
  organisationalUnits: ['Retail credit'],
  locations: ['Lisbon', 'Berlin'],
  lifecycleStages: ['design', 'development', 'deployment', 'operation', 'retirement'],
  systemsIn: ['credit-scoring'],
  systemsOut: [{ systemId: 'hr-screening', justification: 'Run by the group HR entity under its own AIMS' }],
  thirdPartyServices: [
    {
      serviceId: 'llm-api',
      provider: 'Example LLM Inc.',
      description: 'Summarises applications',
      inScope: true,
      justification: 'Feeds credit decisions',
    },
  ],
  exclusions: [{ subject: 'Research sandbox', justification: 'No AI system leaves it; nothing is deployed' }],
  ...over,
});

const propose = (n = 1, over: Partial<ScopeStatementInput> = {}, by: Actor = owner): AimsScopeCommand => ({
  type: 'ProposeScopeStatement',
  proposalId: `scope-proposal-${n}`,
  approvalTaskId: `scope-proposal-${n}-approval`,
  summary: `Scope v${n}`,
  statement: statement(over),
  by,
  at: AT,
});
const approve = (n = 1, by: Actor = top, outcome: 'approved' | 'rejected' = 'approved'): AimsScopeCommand => ({
  type: 'DecideScopeStatement',
  taskId: `scope-proposal-${n}-approval`,
  outcome,
  reasons: outcome === 'approved' ? [] : ['Berlin is not ours yet'],
  by,
  at: LATER,
});
const registered = (systemId: string, n = 1): AimsScopeCommand => ({
  type: 'NoteAiSystemRegistration',
  systemId,
  name: `System ${systemId}`,
  causeEventId: `ev-${systemId}`,
  registeredAt: AT,
  taskId: `scope-decision-${n}-${systemId}`,
  at: AT,
});
const personDecides = (systemId: string, inScope: boolean, by: Actor = owner): AimsScopeCommand => ({
  type: 'DecideAiSystemScope',
  systemId,
  inScope,
  justification: inScope ? 'Used for customers' : 'Internal prototype only',
  by,
  at: LATER,
});

const history = (...commands: AimsScopeCommand[]): AimsScopeEvent[] => {
  let s: AimsScopeState = INITIAL_AIMS_SCOPE_STATE;
  const all: AimsScopeEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    all.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return all;
};

describe('AIMS scope: the statement', () => {
  test('given nothing, when the AIMS owner proposes a statement, then it is recorded and top management is asked to approve it', () => {
    const { state } = given([])
      .when(propose())
      .then([
        expect.objectContaining({
          type: 'ScopeStatementProposed',
          proposalId: 'scope-proposal-1',
          by: { id: 'Amara', role: 'aims_owner' },
        }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          taskId: 'scope-proposal-1-approval',
          kind: 'aims_scope_approval',
          requiredRoles: ['top_management'],
          subject: { type: 'scope_statement', proposalId: 'scope-proposal-1' },
          requestedBy: 'Amara',
        }),
      ]);
    expect(statementInForce(state)).toBeNull();
  });

  test('every exclusion and every system out needs a justification; no system both in and out; the lists are required', () => {
    const refused = given([])
      .when(
        propose(1, {
          locations: [],
          systemsIn: ['credit-scoring', 'hr-screening'],
          exclusions: [{ subject: 'Sandbox', justification: '' }],
        }),
      )
      .then(expectError('VALIDATION_FAILED'));
    const fields = (refused.details as { issues: { field: string }[] }).issues.map((i) => i.field);
    expect(fields).toEqual(['statement.locations', 'statement.exclusions[0].justification', 'statement']);
  });

  test('only the AIMS owner proposes; only top management approves, and never the proposer', () => {
    given([])
      .when(propose(1, {}, engineer))
      .then(expectError('MISSING_ROLE', { actorId: 'erin' }));
    given(history(propose())).when(approve(1, owner)).then(expectError('MISSING_ROLE'));
    given(history(propose())).when(approve(1, ownerAsTop)).then(expectError('SEGREGATION_OF_DUTIES'));
  });

  test('one proposal at a time', () => {
    given(history(propose()))
      .when(propose(2))
      .then(expectError('SCOPE_PROPOSAL_PENDING', { proposalId: 'scope-proposal-1' }));
  });

  test('given an approved version, when a second is approved, then it replaces the first, which is kept with the date it was replaced', () => {
    const { state } = given(history(propose(), approve()))
      .when(propose(2, { locations: ['Lisbon'] }))
      .then([expect.objectContaining({ type: 'ScopeStatementProposed' }), expect.objectContaining({ type: 'HumanTaskOpened' })]);
    const approved = given(history(propose(), approve(), propose(2, { locations: ['Lisbon'] })))
      .when(approve(2))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'approved' }),
        expect.objectContaining({ type: 'ScopeStatementApproved', proposalId: 'scope-proposal-2', version: 2, replacesVersion: 1 }),
      ]);
    expect(state.version).toBe(1);
    expect(approved.state.version).toBe(2);
    expect(approved.state.versions.map((v) => [v.version, v.replacedAt])).toEqual([
      [1, LATER],
      [2, null],
    ]);
    expect(statementInForce(approved.state)?.statement.locations).toEqual(['Lisbon']);
  });

  test('a rejection needs reasons and leaves the version in force as it was', () => {
    given(history(propose()))
      .when({ ...approve(1, top, 'rejected'), reasons: [] } as AimsScopeCommand)
      .then(expectError('HUMAN_TASK_REASON_REQUIRED'));
    const { state } = given(history(propose()))
      .when(approve(1, top, 'rejected'))
      .then([expect.objectContaining({ type: 'HumanTaskDecided' }), expect.objectContaining({ type: 'ScopeStatementRejected' })]);
    expect(state.version).toBe(0);
  });
});

describe('AIMS scope: decisions per AI system', () => {
  test('given a statement naming the system, when it registers, then its decision is recorded from that version', () => {
    given(history(propose(), approve()))
      .when(registered('hr-screening'))
      .then([
        expect.objectContaining({ type: 'AiSystemRegistrationNoted', systemId: 'hr-screening', causeEventId: 'ev-hr-screening' }),
        expect.objectContaining({
          type: 'AiSystemScopeDecided',
          systemId: 'hr-screening',
          inScope: false,
          justification: 'Run by the group HR entity under its own AIMS',
          basis: { kind: 'statement', version: 1, proposalId: 'scope-proposal-1' },
          by: { id: 'aims:scope', role: 'system' },
        }),
      ]);
  });

  test('given a statement not naming the system, when it registers, then the AIMS owner is asked to decide; a resent notice records nothing', () => {
    given(history(propose(), approve()))
      .when(registered('chatbot'))
      .then([
        expect.objectContaining({ type: 'AiSystemRegistrationNoted' }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          kind: 'ai_system_scope_decision',
          requiredRoles: ['aims_owner'],
          subject: { type: 'ai_system', systemId: 'chatbot', name: 'System chatbot' },
        }),
      ]);
    given(history(registered('chatbot')))
      .when(registered('chatbot', 2))
      .then([]);
  });

  test("a person's decision closes the system's task and names the person as its basis", () => {
    const { state } = given(history(registered('chatbot')))
      .when(personDecides('chatbot', false))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', taskId: 'scope-decision-1-chatbot', kind: 'ai_system_scope_decision' }),
        expect.objectContaining({
          type: 'AiSystemScopeDecided',
          systemId: 'chatbot',
          inScope: false,
          basis: { kind: 'person', id: 'Amara', role: 'aims_owner' },
        }),
      ]);
    expect(state.tasks[0].status).toBe('decided');
    given([])
      .when(personDecides('chatbot', true, engineer))
      .then(expectError('MISSING_ROLE'));
  });

  test('given a decision taken before the system registered, when it registers, then that decision stands and is recorded for it, with no task', () => {
    given(history(personDecides('lab-bot', false)))
      .when(registered('lab-bot'))
      .then([
        expect.objectContaining({ type: 'AiSystemRegistrationNoted', systemId: 'lab-bot' }),
        expect.objectContaining({
          type: 'AiSystemScopeDecided',
          systemId: 'lab-bot',
          inScope: false,
          basis: { kind: 'person', id: 'Amara', role: 'aims_owner' },
          by: { id: 'aims:scope', role: 'system' },
        }),
      ]);
  });

  test('nobody decides against the statement in force: that is a change of the scope, by a new version', () => {
    given(history(propose(), approve()))
      .when(personDecides('hr-screening', true, top))
      .then(expectError('SCOPE_DECISION_CONTRADICTS_STATEMENT', { systemId: 'hr-screening', version: 1, statementInScope: false }));
  });

  test('given systems registered, when a new version names them, then each decision that changes is recorded and their open tasks close', () => {
    const widened = { systemsIn: ['credit-scoring', 'chatbot', 'hr-screening'], systemsOut: [] };
    const past = history(propose(), approve(), registered('chatbot', 1), registered('hr-screening', 2), propose(2, widened));
    const followed = given(past)
      .when(approve(2))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided' }),
        expect.objectContaining({ type: 'ScopeStatementApproved', version: 2 }),
        expect.objectContaining({
          type: 'AiSystemScopeDecided',
          systemId: 'chatbot',
          inScope: true,
          basis: { kind: 'statement', version: 2, proposalId: 'scope-proposal-2' },
        }),
        expect.objectContaining({ type: 'HumanTaskSuperseded', taskId: 'scope-decision-1-chatbot' }),
        expect.objectContaining({ type: 'AiSystemScopeDecided', systemId: 'hr-screening', inScope: true }),
      ]);
    expect(followed.state.decisions['hr-screening'].inScope).toBe(true);
  });

  test('every event is evidence for 4.3 or the authority behind it', () => {
    for (const e of history(propose(), approve(), registered('chatbot'), personDecides('chatbot', true)))
      expect(eventReferences(e).some((r) => ['4.3', '5.3'].includes(r))).toBe(true);
  });
});

describe('AIMS scope: reconciliation', () => {
  test('systems without a decision, contradictions and named systems not registered are each named; third-party services count', () => {
    const events = history(propose(), approve(), registered('hr-screening'), registered('chatbot', 2));
    const s = events.reduce(evolve, INITIAL_AIMS_SCOPE_STATE);
    // a decision the statement now contradicts (recorded before a version that says otherwise)
    const contradicted: AimsScopeState = {
      ...s,
      decisions: {
        ...s.decisions,
        legacy: {
          systemId: 'legacy',
          inScope: true,
          justification: 'x',
          basis: { kind: 'person', id: 'a', role: 'aims_owner' },
          decidedAt: AT,
        },
      },
    };
    const withLegacyOut: AimsScopeState = {
      ...contradicted,
      versions: contradicted.versions.map((v) => ({
        ...v,
        statement: { ...v.statement, systemsOut: [...v.statement.systemsOut, { systemId: 'legacy', justification: 'retired' }] },
      })),
    };
    const r = reconcileScope(withLegacyOut, [
      { systemId: 'hr-screening', name: 'HR', stage: 'in_production' },
      { systemId: 'chatbot', name: 'Chat', stage: 'registered' },
      { systemId: 'legacy', name: 'Legacy', stage: 'in_production' },
      { systemId: 'old', name: 'Old', stage: 'decommissioned' },
    ]);
    expect(r).toMatchObject({
      version: 1,
      reconciled: false,
      withoutDecision: ['chatbot'],
      contradictions: [{ systemId: 'legacy', decided: true, statementSays: false, version: 1 }],
      namedNotRegistered: ['credit-scoring'],
    });
    expect(r.inventory.map((i) => [i.id, i.kind])).toEqual([
      ['hr-screening', 'ai_system'],
      ['chatbot', 'ai_system'],
      ['legacy', 'ai_system'],
      ['llm-api', 'third_party_service'],
    ]);
  });

  test('an inventory whose every system is decided and named is reconciled', () => {
    const s = history(propose(1, { systemsOut: [] }), approve(), registered('credit-scoring')).reduce(evolve, INITIAL_AIMS_SCOPE_STATE);
    expect(reconcileScope(s, [{ systemId: 'credit-scoring', name: 'Credit', stage: 'registered' }])).toMatchObject({
      reconciled: true,
      version: 1,
    });
  });
});
