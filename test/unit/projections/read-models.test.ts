/**
 * The read models' pure folds, fed with evidence the domain itself produces (histories built by the real
 * deciders), checked against the domain's own answers.
 */
import { hasOverdueActions, replay as replayNonconformity, type Nonconformity } from '../../../domain/nonconformity';
import type { RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import type { Projected, ReadModelDefinition } from '../../../infra/ports/read-model-store.port';
import {
  AI_SYSTEM_INVENTORY,
  HUMAN_TASKS,
  NONCONFORMITIES,
  type AiSystemInventoryRow,
  type HumanTaskRow,
  type NonconformityRow,
} from '../../../infra/projections/read-models';
import { approver, decideTask, givenScenario, register, submitIa, toProduction } from '../domain/ai-system/scenario';
import {
  analyse,
  approve,
  approvedPlanHistory,
  complete,
  contain,
  day,
  history,
  NC,
  plan,
  raise,
} from '../domain/nonconformity/nonconformity-fixtures';
import { EvidenceLog } from '../../support/recorded-events';

/** Folds the events into the rows of one read model, as the projector does. */
function fold<Row, State>(model: ReadModelDefinition<Row, State>, events: RecordedEvidenceEvent[]): Map<string, Row> {
  const rows = new Map<string, Projected<Row, State>>();
  for (const event of events) {
    const key = model.keyOf(event);
    if (key === null) continue;
    const next = model.apply(rows.get(key) ?? null, event);
    if (next === null) rows.delete(key);
    else rows.set(key, JSON.parse(JSON.stringify(next)) as Projected<Row, State>);
  }
  return new Map([...rows].map(([k, v]) => [k, v.row]));
}

describe('AI-system inventory read model', () => {
  it('given a system taken to production, when projected, then the row shows its profile, stage and versions as the lifecycle does', () => {
    const { state, events } = givenScenario(...toProduction());
    const log = new EvidenceLog();
    log.record('ai-system-credit-scoring', events);
    const rows = fold(AI_SYSTEM_INVENTORY, log.events);
    const row = rows.get('credit-scoring') as AiSystemInventoryRow;
    expect(state.stage).toBe('in_production');
    expect(row).toMatchObject({
      systemId: 'credit-scoring',
      stream: 'ai-system-credit-scoring',
      name: 'Credit scoring assistant',
      owner: 'olivia',
      provider: { kind: 'in_house', supplier: null },
      riskTier: 'high',
      stage: 'in_production',
      productionVersion: '1.0.0',
      openTaskCount: 0,
      lastPosition: log.events.length,
      lastRevision: log.events.length - 1,
      updatedAt: log.events[log.events.length - 1]?.recordedAt,
    });
    expect(row.versions).toEqual([expect.objectContaining({ modelVersion: '1.0.0', status: 'in_production' })]);
  });

  it('given events of other categories, when projected, then they make no inventory row', () => {
    const log = new EvidenceLog();
    log.record('ai-systemx-1', [{ type: 'AiSystemRegistered' }]);
    log.record('nonconformity-1', [{ type: 'NonconformityRaised' }]);
    expect(fold(AI_SYSTEM_INVENTORY, log.events).size).toBe(0);
  });

  it('given a stream whose first event is not a registration, when projected, then no row appears until it is registered', () => {
    const log = new EvidenceLog();
    log.record('ai-system-ghost', [
      {
        type: 'LifecycleStageChanged',
        from: 'registered',
        to: 'validation',
        cause: 'x',
        by: { id: 'a', role: 'engineer' },
        at: '2025-01-01T00:00:00.000Z',
      },
    ]);
    expect(fold(AI_SYSTEM_INVENTORY, log.events).size).toBe(0);
  });
});

describe('human tasks read model', () => {
  it('given an assessment submitted for review, when projected, then an open task names who may decide and when it is due', () => {
    const { events } = givenScenario(register(), submitIa());
    const log = new EvidenceLog();
    log.record('ai-system-credit-scoring', events);
    const rows = fold(HUMAN_TASKS, log.events);
    expect([...rows.keys()]).toEqual(['ai-system-credit-scoring/task-IA-1']);
    expect(rows.get('ai-system-credit-scoring/task-IA-1')).toMatchObject({
      taskId: 'task-IA-1',
      aiSystemId: 'credit-scoring',
      kind: 'impact_assessment_review',
      status: 'open',
      requestedBy: 'olivia',
      subject: { type: 'impact_assessment', assessmentId: 'IA-1' },
    });
    const row = rows.get('ai-system-credit-scoring/task-IA-1') as HumanTaskRow;
    expect(row.eligibleRoles).toEqual(row.requiredRoles);
    expect(row.requiredRoles.length).toBeGreaterThan(0);
  });

  it('given the task decided, when projected, then the row is closed with the decision', () => {
    const { events } = givenScenario(register(), submitIa(), decideTask('task-IA-1', 'approved', approver, 2));
    const log = new EvidenceLog();
    log.record('ai-system-credit-scoring', events);
    const row = fold(HUMAN_TASKS, log.events).get('ai-system-credit-scoring/task-IA-1') as HumanTaskRow;
    expect(row.status).toBe('decided');
    expect(row.decision).toMatchObject({ outcome: 'approved', by: { id: 'alice' } });
    expect(row.closedAt).not.toBeNull();
  });

  it('given an escalation, when projected, then the escalation role may decide too', () => {
    const log = new EvidenceLog();
    const by = { id: 'system', role: 'system' };
    log.record('ai-system-x', [
      {
        type: 'HumanTaskOpened',
        taskId: 't1',
        kind: 'deployment_approval',
        requiredRoles: ['approver'],
        subject: { type: 'deployment' },
        requestedBy: 'dev',
        dueAt: '2025-03-02T00:00:00.000Z',
        by,
        at: '2025-03-01T00:00:00.000Z',
      },
      {
        type: 'HumanTaskReminderSent',
        taskId: 't1',
        dueAt: '2025-03-02T00:00:00.000Z',
        notifiedRoles: ['approver'],
        by,
        at: '2025-03-02T00:00:00.000Z',
      },
      { type: 'HumanTaskEscalated', taskId: 't1', escalatedTo: 'aims_owner', by, at: '2025-03-04T00:00:00.000Z' },
    ]);
    const row = fold(HUMAN_TASKS, log.events).get('ai-system-x/t1') as HumanTaskRow;
    expect(row).toMatchObject({
      status: 'open',
      reminderSentAt: '2025-03-02T00:00:00.000Z',
      escalatedTo: 'aims_owner',
      eligibleRoles: ['approver', 'aims_owner'],
    });
  });

  it('given a decision for a task never opened, or an opened task without a task id, when projected, then nothing appears', () => {
    const log = new EvidenceLog();
    log.record('ai-system-x', [
      { type: 'HumanTaskDecided', taskId: 'nope', kind: 'x', outcome: 'approved', reasons: [] },
      { type: 'HumanTaskOpened', kind: 'x', requiredRoles: ['approver'], dueAt: '2025-03-02T00:00:00.000Z' },
    ]);
    expect(fold(HUMAN_TASKS, log.events).size).toBe(0);
  });
});

describe('nonconformities read model', () => {
  const stream = `nonconformity-${NC}`;

  it('given an approved plan with two open actions, when projected, then the row lists them and the earliest due instant', () => {
    const events = approvedPlanHistory();
    const log = new EvidenceLog();
    log.record(stream, events);
    const row = fold(NONCONFORMITIES, log.events).get(NC) as NonconformityRow;
    expect(row).toMatchObject({ nonconformityId: NC, status: 'actions_in_progress', severity: 'major', aiSystemIds: ['credit-scoring'] });
    expect(row.openActions.map((a) => a.actionId)).toEqual(['act-retrain', 'act-drift-alert']);
    expect(row.nextActionDueAt).toBe(day(10));
  });

  it.each([day(5), day(10), day(12), day(30)])(
    'given "now" is %s, when overdue is asked of the row, then it agrees with the domain',
    (now) => {
      const events = approvedPlanHistory();
      const log = new EvidenceLog();
      log.record(stream, events);
      const row = fold(NONCONFORMITIES, log.events).get(NC) as NonconformityRow;
      const state = replayNonconformity(events) as Nonconformity;
      const overdueByRow = row.nextActionDueAt !== null && row.nextActionDueAt <= now;
      expect(overdueByRow).toBe(hasOverdueActions(state, now));
    },
  );

  it('given one action completed, when projected, then only the other stays open', () => {
    const log = new EvidenceLog();
    log.record(stream, history(raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(4))));
    const row = fold(NONCONFORMITIES, log.events).get(NC) as NonconformityRow;
    expect(row.openActions.map((a) => a.actionId)).toEqual(['act-drift-alert']);
    expect(row.nextActionDueAt).toBe('2025-03-21T00:00:00.000Z');
  });
});
