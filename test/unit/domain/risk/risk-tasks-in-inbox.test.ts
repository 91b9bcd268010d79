/**
 * A risk's decisions (review, plan approval, acceptance) are human tasks of the one inbox: the human-task
 * read model folds the risk's own HumanTaskOpened / Decided evidence, with the roles the domain named.
 */
import { decide, evolve, type RiskCommand, type RiskEvent, type RiskState } from '../../../../domain/risk';
import { DEFAULT_RISK_CRITERIA } from '../../../../domain/risk-criteria';
import type { Projected } from '../../../../infra/ports/read-model-store.port';
import { HUMAN_TASKS, type HumanTaskRow } from '../../../../infra/projections/read-models';
import { EvidenceLog } from '../../../support/recorded-events';

const AT = '2026-02-01T09:00:00.000Z';
const commands: RiskCommand[] = [
  {
    type: 'IdentifyRisk',
    riskId: 'r1',
    systemId: null,
    source: { kind: 'organisation', name: 'supplier lock-in' },
    description: 'The only model supplier may withdraw the API',
    owner: 'rita',
    by: { id: 'erin', roles: ['engineer'] },
    at: AT,
  },
  {
    type: 'AssessRisk',
    inherent: { likelihood: 'possible', consequence: 'major' },
    rationale: 'supplier notice period is 30 days',
    criteria: { version: 1, content: DEFAULT_RISK_CRITERIA },
    by: { id: 'erin', roles: ['engineer'] },
    at: AT,
  },
  {
    type: 'DecideRiskTask',
    taskId: 'r1-risk-assessment-review-1-1',
    outcome: 'approved',
    reasons: [],
    by: { id: 'rita', roles: ['risk_owner'] },
    at: AT,
  },
];

test('given a risk assessed and reviewed, when its evidence is projected, then the review is an inbox task for risk owners, decided', () => {
  let s: RiskState = null;
  const events: RiskEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(r.error.message);
    events.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  const log = new EvidenceLog();
  let row: Projected<HumanTaskRow, null> | null = null;
  for (const e of log.record('risk-r1', events))
    if (HUMAN_TASKS.keyOf(e) === 'risk-r1/r1-risk-assessment-review-1-1') row = HUMAN_TASKS.apply(row, e);
  expect(row?.row).toMatchObject({
    taskId: 'r1-risk-assessment-review-1-1',
    stream: 'risk-r1',
    kind: 'risk_assessment_review',
    eligibleRoles: ['risk_owner'],
    requestedBy: 'erin',
    status: 'decided',
    decision: { outcome: 'approved', by: { id: 'rita', role: 'risk_owner' } },
  });
});
