/**
 * A risk's posture, as its system's lifecycle notes it, is vouched for by the risk's own evidence
 * (activities/command-vouch.ts): the cause must be in the risk's stream, and the stream folded to its head
 * must give that level and those blockers; a posture dated in the future is refused (it would outrank every
 * real one). A real SQLite store, the risk's events as its domain decides them.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkVouch } from '../../../activities/command-vouch';
import type { EvidenceVouch } from '../../../domain/command-signature/evidence-vouch';
import { decide, evolve, eventData, type RiskCommand, type RiskState } from '../../../domain/risk';
import { DEFAULT_RISK_CRITERIA } from '../../../domain/risk-criteria';
import type { Actor } from '../../../domain/shared/roles';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';

let dir: string;
let store: EventStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-posture-vouch-'));
  store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const POLICY = { keys: TEST_COMMAND_KEYS, maxAgeMs: 600_000 };
const SYSTEM = { actor: { id: 'aims:lifecycle', role: 'system' } };
const erin: Actor = { id: 'erin', roles: ['engineer'] };
const rita: Actor = { id: 'rita', roles: ['risk_owner'] };
const at = '2026-02-01T09:00:00.000Z';

/** Records the commands' events in `risk-r1` as the risk's process would; the id of the last event. */
async function record(state: { s: RiskState }, commands: RiskCommand[]): Promise<string> {
  let last = '';
  for (const c of commands) {
    const decided = decide(c, state.s);
    if (!decided.ok) throw new Error(`${c.type}: ${decided.error.message}`);
    const events = decided.value.map((e) => ({ id: randomUUID(), type: e.type, data: eventData(e) }));
    await store.append('risk-r1', events);
    state.s = decided.value.reduce(evolve, state.s);
    last = events.at(-1)?.id ?? last;
  }
  return last;
}

const identifyAndAssess: RiskCommand[] = [
  {
    type: 'IdentifyRisk',
    riskId: 'r1',
    systemId: 'credit-scoring',
    source: { kind: 'annex-c', id: 'machine-learning' },
    description: 'Scores drift',
    owner: 'rita',
    by: erin,
    at,
  },
  {
    type: 'AssessRisk',
    inherent: { likelihood: 'likely', consequence: 'moderate' },
    rationale: 'bias audit',
    criteria: { version: 1, content: DEFAULT_RISK_CRITERIA },
    by: erin,
    at,
  },
];

const vouch = (
  eventId: string,
  blockers: string[],
  more: Partial<Extract<EvidenceVouch, { kind: 'risk-posture' }>> = {},
): EvidenceVouch => ({
  kind: 'risk-posture',
  stream: 'risk-r1',
  eventId,
  riskId: 'r1',
  level: 'high',
  blockers,
  changedAt: new Date().toISOString(),
  ...more,
});

describe("a risk posture vouched for by the risk's evidence", () => {
  it('given a risk assessed above appetite, when its posture is sent as its evidence gives it, then it is vouched for by its cause', async () => {
    const cause = await record({ s: null }, identifyAndAssess);
    const outcome = await checkVouch(store, POLICY, SYSTEM, vouch(cause, ['above-appetite-not-accepted']));
    expect(outcome).toMatchObject({ ok: true, vouchedBy: { kind: 'evidence', stream: 'risk-r1', eventId: cause } });
  });

  it('given the same risk, when a clear posture, another level, an unknown cause, another risk or a future date is sent, then each is refused', async () => {
    const cause = await record({ s: null }, identifyAndAssess);
    const refused = async (v: EvidenceVouch): Promise<unknown> => (await checkVouch(store, POLICY, SYSTEM, v)).ok;
    expect(await refused(vouch(cause, []))).toBe(false);
    expect(await refused(vouch(cause, ['above-appetite-not-accepted'], { level: 'low' }))).toBe(false);
    expect(await refused(vouch(randomUUID(), ['above-appetite-not-accepted']))).toBe(false);
    expect(await refused(vouch(cause, ['above-appetite-not-accepted'], { riskId: 'r2' }))).toBe(false);
    expect(await refused(vouch(cause, ['above-appetite-not-accepted'], { stream: 'risk-r2' }))).toBe(false);
    expect(await refused(vouch(cause, ['above-appetite-not-accepted'], { changedAt: '2999-01-01T00:00:00Z' }))).toBe(false);
  });

  it('given a posture the risk has since moved on from, when it is sent again, then it is refused; the current one is vouched for', async () => {
    const state = { s: null as RiskState };
    const assessed = await record(state, identifyAndAssess);
    // reviewed, retained, residual level accepted by the AIMS owner: no blocker any more
    const accepted = await record(state, [
      { type: 'DecideRiskTask', taskId: 'r1-risk-assessment-review-1-1', outcome: 'approved', reasons: [], by: rita, at },
      { type: 'PlanRiskTreatment', option: 'retain', annexAControlIds: [], ownControls: [], actions: [], by: rita, at },
      {
        type: 'DecideRiskTask',
        taskId: 'r1-risk-treatment-plan-approval-1-1',
        outcome: 'approved',
        reasons: [],
        by: { id: 'ravi', roles: ['risk_owner'] },
        at,
      },
      { type: 'RecordResidualRisk', residual: { likelihood: 'likely', consequence: 'moderate' }, rationale: 'retained', by: erin, at },
      {
        type: 'DecideRiskTask',
        taskId: 'r1-risk-acceptance-1-1',
        outcome: 'approved',
        reasons: [],
        by: { id: 'amara', roles: ['aims_owner'] },
        at,
      },
    ]);
    expect((await checkVouch(store, POLICY, SYSTEM, vouch(assessed, ['above-appetite-not-accepted']))).ok).toBe(false);
    expect((await checkVouch(store, POLICY, SYSTEM, vouch(accepted, []))).ok).toBe(true);
  });
});
