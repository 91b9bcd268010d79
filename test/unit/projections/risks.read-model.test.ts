/**
 * The `risks` read model: one row per risk stream from its identification, with the level that stands now;
 * the criteria's stream, which shares the `risk-` prefix, never becomes a row.
 */
import { decide, evolve, type RiskCommand, type RiskEvent, type RiskState } from '../../../domain/risk';
import { DEFAULT_RISK_CRITERIA, RISK_CRITERIA_STREAM } from '../../../domain/risk-criteria';
import type { Actor } from '../../../domain/shared/roles';
import type { Projected } from '../../../infra/ports/read-model-store.port';
import { RISKS, type RiskRow } from '../../../infra/projections/read-models';
import { EvidenceLog } from '../../support/recorded-events';

const erin: Actor = { id: 'erin', roles: ['engineer'] };
const at = '2026-03-01T09:00:00Z';

/** The events the domain decides for `commands`, in order, on a fresh risk. */
function decided(commands: RiskCommand[]): RiskEvent[] {
  let state: RiskState = null;
  const all: RiskEvent[] = [];
  for (const c of commands) {
    const r = decide(c, state);
    if (!r.ok) throw new Error(r.error.message);
    for (const e of r.value) state = evolve(state, e);
    all.push(...r.value);
  }
  return all;
}

function fold(log: EvidenceLog): Map<string, RiskRow> {
  const rows = new Map<string, Projected<RiskRow, RiskState>>();
  for (const event of log.events) {
    const key = RISKS.keyOf(event);
    if (key === null) continue;
    const next = RISKS.apply(rows.get(key) ?? null, event);
    if (next === null) rows.delete(key);
    else rows.set(key, JSON.parse(JSON.stringify(next)) as Projected<RiskRow, RiskState>);
  }
  return new Map([...rows].map(([k, v]) => [k, v.row]));
}

const identify = (riskId: string): RiskCommand => ({
  type: 'IdentifyRisk',
  riskId,
  systemId: 'credit-scoring',
  source: { kind: 'annex-c', id: 'machine-learning' },
  description: 'Scores drift',
  owner: 'rita',
  by: erin,
  at,
});
const assess = (likelihood: string, consequence: string): RiskCommand => ({
  type: 'AssessRisk',
  inherent: { likelihood, consequence },
  rationale: 'audit',
  criteria: { version: 1, content: DEFAULT_RISK_CRITERIA },
  by: erin,
  at,
});

describe('risks read model', () => {
  it('given a risk identified and assessed above appetite, when folded, then one row with its level now; the criteria stream makes none', () => {
    const log = new EvidenceLog();
    log.record(RISK_CRITERIA_STREAM, [
      { type: 'RiskCriteriaDrafted', draftId: 'criteria-draft-1', by: { id: 'a', role: 'aims_owner' }, at },
    ]);
    log.record('risk-r1', decided([identify('r1'), assess('likely', 'moderate')]));
    log.record('risk-r2', decided([identify('r2')]));
    const rows = fold(log);
    expect([...rows.keys()]).toEqual(['r1', 'r2']);
    expect(rows.get('r1')).toMatchObject({ riskId: 'r1', systemId: 'credit-scoring', owner: 'rita', level: 'high', aboveAppetite: true });
    expect(rows.get('r2')).toMatchObject({ level: null, aboveAppetite: false, status: 'identified' });
    expect(rows.get('r1')?.identifiedPosition).toBeLessThan(rows.get('r2')?.identifiedPosition ?? 0);
    expect(RISKS.keyOf({ ...log.events[0] })).toBeNull();
  });

  it('given a plan approved with an action due on a date, then the row holds the instant it falls overdue: the end of that day', () => {
    const rita: Actor = { id: 'rita', roles: ['risk_owner'] };
    const ravi: Actor = { id: 'ravi', roles: ['risk_owner'] };
    const decideTask = (taskId: string, by: Actor): RiskCommand => ({
      type: 'DecideRiskTask',
      taskId,
      outcome: 'approved',
      reasons: [],
      by,
      at,
    });
    const planned: RiskCommand[] = [
      identify('r1'),
      assess('likely', 'moderate'),
      decideTask('r1-risk-assessment-review-1-1', rita),
      {
        type: 'PlanRiskTreatment',
        option: 'modify',
        annexAControlIds: [],
        ownControls: [],
        actions: [
          { actionId: 'a1', description: 'fairness gate', owner: 'erin', dueDate: '2026-03-31' },
          { actionId: 'a2', description: 'retrain', owner: 'erin', dueDate: '2026-04-15T12:00:00Z' },
        ],
        by: rita,
        at,
      },
    ];
    const log = new EvidenceLog();
    log.record('risk-r1', decided(planned));
    // not approved yet: nothing is due
    expect(fold(log).get('r1')?.nextActionDueAt).toBeNull();
    const approvedLog = new EvidenceLog();
    approvedLog.record('risk-r1', decided([...planned, decideTask('r1-risk-treatment-plan-approval-1-1', ravi)]));
    expect(fold(approvedLog).get('r1')?.nextActionDueAt).toBe('2026-04-01T00:00:00.000Z');
  });
});
