/**
 * The risk criteria (6.1.1, 6.1.2): scoring by the matrix, the appetite and its acceptors, and the versioned
 * process: drafted, reviewed and approved by someone other than the author; the approved version applies.
 */
import {
  DEFAULT_RISK_CRITERIA,
  criteriaAsOf,
  criteriaContentIssues,
  criteriaInForce,
  decide,
  evolve,
  INITIAL_RISK_CRITERIA_STATE,
  scoreRisk,
  type RiskCriteriaCommand,
  type RiskCriteriaContent,
  type RiskCriteriaEvent,
  type RiskCriteriaState,
} from '../../../../domain/risk-criteria';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_RISK_CRITERIA_STATE });
const AT = '2026-01-05T10:00:00.000Z';
const LATER = '2026-01-06T10:00:00.000Z';
const riskOwner: Actor = { id: 'Rita', roles: ['risk_owner'] };
const ritaAsOwner: Actor = { id: 'rita', roles: ['aims_owner'] };
const reviewer: Actor = { id: 'ravi', roles: ['risk_owner'] };
const top: Actor = { id: 'tara', roles: ['top_management'] };
const engineer: Actor = { id: 'erin', roles: ['engineer'] };

const draft = (by: Actor = riskOwner, content: unknown = DEFAULT_RISK_CRITERIA, n = 1): RiskCriteriaCommand => ({
  type: 'DraftRiskCriteria',
  draftId: `criteria-draft-${n}`,
  content: content as RiskCriteriaContent,
  justification: 'The organisation adopts the default criteria',
  by,
  at: AT,
});
const decideTask = (
  taskId: string,
  by: Actor,
  outcome: 'approved' | 'rejected' | 'changes_requested' = 'approved',
  at = AT,
): RiskCriteriaCommand => ({
  type: 'DecideRiskCriteriaTask',
  taskId,
  outcome,
  reasons: outcome === 'approved' ? [] : ['the matrix is too lenient'],
  by,
  at,
});
function history(...commands: RiskCriteriaCommand[]): RiskCriteriaEvent[] {
  let s: RiskCriteriaState = INITIAL_RISK_CRITERIA_STATE;
  const all: RiskCriteriaEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    all.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return all;
}

describe('scoring by the default criteria', () => {
  it.each([
    ['rare', 'negligible', 'low', false, ['risk_owner'], 'P365D'],
    ['possible', 'moderate', 'medium', false, ['risk_owner', 'aims_owner'], 'P180D'],
    ['likely', 'moderate', 'high', true, ['aims_owner'], 'P90D'],
    ['almost-certain', 'severe', 'critical', true, ['aims_owner'], 'P30D'],
  ])('%s x %s is %s (above appetite: %s)', (likelihood, consequence, level, above, acceptedBy, interval) => {
    expect(scoreRisk(DEFAULT_RISK_CRITERIA, likelihood, consequence)).toEqual({
      level,
      aboveAppetite: above,
      acceptedBy,
      reassessmentInterval: interval,
    });
  });

  it('a level above appetite is accepted by the AIMS owner whatever the level names', () => {
    const content: RiskCriteriaContent = {
      ...DEFAULT_RISK_CRITERIA,
      levels: DEFAULT_RISK_CRITERIA.levels.map((l) => ({ ...l, acceptedBy: ['risk_owner'] })),
      appetite: 'low',
    };
    expect(scoreRisk(content, 'possible', 'moderate')?.acceptedBy).toEqual(['aims_owner']);
    expect(scoreRisk(content, 'rare', 'negligible')?.acceptedBy).toEqual(['risk_owner']);
  });

  it('a step that is not on the scale scores nothing', () => {
    expect(scoreRisk(DEFAULT_RISK_CRITERIA, 'sometimes', 'moderate')).toBeNull();
  });

  it('the default criteria are valid', () => {
    expect(criteriaContentIssues(DEFAULT_RISK_CRITERIA)).toEqual([]);
  });

  it('refuses a matrix that ranks a graver consequence lower, an unknown appetite and a bad interval, each by its path', () => {
    const matrix = DEFAULT_RISK_CRITERIA.matrix.map((r) => [...r]);
    matrix[2][4] = 'low';
    const levels = DEFAULT_RISK_CRITERIA.levels.map((l, i) => (i === 0 ? { ...l, reassessmentInterval: 'P1M' } : l));
    const fields = criteriaContentIssues({ ...DEFAULT_RISK_CRITERIA, matrix, levels, appetite: 'tolerable' }).map((i) => i.field);
    expect(fields).toEqual(['content.levels[0].reassessmentInterval', 'content.appetite', 'content.matrix[2][4]']);
  });
});

