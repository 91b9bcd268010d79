/**
 * The read models' pure folds, fed with evidence the domain itself produces (histories built by the real
 * deciders), checked against the domain's own answers.
 */
import {
  hasOverdueActions,
  NONCONFORMITY_COMMAND_ROLES,
  openTasksOf,
  replay as replayNonconformity,
  type Nonconformity,
  type NonconformityEvent,
} from '../../../domain/nonconformity';
import type { RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import type { AnyReadModel, Projected, ReadModelDefinition } from '../../../infra/ports/read-model-store.port';
import { keysTouched, projectBatch, type LoadedRows } from '../../../infra/projections/project-batch';
import {
  AI_SYSTEM_INVENTORY,
  HUMAN_TASKS,
  NONCONFORMITIES,
  NONCONFORMITY_TASK_COMMANDS,
  nonconformityTaskId,
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
  reject,
  review,
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

describe('nonconformity work items in the human-task read model', () => {
  const stream = `nonconformity-${NC}`;
  const MODELS = [NONCONFORMITIES, HUMAN_TASKS] as readonly AnyReadModel[];

  /** The task rows derived from a nonconformity's history, as one projector batch derives them, by task id. */
  function tasksOf(events: NonconformityEvent[]): Map<string, HumanTaskRow> {
    const log = new EvidenceLog();
    log.record(stream, events);
    const loaded: LoadedRows = new Map(
      [...keysTouched(MODELS, log.events)].map(([name, keys]) => [name, new Map([...keys].map((k) => [k, null]))]),
    );
    const outcome = projectBatch(MODELS, log.events, loaded, 0);
    expect(outcome.skipped).toEqual([]);
    const rows = outcome.derived.get('human_tasks')?.get(`nonconformities/${NC}`) ?? [];
    for (const { key, row } of rows) expect(key).toBe(`${stream}/${(row as HumanTaskRow).taskId}`);
    return new Map(rows.map(({ row }) => [(row as HumanTaskRow).taskId, row as HumanTaskRow]));
  }

  const open = (tasks: Map<string, HumanTaskRow>) => [...tasks.values()].filter((t) => t.status === 'open');

  it('given a raised nonconformity, when projected, then its containment is an open task for the roles that take it, without a due date', () => {
    const tasks = tasksOf(history(raise()));
    expect([...tasks.keys()]).toEqual([`${NC}:containment`]);
    expect(tasks.get(`${NC}:containment`)).toMatchObject({
      stream,
      kind: 'containment',
      status: 'open',
      aiSystemId: null,
      aiSystemIds: ['credit-scoring'],
      eligibleRoles: ['aims_owner', 'risk_owner', 'engineer'],
      assignee: null,
      dueAt: null,
      openedAt: day(0),
      subject: { nonconformityId: NC, title: 'Credit model recall below threshold' },
    });
  });

  it('given a plan awaiting its decision, when projected, then the decision is open and names the plan author, whom segregation of duties excludes', () => {
    const tasks = tasksOf(history(raise(), contain(), analyse(), plan()));
    expect(open(tasks).map((t) => [t.taskId, t.kind])).toEqual([[`${NC}:plan-decision:plan-1`, 'plan_decision']]);
    expect(tasks.get(`${NC}:plan-decision:plan-1`)).toMatchObject({
      requestedBy: 'erin',
      eligibleRoles: ['aims_owner', 'risk_owner'],
      subject: { planId: 'plan-1', round: 1 },
    });
    expect(tasks.get(`${NC}:containment`)).toMatchObject({
      status: 'decided',
      decision: { outcome: 'recorded', by: { id: 'erin', role: 'engineer' }, at: day(0.1) },
    });
    expect(tasks.get(`${NC}:root-cause-analysis-1`)).toMatchObject({ status: 'decided', decision: { outcome: 'submitted' } });
    expect(tasks.get(`${NC}:corrective-action-plan-1`)).toMatchObject({
      status: 'decided',
      decision: { outcome: 'submitted', at: day(2) },
    });
  });

  it('given an approved plan, when projected, then each corrective action is open, assigned to its owner and due when the action is', () => {
    const tasks = tasksOf(approvedPlanHistory());
    expect(tasks.get(`${NC}:plan-decision:plan-1`)).toMatchObject({
      status: 'decided',
      decision: { outcome: 'approved', by: { id: 'ana' } },
    });
    expect(open(tasks).map((t) => [t.taskId, t.assignee, t.eligibleRoles, t.dueAt])).toEqual([
      [`${NC}:action:act-retrain`, 'erin', [], day(10)],
      [`${NC}:action:act-drift-alert`, 'omar', [], '2025-03-21T00:00:00.000Z'],
    ]);
  });

  it('given an overdue action escalated, when projected, then the AIMS owner may complete it too', () => {
    const events = history(
      raise(),
      contain(),
      analyse(),
      plan(),
      approve(),
      { type: 'MarkCorrectiveActionOverdue', nonconformityId: NC, at: day(10.5), actionId: 'act-retrain' },
      { type: 'EscalateCorrectiveAction', nonconformityId: NC, at: day(12), actionId: 'act-retrain', escalatedTo: 'aims_owner' },
    );
    expect(tasksOf(events).get(`${NC}:action:act-retrain`)).toMatchObject({
      status: 'open',
      assignee: 'erin',
      eligibleRoles: ['aims_owner'],
      escalatedTo: 'aims_owner',
      escalatedAt: day(12),
    });
  });

  it('given a correction found ineffective, when projected, then the review is decided and the next round awaits its analysis', () => {
    const events = history(
      raise(),
      contain(),
      analyse(),
      plan(),
      approve(),
      complete('act-retrain', day(4)),
      complete('act-drift-alert', day(5)),
      review('ineffective', day(40)),
    );
    const tasks = tasksOf(events);
    expect(tasks.get(`${NC}:effectiveness-review-1`)).toMatchObject({
      status: 'decided',
      requestedBy: 'erin',
      decision: { outcome: 'ineffective', by: { id: 'rolf' } },
    });
    expect(open(tasks).map((t) => [t.taskId, t.kind])).toEqual([[`${NC}:root-cause-analysis-2`, 'root_cause_analysis']]);
  });

  it.each([
    ['raised', () => history(raise())],
    ['contained', () => history(raise(), contain())],
    ['analysed', () => history(raise(), contain(), analyse())],
    ['plan submitted', () => history(raise(), contain(), analyse(), plan())],
    ['plan rejected', () => history(raise(), contain(), analyse(), plan(), reject())],
    ['actions in progress', () => approvedPlanHistory()],
    [
      'under effectiveness review',
      () => history(raise(), contain(), analyse(), plan(), approve(), complete('act-retrain', day(4)), complete('act-drift-alert', day(5))),
    ],
  ])(
    "given a nonconformity %s, when projected, then its open tasks are the domain's, with the same roles, assignee and excluded person",
    (_name, events) => {
      const recorded = events();
      const expected = openTasksOf(replayNonconformity(recorded)).map((t) => ({
        kind: t.step,
        eligibleRoles: t.roles,
        assignee: t.assignee,
        excluded: t.excludedActorIds,
      }));
      const actual = open(tasksOf(recorded)).map((t) => ({
        kind: t.kind,
        eligibleRoles: t.eligibleRoles,
        assignee: t.assignee,
        excluded: t.requestedBy === null ? [] : [t.requestedBy],
      }));
      expect(actual).toEqual(expected);
    },
  );

  it('given work items done, when projected, then each keeps the roles of the command that does it', () => {
    const tasks = tasksOf(approvedPlanHistory());
    for (const task of [...tasks.values()].filter((t) => t.status === 'decided')) {
      const command = NONCONFORMITY_TASK_COMMANDS[task.kind as keyof typeof NONCONFORMITY_TASK_COMMANDS];
      expect({ kind: task.kind, roles: task.eligibleRoles }).toEqual({ kind: task.kind, roles: NONCONFORMITY_COMMAND_ROLES[command] });
    }
  });

  it('given ids too long or odd for a task id, when a task id is made, then it is a hash that still names one task', () => {
    expect(nonconformityTaskId('nc-1', 'action:a--b')).toMatch(/^nct-[0-9a-f]{40}$/);
    expect(nonconformityTaskId('n'.repeat(120), 'containment')).toMatch(/^nct-[0-9a-f]{40}$/);
    expect(nonconformityTaskId('nc-1', 'action:a--b')).not.toBe(nonconformityTaskId('nc-1', 'action:a---b'));
    expect(nonconformityTaskId('nc-1', 'containment')).toBe('nc-1:containment');
  });
});
