import { DEFAULT_LIFECYCLE_POLICY, INITIAL_AI_SYSTEM_STATE, lifecycleView, resolveLifecyclePolicy } from '../../../../domain/ai-system';
import { after, at, fieldsOf, given, issuesOf, owner, register, submitIa, thenError, thenEvents, types, when } from './scenario';

describe('AI system registration', () => {
  test('given nothing registered, when the system is registered, then it is recorded in stage registered with the default policy', () => {
    const result = when(INITIAL_AI_SYSTEM_STATE, register());
    const events = thenEvents(result);
    expect(types(events)).toEqual(['AiSystemRegistered']);
    const e = events[0];
    if (e.type !== 'AiSystemRegistered') throw new Error('unreachable');
    expect(e.by).toEqual({ id: 'olivia', role: 'engineer' });
    expect(e.policy).toEqual(DEFAULT_LIFECYCLE_POLICY);
    // monitoring thresholds default to the acceptance criteria
    expect(e.monitoringThresholds).toEqual(e.acceptanceCriteria);
    const state = after(INITIAL_AI_SYSTEM_STATE, result);
    expect(state.stage).toBe('registered');
    expect(lifecycleView(state)).toMatchObject({ systemId: 'credit-scoring', stage: 'registered', openTasks: [], versions: [] });
  });

  test('given nothing registered, when policy overrides are given, then they are merged over the defaults', () => {
    const events = thenEvents(
      when(
        INITIAL_AI_SYSTEM_STATE,
        register({
          policy: {
            escalationAfterMs: 1000,
            taskRoles: { deployment_approval: ['risk_owner'] },
            autoApproveRiskTiers: ['minimal', 'limited'],
          },
        }),
      ),
    );
    const e = events[0];
    if (e.type !== 'AiSystemRegistered') throw new Error('unreachable');
    expect(e.policy.escalationAfterMs).toBe(1000);
    expect(e.policy.taskRoles.deployment_approval).toEqual(['risk_owner']);
    expect(e.policy.taskRoles.validation_sign_off).toEqual(['validator']);
    expect(e.policy.autoApproveRiskTiers).toEqual(['minimal', 'limited']);
  });

  test('given a registered system, when it is registered again, then AI_SYSTEM_ALREADY_REGISTERED', () => {
    thenError(when(given(register()), register()), 'AI_SYSTEM_ALREADY_REGISTERED');
  });

  test('given nothing registered, when any other command arrives, then AI_SYSTEM_NOT_REGISTERED', () => {
    thenError(when(INITIAL_AI_SYSTEM_STATE, submitIa()), 'AI_SYSTEM_NOT_REGISTERED');
  });

  test('when required fields are missing or malformed, then VALIDATION_FAILED lists every problem', () => {
    const error = thenError(
      when(
        INITIAL_AI_SYSTEM_STATE,
        register({
          name: '',
          riskTier: 'extreme' as never,
          acceptanceCriteria: [
            { metric: 'auc', direction: 'upwards' as never, threshold: Number.NaN },
            { metric: 'auc', direction: 'higher_is_better', threshold: 1 },
          ],
        }),
      ),
      'VALIDATION_FAILED',
    );
    expect(issuesOf(error)).toEqual([
      { field: 'name', problem: 'must be a non-empty string' },
      { field: 'riskTier', problem: 'must be one of: minimal, limited, high, unacceptable' },
      { field: 'acceptanceCriteria[0].direction', problem: 'must be one of: higher_is_better, lower_is_better' },
      { field: 'acceptanceCriteria[0].threshold', problem: 'must be a finite number' },
      { field: 'acceptanceCriteria', problem: 'names the metric auc more than once' },
    ]);
    expect(error.message).toContain('RegisterAiSystem is invalid: name must be a non-empty string; riskTier must be one of');
  });

  test('when no acceptance criterion is given, then VALIDATION_FAILED', () => {
    expect(fieldsOf(thenError(when(INITIAL_AI_SYSTEM_STATE, register({ acceptanceCriteria: [] })), 'VALIDATION_FAILED'))).toEqual([
      'acceptanceCriteria',
    ]);
  });

  test('when a third-party model names no supplier, then VALIDATION_FAILED (A.10.3 needs the supplier)', () => {
    const error = thenError(
      when(INITIAL_AI_SYSTEM_STATE, register({ provider: { kind: 'third_party_api', supplier: null } })),
      'VALIDATION_FAILED',
    );
    expect(fieldsOf(error)).toEqual(['provider.supplier']);
    thenEvents(when(INITIAL_AI_SYSTEM_STATE, register({ provider: { kind: 'deployed', supplier: 'Model Vendor Ltd' } })));
  });

  test('when the timestamp is not ISO-8601, then VALIDATION_FAILED', () => {
    expect(fieldsOf(thenError(when(INITIAL_AI_SYSTEM_STATE, register({ at: 'yesterday' })), 'VALIDATION_FAILED'))).toEqual(['at']);
  });

  test('when the actor has no role or an unknown role, then INVALID_ACTOR', () => {
    thenError(when(INITIAL_AI_SYSTEM_STATE, register({ by: { id: 'x', roles: [] } })), 'INVALID_ACTOR');
    thenError(when(INITIAL_AI_SYSTEM_STATE, register({ by: { id: 'x', roles: ['wizard' as never] } })), 'INVALID_ACTOR');
    thenError(when(INITIAL_AI_SYSTEM_STATE, register({ by: undefined as never })), 'INVALID_ACTOR');
  });

  test('when the policy would auto-approve unacceptable risk or has a bad duration, then INVALID_POLICY lists both', () => {
    const error = thenError(
      when(INITIAL_AI_SYSTEM_STATE, register({ policy: { autoApproveRiskTiers: ['unacceptable'], escalationAfterMs: -5 } })),
      'INVALID_POLICY',
    );
    expect(fieldsOf(error)).toEqual(['policy.autoApproveRiskTiers', 'policy.escalationAfterMs']);
  });

  test('resolveLifecyclePolicy rejects unknown task kinds and roles', () => {
    const r = resolveLifecyclePolicy({ taskRoles: { deployment_approval: ['wizard' as never] }, taskResponseTimeMs: { nope: 5 } as never });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(issuesOf(r.error)).toEqual(
        expect.arrayContaining([
          { field: 'taskRoles.deployment_approval', problem: 'names an unknown role among wizard' },
          { field: 'taskResponseTimeMs.nope', problem: expect.stringContaining('is not a task kind') },
        ]),
      );
    }
  });

  test('given an owner holding several roles, the event records the role acted under', () => {
    const e = thenEvents(when(INITIAL_AI_SYSTEM_STATE, register({ by: { id: 'z', roles: ['auditor', 'aims_owner'] }, at: at(0) })))[0];
    expect(e.by).toEqual({ id: 'z', role: 'aims_owner' });
    expect(owner.roles).toEqual(['engineer']);
  });
});