describe('the versioned approval of risk criteria', () => {
  it('a draft opens a review task for someone other than its author', () => {
    given()
      .when(draft())
      .then([
        expect.objectContaining({ type: 'RiskCriteriaDrafted', draftId: 'criteria-draft-1', by: { id: 'Rita', role: 'risk_owner' } }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          taskId: 'criteria-draft-1-review',
          kind: 'risk_criteria_review',
          requiredRoles: ['risk_owner', 'aims_owner', 'top_management'],
          requestedBy: 'Rita',
          dueAt: '2026-01-15T10:00:00.000Z',
        }),
      ]);
  });

  it('an engineer cannot draft criteria', () => {
    given()
      .when(draft(engineer))
      .then(expectError('MISSING_ROLE', { requiredRoles: ['aims_owner', 'risk_owner', 'top_management'] }));
  });

  it('bad content is refused with every issue, and nothing is recorded', () => {
    given()
      .when(draft(riskOwner, { ...DEFAULT_RISK_CRITERIA, appetite: 'nope' }))
      .then(expectError('VALIDATION_FAILED', { issues: [{ field: 'content.appetite', problem: 'must be the id of one of the levels' }] }));
  });

  it('the author never reviews their own draft, whatever the spelling of their name', () => {
    given(history(draft()))
      .when(decideTask('criteria-draft-1-review', ritaAsOwner))
      .then(expectError('SEGREGATION_OF_DUTIES', { conflict: 'author' }));
  });

  it('a review opens the approval task for top management or the AIMS owner', () => {
    given(history(draft()))
      .when(decideTask('criteria-draft-1-review', reviewer))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', taskId: 'criteria-draft-1-review', outcome: 'approved' }),
        expect.objectContaining({ type: 'RiskCriteriaReviewed', draftId: 'criteria-draft-1', by: { id: 'ravi', role: 'risk_owner' } }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          taskId: 'criteria-draft-1-approval',
          kind: 'risk_criteria_approval',
          requiredRoles: ['top_management', 'aims_owner'],
          requestedBy: 'Rita',
        }),
      ]);
  });

  it('a risk owner cannot approve; the author cannot approve even as AIMS owner', () => {
    const reviewed = history(draft(), decideTask('criteria-draft-1-review', reviewer));
    given(reviewed).when(decideTask('criteria-draft-1-approval', reviewer)).then(expectError('MISSING_ROLE'));
    given(reviewed).when(decideTask('criteria-draft-1-approval', ritaAsOwner)).then(expectError('SEGREGATION_OF_DUTIES'));
  });

  it('approval makes version 1, which then applies; a later draft makes version 2', () => {
    const { state } = given(history(draft(), decideTask('criteria-draft-1-review', reviewer)))
      .when(decideTask('criteria-draft-1-approval', top))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', taskId: 'criteria-draft-1-approval' }),
        { type: 'RiskCriteriaApproved', draftId: 'criteria-draft-1', version: 1, by: { id: 'tara', role: 'top_management' }, at: AT },
      ]);
    expect(criteriaInForce(state)).toMatchObject({ version: 1, content: DEFAULT_RISK_CRITERIA, draftId: 'criteria-draft-1' });
    const stricter = { ...DEFAULT_RISK_CRITERIA, appetite: 'low' };
    const two = history(
      draft(),
      decideTask('criteria-draft-1-review', reviewer),
      decideTask('criteria-draft-1-approval', top),
      draft(riskOwner, stricter, 2),
      decideTask('criteria-draft-2-review', reviewer, 'approved', LATER),
      decideTask('criteria-draft-2-approval', top, 'approved', LATER),
    );
    const s = two.reduce(evolve, INITIAL_RISK_CRITERIA_STATE);
    expect(criteriaInForce(s)).toMatchObject({ version: 2, content: { appetite: 'low' } });
    expect(criteriaAsOf(s, '2026-01-05T12:00:00.000Z')?.version).toBe(1);
    expect(criteriaAsOf(s, '2026-01-01T00:00:00.000Z')).toBeNull();
  });

  it('nothing applies before the first approval; a returned draft applies never', () => {
    const { state } = given(history(draft()))
      .when(decideTask('criteria-draft-1-review', reviewer, 'changes_requested'))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'changes_requested' }),
        expect.objectContaining({ type: 'RiskCriteriaReturned', draftId: 'criteria-draft-1', stage: 'review' }),
      ]);
    expect(criteriaInForce(state)).toBeNull();
    given(history(draft()))
      .when(draft(riskOwner, DEFAULT_RISK_CRITERIA, 2))
      .then(expectError('RISK_CRITERIA_DRAFT_PENDING'));
  });
});
