/**
 * The nonconformity workflow on a real Temporal dev server, with a real worker and a real SQLite evidence
 * store: each case walks the corrective-action path as the people who would walk it, then checks the
 * evidence stream (each step exactly once, reproducing the state, chain intact). Durations are seconds.
 * With AIMS_RECORD_HISTORIES=1 the runs' histories are saved as replay fixtures.
 */
import { randomUUID } from 'node:crypto';
import {
  approveCorrectiveActionPlanUpdate,
  completeCorrectiveActionUpdate,
  recordContainmentUpdate,
  recordEffectivenessReviewUpdate,
  rejectCorrectiveActionPlanUpdate,
  submitCorrectiveActionPlanUpdate,
  submitRootCauseAnalysisUpdate,
} from '../../../workflows/nonconformity.workflow';
import type { Nonconformity } from '../../../domain/nonconformity';
import {
  eventually,
  expectEvidence,
  expectRefused,
  inSeconds,
  LIFECYCLE_ACTOR,
  openTasksOf,
  people,
  raisedInput,
  readStream,
  reviewAnnounced,
  runHistories,
  saveHistoryFixtures,
  startHarness,
  startNonconformity,
  stateOf,
  updateId,
  type Harness,
  type NonconformityHandle,
} from './nonconformity-harness';

const contain = (by: (typeof people)[keyof typeof people]) => ({
  by,
  actions: ['Routed low-confidence decisions to manual review'],
  evidenceRefs: ['ticket-9001'],
});
const analyse = (by: (typeof people)[keyof typeof people]) => ({
  by,
  method: 'five_whys' as const,
  causes: ['Training data predates the 2024 product change'],
  contributingFactors: ['No drift alert on input distribution'],
});
const review = (by: (typeof people)[keyof typeof people], outcome: 'effective' | 'ineffective') => ({
  by,
  outcome,
  findings: outcome === 'effective' ? 'Recall stayed above 0.80 since the correction' : 'Recall fell to 0.76 again',
  evidenceRefs: ['monitoring-report-91'],
});

