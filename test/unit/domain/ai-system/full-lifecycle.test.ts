import {
  eventActor,
  eventData,
  evolve,
  execute,
  commandRefusal,
  INITIAL_AI_SYSTEM_STATE,
  ISO_42001_REFERENCES,
  lifecycleView,
  modelVersionsView,
  replay,
  stateAsJson,
  type AiSystemCommand,
  type AiSystemEvent,
  type AiSystemState,
} from '../../../../domain/ai-system';
import {
  approver,
  approver2,
  at,
  completeDeployment,
  decideTask,
  DIGEST_B,
  evaluate,
  givenScenario,
  operator,
  owner,
  propose,
  recordValidation,
  register,
  registered,
  requestDeployment,
  submitIa,
  thenError,
  toProduction,
  validator,
  when,
} from './scenario';

const wholeLife: AiSystemCommand[] = [
  register(),
  submitIa(),
  decideTask('task-IA-1', 'rejected', approver, 2, ['group impacts missing']),
  submitIa('IA-2', 'task-IA-2', 2),
  decideTask('task-IA-2', 'approved', approver, 2),
  ...toProduction()
    .slice(3)
    .map((c) => c),
  {
    type: 'RecordMonitoringReport',
    reportId: 'R-1',
    window: { from: at(11), to: at(20) },
    metrics: [{ metric: 'auc', value: 0.75 }],
    by: operator,
    at: at(20),
  },
  { type: 'RecordMonitoringReviewDue', reviewTaskId: 'task-review-1', at: at(21) },
  decideTask('task-review-1', 'approved', owner, 22),
  propose('1.1.0', DIGEST_B, 23),
  recordValidation('V-2', '1.1.0', DIGEST_B, undefined, 24),
  evaluate('V-2', 'task-signoff-V-2', 25),
  decideTask('task-signoff-V-2', 'approved', validator, 26),
  requestDeployment('D-2', '1.1.0', DIGEST_B, 27),
  decideTask('task-deploy-D-2', 'approved', approver2, 28),
  completeDeployment('D-2', 29),
  {
    type: 'RecordChange',
    changeId: 'CH-1',
    description: 'New market',
    significant: true,
    amendments: { intendedUse: 'Also SMEs' },
    by: owner,
    at: at(30),
  },
  { type: 'RequestDecommissioning', requestId: 'DC-1', reason: 'Platform retired', approvalTaskId: 'task-DC-1', by: owner, at: at(31) },
  decideTask('task-DC-1', 'approved', approver, 32),
  {
    type: 'CompleteDecommissioning',
    dataRetention: { decision: 'delete', retainUntil: null, justification: 'no legal hold' },
    by: operator,
    at: at(33),
  },
];

describe('the whole lifecycle, registered to decommissioned', () => {
  const { state, events } = givenScenario(...wholeLife);

  test('the stages are visited in order, each transition recorded as LifecycleStageChanged', () => {
    const transitions = events.filter(
      (e): e is Extract<AiSystemEvent, { type: 'LifecycleStageChanged' }> => e.type === 'LifecycleStageChanged',
    );
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'registered->impact_assessment',
      'impact_assessment->validation',
      'validation->deployment_approval',
      'deployment_approval->in_production',
      'in_production->validation',
      'validation->deployment_approval',
      'deployment_approval->in_production',
      'in_production->impact_assessment',
      'impact_assessment->decommissioning',
      'decommissioning->decommissioned',
    ]);
    expect(state.stage).toBe('decommissioned');
    expect(modelVersionsView(state).map((v) => [v.modelVersion, v.status])).toEqual([
      ['1.0.0', 'retired'],
      ['1.1.0', 'retired'],
    ]);
    expect(lifecycleView(state).openTasks).toEqual([]);
  });

  test('replaying the events rebuilds exactly the same state', () => {
    expect(replay(events)).toEqual(state);
  });

  test('state and every event survive a JSON round trip unchanged (they travel through Temporal payloads)', () => {
    expect(JSON.parse(JSON.stringify(stateAsJson(state)))).toEqual(state);
    for (const e of events) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  test('every event says who and when, and names the clauses it evidences', () => {
    for (const e of events) {
      expect(eventActor(e).id.length).toBeGreaterThan(0);
      expect(typeof eventActor(e).role).toBe('string');
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
      expect(ISO_42001_REFERENCES[e.type].length).toBeGreaterThan(0);
      expect(eventData(e)).not.toHaveProperty('type');
    }
  });

  test('evolve never mutates its input', () => {
    let s: AiSystemState = INITIAL_AI_SYSTEM_STATE;
    for (const e of events) {
      const frozen = deepFreeze(structuredClone(s));
      const next = evolve(frozen, e);
      expect(frozen).toEqual(s);
      s = next;
    }
  });

  test('decide is deterministic: the same command on the same state gives the same events', () => {
    const pre = replay(events.slice(0, 5));
    const c = wholeLife[5];
    expect(execute(c, pre)).toEqual(execute(c, pre));
  });
});

describe('evolve is total', () => {
  test('an event that cannot apply to an unregistered system leaves it unchanged', () => {
    const e: AiSystemEvent = {
      type: 'LifecycleStageChanged',
      from: 'registered',
      to: 'validation',
      cause: 'x',
      by: { id: 'x', role: 'system' },
      at: at(1),
    };
    expect(evolve(INITIAL_AI_SYSTEM_STATE, e)).toBe(INITIAL_AI_SYSTEM_STATE);
  });

  test('an event of an unknown type leaves the state unchanged', () => {
    const { state } = givenScenario(register());
    expect(evolve(state, { type: 'SomethingElse', by: { id: 'x', role: 'system' }, at: at(1) } as never)).toBe(state);
  });

  test('a second registration event leaves a registered system unchanged', () => {
    const { state, events } = givenScenario(register());
    expect(evolve(state, events[0])).toBe(state);
  });
});

describe('commandRefusal, for Update validators', () => {
  test('is null for an acceptable command and the typed error otherwise, without changing the state', () => {
    const { state } = givenScenario(register(), submitIa());
    const before = JSON.stringify(state);
    expect(commandRefusal(decideTask('task-IA-1', 'approved', approver, 2), state)).toBeNull();
    expect(commandRefusal(decideTask('task-IA-1', 'approved', owner, 2), state)?.code).toBe('MISSING_ROLE');
    expect(JSON.stringify(state)).toBe(before);
    expect(registered(state).stage).toBe('impact_assessment');
    thenError(when(state, { type: 'Nonsense', at: at(1) } as never), 'INVALID_ACTOR');
    thenError(when(state, { type: 'Nonsense', by: owner, at: at(1) } as never), 'UNKNOWN_COMMAND');
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
