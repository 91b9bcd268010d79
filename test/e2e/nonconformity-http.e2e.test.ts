/**
 * Nonconformity and corrective action (10.2) through the HTTP API, on the real app (supertest), a real
 * Temporal dev server and a real worker sharing the app's SQLite evidence store: each step is taken as the
 * role that takes it, refusals are problem+json and leave no evidence, the read models follow each command,
 * the clause 9.1 measures reflect it, and `aims nc` reads it all back over HTTP.
 */
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createAimsWorker } from '../../apps/worker/src/create-worker';
import { ncCommand } from '../../apps/cli/src/commands/nc.command';
import { replay, type NonconformityEvent } from '../../domain/nonconformity';
import type { AimsRole } from '../../domain/shared/roles';
import type { RecordedEvidenceEvent } from '../../infra/ports/event-store.port';
import { startTemporal, uniqueTaskQueue } from '../support/temporal';
import { TEST_COMMAND_KEYS } from '../support/command-keys';
import { eventually, startApiHarness, type ApiHarness } from './support/api-harness';

const SYSTEM = 'credit-scoring';
const DAY = 86_400_000;

/** A due date `days` from now: data a caller supplies (no assertion ever depends on the clock). */
function inDays(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString();
}

describe('nonconformities through the HTTP API, on a real Temporal dev server and worker', () => {
  let env: TestWorkflowEnvironment;
  let api: ApiHarness;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await startTemporal();
    const taskQueue = uniqueTaskQueue('nc-http');
    // A review delay of a second, so a whole corrective action closes within the test (the default floor is a day).
    api = await startApiHarness({ TEMPORAL_ADDRESS: env.address, AIMS_TASK_QUEUE: taskQueue, AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY: 'PT1S' });
    worker = await createAimsWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      eventStore: api.events,
      workflows: 'source',
      commandKeys: TEST_COMMAND_KEYS,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await api?.close();
    await env?.teardown();
  });

  const http = () => request(api.server as Parameters<typeof request>[0]);
  const post = (role: AimsRole, path: string, body: object) =>
    http().post(path).set('Authorization', `Bearer ${api.tokens[role]}`).send(body);
  const get = (role: AimsRole, path: string) => http().get(path).set('Authorization', `Bearer ${api.tokens[role]}`);

  async function streamOf(id: string): Promise<RecordedEvidenceEvent[]> {
    const events: RecordedEvidenceEvent[] = [];
    for await (const event of api.events.readStream(`nonconformity-${id}`)) events.push(event);
    return events;
  }

  function expectProblem(response: request.Response, status: number, code?: string): void {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, type: expect.stringMatching(/^urn:aims:problem:/) });
    if (code !== undefined) expect(response.body.code).toBe(code);
  }

  /** Sends a step that must be refused: the problem comes back and the stream gains nothing. */
  async function refused(send: () => request.Test, id: string, status: number, code?: string): Promise<request.Response> {
    const before = await api.events.streamRevision(`nonconformity-${id}`);
    const response = await send();
    expectProblem(response, status, code);
    expect(await api.events.streamRevision(`nonconformity-${id}`)).toBe(before);
    return response;
  }

  const raiseBody = (nonconformityId: string, overrides: object = {}) => ({
    nonconformityId,
    title: 'Credit model recall below threshold',
    description: 'The internal audit found recall at 0.71 against the 0.80 acceptance threshold for three weeks.',
    source: 'internal_audit_finding',
    sourceReference: 'audit-2026-Q1-07',
    severity: 'major',
    aiSystemIds: [SYSTEM],
    annexAControlIds: ['A.6.2.6'],
    clauseIds: ['9.1'],
    effectivenessReviewDelay: 'PT1S',
    ...overrides,
  });

  it('given a raised nonconformity, when it is contained, analysed, planned, rejected, revised, approved by another person, corrected and found effective, then it is closed with every step in its evidence', async () => {
    const id = 'nc-http-1';

    // raise, as a risk owner: 201, Location, the raiser is the token's actor
    const raised = await post('risk_owner', '/v1/nonconformities', raiseBody(id));
    expect(raised.status).toBe(201);
    expect(raised.headers.location).toBe(`/v1/nonconformities/${id}`);
    expect(raised.body).toMatchObject({
      nonconformityId: id,
      recorded: true,
      nonconformity: { status: 'raised', raisedBy: { id: 'risk_owner-token', role: 'risk_owner' } },
    });

    // containment, as an engineer; each answer is already in the read models
    const contained = await post('engineer', `/v1/nonconformities/${id}/containment`, {
      actions: ['Routed low-confidence decisions to manual review'],
      evidenceRefs: ['TICKET-9001'],
    });
    expect(contained.status).toBe(200);
    expect(contained.body).toMatchObject({
      recorded: [{ type: 'ContainmentRecorded' }],
      projected: true,
      nonconformity: { status: 'containment' },
    });
    expect((await get('auditor', `/v1/nonconformities/${id}`).expect(200)).body.status).toBe('containment');

    // root-cause analysis, as an engineer
    const analysed = await post('engineer', `/v1/nonconformities/${id}/root-cause-analysis`, {
      method: 'five_whys',
      causes: ['Training data predates the 2025 product change'],
      contributingFactors: ['No drift alert on the input distribution'],
    });
    expect(analysed.status).toBe(200);
    expect(analysed.body.nonconformity.status).toBe('root_cause_analysis');

    // a plan by the risk owner, who may not decide on it (segregation of duties): 403, nothing recorded
    const planned = await post('risk_owner', `/v1/nonconformities/${id}/corrective-action-plans`, {
      planId: 'plan-1',
      actions: [{ actionId: 'retrain', description: 'Retrain on 2025 data', owner: 'engineer-token', dueDate: inDays(7) }],
    });
    expect(planned.status).toBe(200);
    expect(planned.body.nonconformity.status).toBe('plan_approval');
    const sod = await refused(
      () => post('risk_owner', `/v1/nonconformities/${id}/corrective-action-plans/plan-1/decision`, { outcome: 'approve' }),
      id,
      403,
      'SEGREGATION_OF_DUTIES',
    );
    expect(sod.body.details).toMatchObject({ planId: 'plan-1', actorId: 'risk_owner-token' });

    // rejected by the AIMS owner, with reasons
    await refused(
      () => post('aims_owner', `/v1/nonconformities/${id}/corrective-action-plans/plan-1/decision`, { outcome: 'reject' }),
      id,
      400,
    );
    const rejected = await post('aims_owner', `/v1/nonconformities/${id}/corrective-action-plans/plan-1/decision`, {
      outcome: 'reject',
      reasons: ['No action against the missing drift alert'],
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      recorded: [{ type: 'CorrectiveActionPlanRejected' }],
      nonconformity: { status: 'root_cause_analysis' },
    });

    // the revised plan, approved by the AIMS owner (not its author)
    const revised = await post('risk_owner', `/v1/nonconformities/${id}/corrective-action-plans`, {
      planId: 'plan-2',
      actions: [
        { actionId: 'retrain', description: 'Retrain on 2025 data', owner: 'engineer-token', dueDate: inDays(7) },
        { actionId: 'drift-alert', description: 'Alert on input drift', owner: 'engineer-token', dueDate: inDays(14).slice(0, 10) },
      ],
    });
    expect(revised.status).toBe(200);
    await refused(
      () => post('aims_owner', `/v1/nonconformities/${id}/corrective-action-plans/plan-1/decision`, { outcome: 'approve' }),
      id,
      409,
      'PLAN_NOT_PENDING',
    );
    const approved = await post('aims_owner', `/v1/nonconformities/${id}/corrective-action-plans/plan-2/decision`, {
      outcome: 'approve',
      comment: 'Covers both causes',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.nonconformity.status).toBe('actions_in_progress');
    const listed = await get('engineer', `/v1/nonconformities?status=actions_in_progress&system=${SYSTEM}`).expect(200);
    expect(listed.body.items.map((n: { nonconformityId: string }) => n.nonconformityId)).toContain(id);

    // the actions, completed by their owner only
    await refused(
      () => post('ci', `/v1/nonconformities/${id}/actions/retrain/completion`, { evidenceRefs: ['MR-1'] }),
      id,
      403,
      'NOT_ACTION_OWNER',
    );
    await refused(
      () => post('engineer', `/v1/nonconformities/${id}/actions/nope/completion`, { evidenceRefs: ['MR-1'] }),
      id,
      404,
      'UNKNOWN_CORRECTIVE_ACTION',
    );
    expect(
      (await post('engineer', `/v1/nonconformities/${id}/actions/retrain/completion`, { evidenceRefs: ['MR-1412'], note: 'Model 2.0.0' }))
        .status,
    ).toBe(200);
    const done = await post('engineer', `/v1/nonconformities/${id}/actions/drift-alert/completion`, { evidenceRefs: ['MR-1413'] });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      recorded: [{ type: 'CorrectiveActionCompleted' }, { type: 'EffectivenessReviewScheduled' }],
      nonconformity: { status: 'effectiveness_review' },
    });

    // the effectiveness review: not by the plan's author; then, once due, by a validator
    await refused(
      () =>
        post('risk_owner', `/v1/nonconformities/${id}/effectiveness-review`, { outcome: 'effective', findings: 'Recall back above 0.80' }),
      id,
      403,
      'REVIEWER_NOT_INDEPENDENT',
    );
    const reviewed = await eventually(async () => {
      const response = await post('validator', `/v1/nonconformities/${id}/effectiveness-review`, {
        outcome: 'effective',
        findings: 'Recall stayed above 0.80',
        evidenceRefs: ['monitoring-report-91'],
      });
      // Until the review period (1 s) has passed the domain refuses it as not yet due.
      expect(response.status).toBe(200);
      return response;
    });
    expect(reviewed.body).toMatchObject({
      recorded: [{ type: 'EffectivenessReviewRecorded' }, { type: 'NonconformityClosed' }],
      nonconformity: { status: 'closed' },
    });

    // a closed nonconformity takes no further step
    await refused(() => post('engineer', `/v1/nonconformities/${id}/containment`, { actions: ['More'] }), id, 409, 'NONCONFORMITY_CLOSED');

    // one nonconformity with its history: the row, the record folded from the evidence, the evidence itself
    const shown = await get('auditor', `/v1/nonconformities/${id}`).expect(200);
    expect(shown.body).toMatchObject({
      nonconformityId: id,
      status: 'closed',
      closedAt: expect.any(String),
      awaiting: [],
      record: { id, status: 'closed', reopenCount: 0 },
    });
    expect(
      shown.body.record.rounds[0].plans.map((p: { planId: string; decision: { outcome: string } }) => [p.planId, p.decision.outcome]),
    ).toEqual([
      ['plan-1', 'rejected'],
      ['plan-2', 'approved'],
    ]);
    const evidence = await streamOf(id);
    expect(shown.body.history.items.map((e: { id: string }) => e.id)).toEqual(evidence.map((e) => e.id));
    // The review period's timer may announce the review as due before it is recorded; every other step is once.
    expect(evidence.map((e) => e.type).filter((t) => t !== 'EffectivenessReviewDue')).toEqual([
      'NonconformityRaised',
      'ContainmentRecorded',
      'RootCauseAnalysisSubmitted',
      'CorrectiveActionPlanSubmitted',
      'CorrectiveActionPlanRejected',
      'CorrectiveActionPlanSubmitted',
      'CorrectiveActionPlanApproved',
      'CorrectiveActionCompleted',
      'CorrectiveActionCompleted',
      'EffectivenessReviewScheduled',
      'EffectivenessReviewRecorded',
      'NonconformityClosed',
    ]);
    const actorOf = (type: string) => evidence.find((e) => e.type === type)?.metadata.actor;
    expect(actorOf('NonconformityRaised')).toEqual({ id: 'risk_owner-token', role: 'risk_owner' });
    expect(actorOf('ContainmentRecorded')).toEqual({ id: 'engineer-token', role: 'engineer' });
    expect(actorOf('CorrectiveActionPlanRejected')).toEqual({ id: 'aims_owner-token', role: 'aims_owner' });
    expect(actorOf('CorrectiveActionPlanApproved')).toEqual({ id: 'aims_owner-token', role: 'aims_owner' });
    expect(actorOf('EffectivenessReviewRecorded')).toEqual({ id: 'validator-token', role: 'validator' });
    expect(replay(evidence.map((e) => ({ type: e.type, ...e.data }) as NonconformityEvent))).toEqual(shown.body.record);
    expect(await api.events.verify()).toMatchObject({ intact: true });
  });

  it('given bad input or the wrong role, when a nonconformity is raised or a step is sent, then the answer is a problem naming what is wrong and no evidence is written', async () => {
    const head = (await api.events.head())?.position ?? 0;

    const invalid = await post('engineer', '/v1/nonconformities', {
      ...raiseBody('nc-http-bad'),
      title: '',
      severity: 'dreadful',
      extra: 1,
    });
    expectProblem(invalid, 400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['title', 'severity', 'extra']));

    const unknownControl = await post('engineer', '/v1/nonconformities', raiseBody('nc-http-bad', { annexAControlIds: ['A.99.1'] }));
    expectProblem(unknownControl, 400, 'UNKNOWN_ANNEX_A_CONTROL');
    expect(unknownControl.body.errors).toEqual([{ field: 'annexAControlIds', messages: [expect.stringContaining('A.99.1')] }]);

    const nothingConcerned = await post(
      'engineer',
      '/v1/nonconformities',
      raiseBody('nc-http-bad', { aiSystemIds: [], annexAControlIds: [], clauseIds: [] }),
    );
    expectProblem(nothingConcerned, 400, 'VALIDATION_FAILED');
    expect(nothingConcerned.body.errors.map((e: { field: string }) => e.field)).toEqual(['aiSystemIds']);

    expectProblem(await post('auditor', '/v1/nonconformities', raiseBody('nc-http-bad')), 403);
    expectProblem(await post('engineer', '/v1/nonconformities', raiseBody('nc-http-bad', { effectivenessReviewDelay: 'P1M' })), 400);
    // the bounds (issue 11, finding 7): a review delay that would overflow the calendar, timers beyond a year
    const overflow = await post('engineer', '/v1/nonconformities', raiseBody('nc-http-bad', { effectivenessReviewDelay: 'P100000000D' }));
    expectProblem(overflow, 400, 'VALIDATION_FAILED');
    expect(overflow.body.errors).toEqual([{ field: 'effectivenessReviewDelay', messages: [expect.stringContaining('between')] }]);
    const slowTimers = await post(
      'engineer',
      '/v1/nonconformities',
      raiseBody('nc-http-bad', { reminderLeadTime: 'P400D', escalationDelay: 'P2D' }),
    );
    expectProblem(slowTimers, 400, 'VALIDATION_FAILED');
    expect(slowTimers.body.errors.map((e: { field: string }) => e.field)).toEqual(['reminderLeadTime']);
    // the engine's namespace (issue 11, finding 5): a caller may not pre-stage a breach's id
    const reserved = await post('engineer', '/v1/nonconformities', raiseBody('aims:nc-credit-scoring-report_1_auc-0123456789abcdef'));
    expectProblem(reserved, 400, 'VALIDATION_FAILED');
    expect(reserved.body.errors).toEqual([{ field: 'nonconformityId', messages: [expect.stringContaining("namespace is the engine's")] }]);
    expect((await api.events.head())?.position ?? 0).toBe(head);
    expect(await streamOf('nc-http-bad')).toEqual([]);

    // a raised one, then bad steps: each refused without a trace
    expect(
      (await post('aims_owner', '/v1/nonconformities', raiseBody('nc-http-2', { severity: 'minor', source: 'control_failure' }))).status,
    ).toBe(201);
    expectProblem(await post('aims_owner', '/v1/nonconformities', raiseBody('nc-http-2')), 409, 'NONCONFORMITY_ALREADY_RAISED');
    await refused(() => post('engineer', '/v1/nonconformities/nc-http-2/containment', { actions: 'not a list' }), 'nc-http-2', 400);
    await refused(
      () => post('engineer', '/v1/nonconformities/nc-http-2/containment', { actions: [] }),
      'nc-http-2',
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => post('engineer', '/v1/nonconformities/nc-http-2/root-cause-analysis', { method: 'five_whys', causes: ['x'] }),
      'nc-http-2',
      409,
      'INVALID_TRANSITION',
    );
    await refused(() => post('approver', '/v1/nonconformities/nc-http-2/containment', { actions: ['x'] }), 'nc-http-2', 403);
    await refused(() => post('auditor', '/v1/nonconformities/nc-http-2/containment', { actions: ['x'] }), 'nc-http-2', 403);
    expectProblem(await post('engineer', '/v1/nonconformities/nc-http-none/containment', { actions: ['x'] }), 404);
    expectProblem(await get('engineer', '/v1/nonconformities/nc-http-none'), 404);

    // a plan whose due date is not after its submission: 422 naming the field
    await post('engineer', '/v1/nonconformities/nc-http-2/containment', {
      actions: [],
      justification: 'The failed control has a manual fallback',
    }).expect(200);
    await post('engineer', '/v1/nonconformities/nc-http-2/root-cause-analysis', {
      method: 'other',
      methodDescription: 'Control walkthrough',
      causes: ['Reviewer rota lapsed'],
    }).expect(200);
    const late = await refused(
      () =>
        post('engineer', '/v1/nonconformities/nc-http-2/corrective-action-plans', {
          planId: 'plan-late',
          actions: [
            { actionId: 'rota', description: 'Restore the reviewer rota', owner: 'engineer-token', dueDate: inDays(2) },
            { actionId: 'past', description: 'Already late', owner: 'engineer-token', dueDate: '2020-01-01' },
          ],
        }),
      'nc-http-2',
      422,
      'DUE_DATE_NOT_AFTER_SUBMISSION',
    );
    expect(late.body.errors).toEqual([{ field: 'actions[1].dueDate', messages: [expect.stringContaining('past')] }]);
  });

  it('given a closed and an open nonconformity of the same AI system, when the 9.1 measures are asked, then they count, time and find recurrence and overdue actions as of the instant asked', async () => {
    // given: nc-http-2 (from the previous case) gets an approved plan whose action falls due in two days
    await post('engineer', '/v1/nonconformities/nc-http-2/corrective-action-plans', {
      planId: 'plan-rota',
      actions: [{ actionId: 'rota', description: 'Restore the reviewer rota', owner: 'engineer-token', dueDate: inDays(2) }],
    }).expect(200);
    await post('risk_owner', '/v1/nonconformities/nc-http-2/corrective-action-plans/plan-rota/decision', { outcome: 'approve' }).expect(
      200,
    );

    // when: now, and a month from now
    const now = (await get('auditor', '/v1/nonconformities/measures').expect(200)).body;
    const later = (await get('auditor', `/v1/nonconformities/measures?at=${encodeURIComponent(inDays(30))}`).expect(200)).body;

    // then
    expect(now).toMatchObject({
      total: 2,
      open: 1,
      byStatus: { closed: 1, actions_in_progress: 1 },
      bySeverity: { major: 1, minor: 1 },
      timeToClose: {
        closedCount: 1,
        meanMs: expect.any(Number),
        bySeverity: { major: { closedCount: 1 }, minor: { closedCount: 0, meanMs: null } },
      },
      overdueActions: { count: 0 },
      reopenedCorrections: { ineffectiveReviewCount: 0, reopenedNonconformityCount: 0, ineffectiveShare: 0 },
    });
    expect(now.recurrenceByAiSystem).toEqual([
      expect.objectContaining({
        id: SYSTEM,
        nonconformityCount: 2,
        openCount: 1,
        recurring: true,
        nonconformityIds: ['nc-http-1', 'nc-http-2'],
      }),
    ]);
    expect(now.recurrenceByControl).toEqual([expect.objectContaining({ id: 'A.6.2.6', nonconformityCount: 2, title: expect.any(String) })]);
    expect(later.overdueActions).toMatchObject({
      count: 1,
      actions: [{ nonconformityId: 'nc-http-2', actionId: 'rota', owner: 'engineer-token' }],
    });
    expectProblem(await get('auditor', '/v1/nonconformities/measures?at=yesterday'), 400);
  });

  it('given the API on a port, when `aims nc list` and `aims nc show` run, then they print what the API holds, and exit 2 on an error', async () => {
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const run = async (argv: string[], token = api.tokens.auditor) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await ncCommand(argv, {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: token },
      });
      return { code, out: out.join(''), err: err.join('') };
    };

    const all = await run(['list', '--system', SYSTEM, '--json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.out).map((n: { nonconformityId: string; status: string }) => [n.nonconformityId, n.status])).toEqual([
      ['nc-http-1', 'closed'],
      ['nc-http-2', 'actions_in_progress'],
    ]);
    const closed = await run(['list', '--status', 'closed', '--severity', 'major']);
    expect(closed.code).toBe(0);
    expect(closed.out).toContain('nc-http-1');
    expect(closed.out).not.toContain('nc-http-2');
    const overdue = await run(['list', '--overdue']);
    expect(overdue).toMatchObject({ code: 0, out: 'no nonconformities match\n' });

    const shown = await run(['show', 'nc-http-1']);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('nc-http-1: Credit model recall below threshold');
    expect(shown.out).toContain('CorrectiveActionPlanApproved — aims_owner-token (aims_owner)');

    expect(await run(['show', 'nc-http-none'])).toMatchObject({ code: 2, err: expect.stringContaining('404') });
    expect(await run(['list'], 'not-a-token')).toMatchObject({ code: 2, err: expect.stringContaining('401') });
    await expect(run(['list', '--status', 'sleeping'])).rejects.toThrow('--status must be one of');
  });
});