describe('nonconformity workflow on a real Temporal dev server with a real SQLite evidence store', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('given a monitoring breach in an AI system, when its nonconformity is contained, analysed, corrected and found effective, then it closes with evidence linked to the breach', async () => {
    // given: the breach's nonconformity, as the lifecycle workflow opens it in the AI system's stream (the
    // raise must name that evidence: it is what vouches for a raise nobody signed)
    const id = `nc-breach-${h.runTag}`;
    const breachId = randomUUID();
    await h.store.append('ai-system-credit-scoring', [
      {
        id: breachId,
        type: 'NonconformityOpened',
        data: {
          nonconformityId: id,
          source: { type: 'monitoring_breach', reportId: 'report-77', metric: 'recall' },
          description: 'recall 0.71 below 0.8',
        },
        metadata: { actor: LIFECYCLE_ACTOR, correlationId: 'ai-system-credit-scoring' },
      },
    ]);

    // when: the lifecycle raises the nonconformity, and people walk it to closure
    const handle = await startNonconformity(
      h,
      raisedInput(id, {
        by: undefined,
        openedBy: LIFECYCLE_ACTOR,
        aiSystemId: 'credit-scoring',
        triggeringEvidenceEventId: breachId,
        aiSystemIds: [],
      }),
    );
    // (Queries answer the recorded state: the raise is there once its evidence is.)
    await eventually(
      () => stateOf(handle),
      (s) => s !== null,
      'the nonconformity to be raised',
    );
    expect(await openTasksOf(handle)).toEqual([
      expect.objectContaining({ step: 'containment', updates: ['recordContainment'], roles: expect.arrayContaining(['engineer']) }),
    ]);
    await handle.executeUpdate(recordContainmentUpdate, { args: [contain(people.olga)] });
    await handle.executeUpdate(submitRootCauseAnalysisUpdate, { args: [analyse(people.erin)] });
    const plan = (driftAlertDue: string) => ({
      by: people.rolf,
      planId: 'plan-1',
      actions: [
        { actionId: 'act-retrain', description: 'Retrain on data from 2024 onwards', owner: 'erin', dueDate: inSeconds(3600) },
        { actionId: 'act-drift-alert', description: 'Add an input drift alert', owner: 'omar', dueDate: driftAlertDue },
      ],
    });
    // Due dates lie at most five years ahead (runs since NONCONFORMITY_BOUNDS_PATCH): refused, nothing recorded.
    await expect(handle.executeUpdate(submitCorrectiveActionPlanUpdate, { args: [plan('2099-12-31')] })).rejects.toMatchObject({
      cause: { type: 'VALIDATION_FAILED', message: expect.stringContaining('actions[1].dueDate must lie at most 5 years') },
    });
    await handle.executeUpdate(submitCorrectiveActionPlanUpdate, { args: [plan(inSeconds(365 * 86_400).slice(0, 10))] });
    expect(await openTasksOf(handle)).toEqual([
      expect.objectContaining({ step: 'plan_decision', planId: 'plan-1', roles: ['aims_owner', 'risk_owner'], excludedActorIds: ['rolf'] }),
    ]);
    await handle.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: people.ava, planId: 'plan-1', comment: 'Proceed' }] });
    expect(await openTasksOf(handle)).toEqual([
      expect.objectContaining({ step: 'corrective_action', actionId: 'act-retrain', assignee: 'erin', roles: [] }),
      expect.objectContaining({ step: 'corrective_action', actionId: 'act-drift-alert', assignee: 'omar', roles: [] }),
    ]);
    await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: people.erin, actionId: 'act-retrain', evidenceRefs: ['model-card-v7'] }],
    });
    const lastAction = await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: people.omar, actionId: 'act-drift-alert', evidenceRefs: ['alert-rule-12'] }],
    });
    expect(lastAction.recorded.map((r) => r.type)).toEqual(['CorrectiveActionCompleted', 'EffectivenessReviewScheduled']);
    await reviewAnnounced(handle);
    const closing = await handle.executeUpdate(recordEffectivenessReviewUpdate, { args: [review(people.vic, 'effective')] });

    // then
    expect(closing.nonconformity.status).toBe('closed');
    const result: Nonconformity = await handle.result();
    expect(result).toMatchObject({ status: 'closed', aiSystemIds: ['credit-scoring'], raisedBy: LIFECYCLE_ACTOR, reopenCount: 0 });
    const events = await expectEvidence(h, handle, id, {
      correlationId: 'ai-system-credit-scoring',
      firstCausationId: breachId,
      steps: [
        'NonconformityRaised',
        'ContainmentRecorded',
        'RootCauseAnalysisSubmitted r1',
        'CorrectiveActionPlanSubmitted r1 plan-1',
        'CorrectiveActionPlanApproved r1 plan-1',
        'CorrectiveActionCompleted r1 act-retrain',
        'CorrectiveActionCompleted r1 act-drift-alert',
        'EffectivenessReviewScheduled r1',
        'EffectivenessReviewDue r1',
        'EffectivenessReviewRecorded r1',
        'NonconformityClosed r1',
      ],
    });
    // Each step is attributed to whoever took it, under the role that allowed it.
    expect(events.map((e) => `${e.metadata.actor?.id}/${e.metadata.actor?.role}`)).toEqual([
      'aims:lifecycle/system',
      'olga/engineer',
      'erin/engineer',
      'rolf/risk_owner',
      'ava/aims_owner',
      'erin/engineer',
      'omar/engineer',
      'omar/engineer',
      'aims:nonconformity/system',
      'vic/validator',
      'vic/validator',
    ]);
    // The two streams link: the breach is still where the raise says its cause is.
    const [breach] = await readStream(h.store, 'ai-system-credit-scoring');
    expect(breach.id).toBe(events[0].metadata.causationId);
    expect(breach.metadata.correlationId).toBe(events[0].metadata.correlationId);
    await saveHistoryFixtures(h, handle, 'breach-to-closure');
  });

  it('given a submitted plan, when it is rejected and a revised plan is approved, then the revised plan is carried out and the nonconformity closes', async () => {
    // given
    const id = `nc-rejected-${h.runTag}`;
    const handle = await startNonconformity(h, raisedInput(id, { source: 'internal_audit_finding', sourceReference: 'audit-2025-q1-7' }));
    await handle.executeUpdate(recordContainmentUpdate, { args: [contain(people.ava)] });
    await handle.executeUpdate(submitRootCauseAnalysisUpdate, { args: [analyse(people.rolf)] });
    const planActions = [{ actionId: 'act-1', description: 'Retrain on recent data', owner: 'erin', dueDate: inSeconds(3600) }];
    await handle.executeUpdate(submitCorrectiveActionPlanUpdate, { args: [{ by: people.erin, planId: 'plan-1', actions: planActions }] });

    // when: rejected, then revised and approved
    await handle.executeUpdate(rejectCorrectiveActionPlanUpdate, {
      args: [{ by: people.rolf, planId: 'plan-1', reasons: ['No action addresses the missing drift alert'] }],
    });
    expect(await openTasksOf(handle)).toEqual([expect.objectContaining({ step: 'corrective_action_plan', round: 1 })]);
    await expectRefused(
      handle.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: people.ava, planId: 'plan-1' }] }),
      'INVALID_TRANSITION',
    );
    await handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
      args: [
        {
          by: people.erin,
          planId: 'plan-2',
          actions: [
            ...planActions,
            { actionId: 'act-2', description: 'Add an input drift alert', owner: 'erin', dueDate: inSeconds(3600) },
          ],
        },
      ],
    });
    await handle.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: people.ava, planId: 'plan-2' }] });
    await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: people.erin, actionId: 'act-1', evidenceRefs: ['model-card-v8'] }],
    });
    await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: people.erin, actionId: 'act-2', evidenceRefs: ['alert-rule-13'] }],
    });
    await reviewAnnounced(handle);
    await handle.executeUpdate(recordEffectivenessReviewUpdate, { args: [review(people.rolf, 'effective')] });

    // then
    const result = await handle.result();
    expect(result.status).toBe('closed');
    expect(result.rounds[0].plans.map((p) => [p.planId, p.decision?.outcome])).toEqual([
      ['plan-1', 'rejected'],
      ['plan-2', 'approved'],
    ]);
    await expectEvidence(h, handle, id, {
      correlationId: `nonconformity-${id}`,
      steps: [
        'NonconformityRaised',
        'ContainmentRecorded',
        'RootCauseAnalysisSubmitted r1',
        'CorrectiveActionPlanSubmitted r1 plan-1',
        'CorrectiveActionPlanRejected r1 plan-1',
        'CorrectiveActionPlanSubmitted r1 plan-2',
        'CorrectiveActionPlanApproved r1 plan-2',
        'CorrectiveActionCompleted r1 act-1',
        'CorrectiveActionCompleted r1 act-2',
        'EffectivenessReviewScheduled r1',
        'EffectivenessReviewDue r1',
        'EffectivenessReviewRecorded r1',
        'NonconformityClosed r1',
      ],
    });
    await saveHistoryFixtures(h, handle, 'plan-rejected-then-approved');
  });

  it('given an approved action that is not done in time, when its due date passes, then it is reminded, marked overdue and escalated to the AIMS owner, who may then complete it', async () => {
    // given: the late action is reminded 2 s before it falls due, and escalated 1 s after
    const id = `nc-overdue-${h.runTag}`;
    const handle = await startNonconformity(
      h,
      raisedInput(id, {
        severity: 'critical',
        timing: { effectivenessReviewDelay: 'PT1S', reminderLeadTime: 'PT2S', escalationDelay: 'PT1S' },
      }),
    );
    await handle.executeUpdate(recordContainmentUpdate, { args: [contain(people.olga)] });
    await handle.executeUpdate(submitRootCauseAnalysisUpdate, { args: [analyse(people.erin)] });
    await handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
      args: [
        {
          by: people.rolf,
          planId: 'plan-1',
          actions: [
            { actionId: 'act-late', description: 'Add an input drift alert', owner: 'omar', dueDate: inSeconds(6) },
            { actionId: 'act-on-time', description: 'Retrain on recent data', owner: 'erin', dueDate: inSeconds(3600) },
          ],
        },
      ],
    });
    await handle.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: people.ava, planId: 'plan-1' }] });

    // when: nobody completes act-late until the workflow's timers have escalated it
    const escalated = await eventually(
      () => stateOf(handle),
      (s) => (s?.rounds[0].plans[0].actions.find((a) => a.actionId === 'act-late')?.escalations.length ?? 0) > 0,
      'act-late to be escalated',
    );

    // then: the timers did their work, and the escalation's recipient may now complete the action
    const late = escalated?.rounds[0].plans[0].actions.find((a) => a.actionId === 'act-late');
    expect(late).toMatchObject({
      remindersIssuedAt: [expect.any(String)],
      overdueSince: expect.any(String),
      escalations: [{ escalatedTo: 'aims_owner', level: 1 }],
    });
    expect(await openTasksOf(handle)).toEqual([
      expect.objectContaining({ step: 'corrective_action', actionId: 'act-late', assignee: 'omar', roles: ['aims_owner'] }),
      expect.objectContaining({ step: 'corrective_action', actionId: 'act-on-time', assignee: 'erin', roles: [] }),
    ]);
    await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: people.erin, actionId: 'act-on-time', evidenceRefs: ['model-card-v9'] }],
    });
    await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [
        { by: people.ava, actionId: 'act-late', evidenceRefs: ['alert-rule-14'], note: 'Completed by the AIMS owner after escalation' },
      ],
    });
    await reviewAnnounced(handle);
    await handle.executeUpdate(recordEffectivenessReviewUpdate, { args: [review(people.vic, 'effective')] });
    expect((await handle.result()).status).toBe('closed');
    const events = await expectEvidence(h, handle, id, {
      correlationId: `nonconformity-${id}`,
      steps: [
        'NonconformityRaised',
        'ContainmentRecorded',
        'RootCauseAnalysisSubmitted r1',
        'CorrectiveActionPlanSubmitted r1 plan-1',
        'CorrectiveActionPlanApproved r1 plan-1',
        'CorrectiveActionReminderIssued r1 act-late',
        'CorrectiveActionOverdue r1 act-late',
        'CorrectiveActionEscalated r1 act-late',
        'CorrectiveActionCompleted r1 act-on-time',
        'CorrectiveActionCompleted r1 act-late',
        'EffectivenessReviewScheduled r1',
        'EffectivenessReviewDue r1',
        'EffectivenessReviewRecorded r1',
        'NonconformityClosed r1',
      ],
    });
    const byType = new Map(events.map((e) => [`${e.type} ${typeof e.data.actionId === 'string' ? e.data.actionId : ''}`, e]));
    expect(byType.get('CorrectiveActionEscalated act-late')?.data).toMatchObject({ escalatedTo: 'aims_owner', level: 1, owner: 'omar' });
    expect(byType.get('CorrectiveActionEscalated act-late')?.metadata.actor).toEqual({ id: 'aims:nonconformity', role: 'system' });
    expect(byType.get('CorrectiveActionCompleted act-late')?.metadata.actor).toEqual({ id: 'ava', role: 'aims_owner' });
    await saveHistoryFixtures(h, handle, 'overdue-escalated');
  });

  it('given a correction found ineffective, when the nonconformity is reopened and the second round works, then it closes after two rounds', async () => {
    // given: round 1 carried out
    const id = `nc-reopened-${h.runTag}`;
    const handle = await startNonconformity(h, raisedInput(id, { source: 'incident', sourceReference: 'incident-311' }));
    await handle.executeUpdate(recordContainmentUpdate, { args: [contain(people.olga)] });
    await handle.executeUpdate(submitRootCauseAnalysisUpdate, { args: [analyse(people.erin)] });
    await handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
      args: [
        {
          by: people.rolf,
          planId: 'plan-1',
          actions: [{ actionId: 'act-1', description: 'Retrain', owner: 'erin', dueDate: inSeconds(3600) }],
        },
      ],
    });
    await handle.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: people.ava, planId: 'plan-1' }] });
    await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: people.erin, actionId: 'act-1', evidenceRefs: ['model-card-v7'] }],
    });
    await reviewAnnounced(handle);

    // when: the review finds it ineffective
    const reopening = await handle.executeUpdate(recordEffectivenessReviewUpdate, { args: [review(people.vic, 'ineffective')] });

    // then: a second round opens with a new analysis, and its correction closes the nonconformity
    expect(reopening.recorded.map((r) => r.type)).toEqual(['EffectivenessReviewRecorded', 'NonconformityReopened']);
    expect(reopening.nonconformity).toMatchObject({ status: 'root_cause_analysis', reopenCount: 1 });
    expect(await openTasksOf(handle)).toEqual([expect.objectContaining({ step: 'root_cause_analysis', round: 2 })]);
    await handle.executeUpdate(submitRootCauseAnalysisUpdate, {
      args: [{ ...analyse(people.erin), causes: ['Retraining alone does not catch later drift'], similarNonconformityIds: [] }],
    });
    // An action id of an approved plan is never reused: its evidence is filed under it.
    await expectRefused(
      handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
        args: [
          {
            by: people.rolf,
            planId: 'plan-2',
            actions: [{ actionId: 'act-1', description: 'Retrain again', owner: 'erin', dueDate: inSeconds(3600) }],
          },
        ],
      }),
      'DUPLICATE_ID',
    );
    await handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
      args: [
        {
          by: people.rolf,
          planId: 'plan-2',
          actions: [{ actionId: 'act-2', description: 'Add a drift alert', owner: 'omar', dueDate: inSeconds(3600) }],
        },
      ],
    });
    await handle.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: people.ava, planId: 'plan-2' }] });
    await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: people.omar, actionId: 'act-2', evidenceRefs: ['alert-rule-15'] }],
    });
    await reviewAnnounced(handle);
    await handle.executeUpdate(recordEffectivenessReviewUpdate, { args: [review(people.vic, 'effective')] });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'closed', reopenCount: 1 });
    expect(result.rounds.map((r) => r.effectivenessReview?.result?.outcome)).toEqual(['ineffective', 'effective']);
    await expectEvidence(h, handle, id, {
      correlationId: `nonconformity-${id}`,
      steps: [
        'NonconformityRaised',
        'ContainmentRecorded',
        'RootCauseAnalysisSubmitted r1',
        'CorrectiveActionPlanSubmitted r1 plan-1',
        'CorrectiveActionPlanApproved r1 plan-1',
        'CorrectiveActionCompleted r1 act-1',
        'EffectivenessReviewScheduled r1',
        'EffectivenessReviewDue r1',
        'EffectivenessReviewRecorded r1',
        'NonconformityReopened r2',
        'RootCauseAnalysisSubmitted r2',
        'CorrectiveActionPlanSubmitted r2 plan-2',
        'CorrectiveActionPlanApproved r2 plan-2',
        'CorrectiveActionCompleted r2 act-2',
        'EffectivenessReviewScheduled r2',
        'EffectivenessReviewDue r2',
        'EffectivenessReviewRecorded r2',
        'NonconformityClosed r2',
      ],
    });
    await saveHistoryFixtures(h, handle, 'reopened-then-closed');
  });

  it('given people without the role, the plan author, the wrong owner or a premature review, when they act, then each update is refused at once and nothing is written', async () => {
    // given: a review period long enough to try a review before it is due
    const id = `nc-sod-${h.runTag}`;
    const stream = `nonconformity-${id}`;
    const handle = await startNonconformity(
      h,
      raisedInput(id, { timing: { effectivenessReviewDelay: 'PT3S', reminderLeadTime: 'PT1S', escalationDelay: 'PT1S' } }),
    );
    await eventually(
      () => stateOf(handle),
      (s) => s !== null,
      'the nonconformity to be raised',
    );
    const refusedIds: string[] = [];
    let accepted = 0;
    const accept = async <T>(run: (updateId: string) => Promise<T>): Promise<T> => {
      const result = await run(updateId());
      accepted += 1;
      return result;
    };
    /** Refused with `code`, with no evidence written and no trace in the workflow's history. */
    const refuse = async (code: string, run: (updateId: string) => Promise<unknown>): Promise<void> => {
      const before = await h.store.streamRevision(stream);
      const id = updateId();
      refusedIds.push(id);
      await expectRefused(run(id), code);
      expect(await h.store.streamRevision(stream)).toBe(before);
    };

    // when / then
    await refuse('MISSING_ROLE', (u) => handle.executeUpdate(recordContainmentUpdate, { updateId: u, args: [contain(people.aude)] }));
    await refuse('VALIDATION_FAILED', (u) =>
      handle.executeUpdate(recordContainmentUpdate, { updateId: u, args: [{ by: people.olga, actions: [] }] }),
    );
    await refuse('INVALID_ACTOR', (u) =>
      handle.executeUpdate(recordContainmentUpdate, {
        updateId: u,
        args: [{ by: { id: 'mallory', roles: ['superuser' as never] }, actions: ['x'] }],
      }),
    );
    await accept((u) => handle.executeUpdate(recordContainmentUpdate, { updateId: u, args: [contain(people.olga)] }));
    const planActions = [{ actionId: 'act-1', description: 'Retrain', owner: 'erin', dueDate: inSeconds(3600) }];
    await refuse('INVALID_TRANSITION', (u) =>
      handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
        updateId: u,
        args: [{ by: people.rita, planId: 'plan-1', actions: planActions }],
      }),
    );
    await accept((u) => handle.executeUpdate(submitRootCauseAnalysisUpdate, { updateId: u, args: [analyse(people.erin)] }));
    await accept((u) =>
      handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
        updateId: u,
        args: [{ by: people.rita, planId: 'plan-1', actions: planActions }],
      }),
    );
    // The plan's author may not decide on it, even holding an approving role.
    await refuse('SEGREGATION_OF_DUTIES', (u) =>
      handle.executeUpdate(approveCorrectiveActionPlanUpdate, { updateId: u, args: [{ by: people.rita, planId: 'plan-1' }] }),
    );
    await refuse('MISSING_ROLE', (u) =>
      handle.executeUpdate(approveCorrectiveActionPlanUpdate, { updateId: u, args: [{ by: people.olga, planId: 'plan-1' }] }),
    );
    await refuse('PLAN_NOT_PENDING', (u) =>
      handle.executeUpdate(approveCorrectiveActionPlanUpdate, { updateId: u, args: [{ by: people.ava, planId: 'plan-x' }] }),
    );
    await accept((u) =>
      handle.executeUpdate(approveCorrectiveActionPlanUpdate, { updateId: u, args: [{ by: people.ava, planId: 'plan-1' }] }),
    );
    await refuse('NOT_ACTION_OWNER', (u) =>
      handle.executeUpdate(completeCorrectiveActionUpdate, {
        updateId: u,
        args: [{ by: people.omar, actionId: 'act-1', evidenceRefs: ['x'] }],
      }),
    );
    // The AIMS owner may complete an action only once it has been escalated to them.
    await refuse('NOT_ACTION_OWNER', (u) =>
      handle.executeUpdate(completeCorrectiveActionUpdate, {
        updateId: u,
        args: [{ by: people.ava, actionId: 'act-1', evidenceRefs: ['x'] }],
      }),
    );
    await refuse('VALIDATION_FAILED', (u) =>
      handle.executeUpdate(completeCorrectiveActionUpdate, {
        updateId: u,
        args: [{ by: people.erin, actionId: 'act-1', evidenceRefs: [] }],
      }),
    );
    await accept((u) =>
      handle.executeUpdate(completeCorrectiveActionUpdate, {
        updateId: u,
        args: [{ by: people.erin, actionId: 'act-1', evidenceRefs: ['model-card-v7'] }],
      }),
    );
    await refuse('EFFECTIVENESS_REVIEW_NOT_DUE', (u) =>
      handle.executeUpdate(recordEffectivenessReviewUpdate, { updateId: u, args: [review(people.vic, 'effective')] }),
    );
    await reviewAnnounced(handle);
    await refuse('REVIEWER_NOT_INDEPENDENT', (u) =>
      handle.executeUpdate(recordEffectivenessReviewUpdate, { updateId: u, args: [review(people.rita, 'effective')] }),
    );
    await refuse('MISSING_ROLE', (u) =>
      handle.executeUpdate(recordEffectivenessReviewUpdate, { updateId: u, args: [review(people.erin, 'effective')] }),
    );
    // Auditors are read-only: they read this evidence, they do not make it.
    await refuse('MISSING_ROLE', (u) =>
      handle.executeUpdate(recordEffectivenessReviewUpdate, { updateId: u, args: [review(people.aude, 'effective')] }),
    );
    await accept((u) => handle.executeUpdate(recordEffectivenessReviewUpdate, { updateId: u, args: [review(people.vic, 'effective')] }));

    expect((await handle.result()).status).toBe('closed');
    await expectEvidence(h, handle, id, {
      correlationId: stream,
      steps: [
        'NonconformityRaised',
        'ContainmentRecorded',
        'RootCauseAnalysisSubmitted r1',
        'CorrectiveActionPlanSubmitted r1 plan-1',
        'CorrectiveActionPlanApproved r1 plan-1',
        'CorrectiveActionCompleted r1 act-1',
        'EffectivenessReviewScheduled r1',
        'EffectivenessReviewDue r1',
        'EffectivenessReviewRecorded r1',
        'NonconformityClosed r1',
      ],
    });
    // Refused updates never entered the history; the accepted ones each did once.
    const [history] = await runHistories(h, handle.workflowId);
    const acceptedInHistory = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(acceptedInHistory).toHaveLength(accepted);
    const text = JSON.stringify(history);
    for (const refusedId of refusedIds) expect(text).not.toContain(refusedId);
    await saveHistoryFixtures(h, handle, 'refused-updates');
  });

  it('given a history bound, when the nonconformity outgrows it, then the workflow continues as new with its state and the evidence still holds each step once', async () => {
    // given
    const id = `nc-continued-${h.runTag}`;
    const handle: NonconformityHandle = await startNonconformity(h, raisedInput(id, { continueAsNewAfterHistoryLength: 20 }));

    // when
    await handle.executeUpdate(recordContainmentUpdate, { args: [contain(people.olga)] });
    await handle.executeUpdate(submitRootCauseAnalysisUpdate, { args: [analyse(people.erin)] });
    await handle.executeUpdate(submitCorrectiveActionPlanUpdate, {
      args: [
        {
          by: people.rolf,
          planId: 'plan-1',
          actions: [{ actionId: 'act-1', description: 'Retrain', owner: 'erin', dueDate: inSeconds(3600) }],
        },
      ],
    });
    await handle.executeUpdate(approveCorrectiveActionPlanUpdate, { args: [{ by: people.ava, planId: 'plan-1' }] });
    await handle.executeUpdate(completeCorrectiveActionUpdate, {
      args: [{ by: people.erin, actionId: 'act-1', evidenceRefs: ['model-card-v7'] }],
    });
    await reviewAnnounced(handle);
    await handle.executeUpdate(recordEffectivenessReviewUpdate, { args: [review(people.vic, 'effective')] });

    // then
    expect((await handle.result()).status).toBe('closed');
    const runs = await runHistories(h, handle.workflowId);
    expect(runs.length).toBeGreaterThan(1);
    await expectEvidence(h, handle, id, {
      correlationId: `nonconformity-${id}`,
      steps: [
        'NonconformityRaised',
        'ContainmentRecorded',
        'RootCauseAnalysisSubmitted r1',
        'CorrectiveActionPlanSubmitted r1 plan-1',
        'CorrectiveActionPlanApproved r1 plan-1',
        'CorrectiveActionCompleted r1 act-1',
        'EffectivenessReviewScheduled r1',
        'EffectivenessReviewDue r1',
        'EffectivenessReviewRecorded r1',
        'NonconformityClosed r1',
      ],
    });
    await saveHistoryFixtures(h, handle, 'continued-as-new');
  });
});
