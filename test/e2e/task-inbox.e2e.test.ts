/**
 * The one task inbox on the real engine (API app, Temporal dev server, worker, SQLite store): GET /v1/tasks
 * lists an AI system's lifecycle tasks and a nonconformity's corrective-action work together, and
 * POST /v1/tasks/{id}/decision takes every kind — the plan's decision, the action's completion, the review,
 * the containment, analysis and plan — with the owning workflow's rules: segregation of duties still
 * refuses the plan's author, the action is its owner's, a body the kind does not take is refused, and a
 * refusal records nothing.
 */
import type request from 'supertest';
import type { RecordedEvidenceEvent } from '../../infra/ports/event-store.port';
import { eventually } from './support/api-harness';
import {
  expectProblem,
  impactAssessmentBody,
  registrationBody,
  startLifecycleApi,
  type LifecycleApi,
} from './support/lifecycle-api-harness';

let api: LifecycleApi;

beforeAll(async () => {
  // A review delay of a second, so the review falls due within the test (the default floor is a day).
  api = await startLifecycleApi({ AIMS_MIN_EFFECTIVENESS_REVIEW_DELAY: 'PT1S' });
});

afterAll(async () => {
  await api?.close();
});

const SYSTEM = 'inbox-credit';
const NC = 'nc-inbox-1';
const ncStream = `nonconformity-${NC}`;

interface Task {
  taskId: string;
  kind: string;
  stream: string;
  aiSystemId: string | null;
  aiSystemIds: string[];
  assignee: string | null;
  requestedByYou: boolean;
  dueAt: string | null;
}

async function inbox(who: string, query = ''): Promise<Task[]> {
  return (await api.as(who).get(`/v1/tasks${query}`).expect(200)).body.items as Task[];
}

/** Sends a decision that must be refused: the problem comes back and the nonconformity's stream gains nothing. */
async function refused(send: () => request.Test, status: number, code?: string): Promise<request.Response> {
  const before = await api.events.streamRevision(ncStream);
  const response = await send();
  expectProblem(response, status, code);
  expect(await api.events.streamRevision(ncStream)).toBe(before);
  return response;
}

describe('one inbox for the lifecycle and corrective action', () => {
  test('given an impact assessment under review and a nonconformity of the same system, when people work through their inboxes, then each sees both processes and every decision goes to the workflow that owns it', async () => {
    // Paula approves things (approver) and owns risks (risk_owner): she reviews assessments and plans.
    const paula = await api.issue('paula', ['approver', 'risk_owner']);

    // A lifecycle task: the impact assessment's review (approver or risk owner).
    await api.as('engineer').post('/v1/ai-systems', registrationBody(SYSTEM)).expect(201);
    const ia = await api.as('engineer').post(`/v1/ai-systems/${SYSTEM}/impact-assessments`, impactAssessmentBody()).expect(201);

    // A nonconformity of the same system: its containment is the engineer's work, in the same inbox.
    const raised = await api
      .as('engineer')
      .post('/v1/nonconformities', {
        nonconformityId: NC,
        title: 'Recall below threshold',
        description: 'Monitoring measured recall 0.71 against 0.80.',
        source: 'internal_audit_finding',
        severity: 'major',
        aiSystemIds: [SYSTEM],
        effectivenessReviewDelay: 'PT1S',
      })
      .expect(201);
    expect(raised.body).toMatchObject({ recorded: true, projected: true });
    const engineerTasks = await inbox('engineer', `?aiSystemId=${SYSTEM}`);
    expect(engineerTasks.map((t) => [t.taskId, t.kind, t.stream, t.aiSystemIds])).toEqual([
      [`${NC}:containment`, 'containment', ncStream, [SYSTEM]],
    ]);

    // containment and root-cause analysis, done from the inbox with the bodies their kinds take
    const contained = await api
      .as('engineer')
      .post(`/v1/tasks/${NC}:containment/decision`, {
        outcome: 'record',
        containment: { actions: ['Manual review of low-confidence decisions'], evidenceRefs: ['TICKET-1'] },
      })
      .expect(200);
    expect(contained.body).toMatchObject({
      taskId: `${NC}:containment`,
      kind: 'containment',
      outcome: 'recorded',
      recorded: [{ type: 'ContainmentRecorded' }],
      projected: true,
    });
    await api
      .as('engineer')
      .post(`/v1/tasks/${NC}:root-cause-analysis-1/decision`, {
        outcome: 'submit',
        rootCauseAnalysis: { method: 'five_whys', causes: ['Training data predates the product change'] },
      })
      .expect(200);

    // Paula writes the plan (from her inbox); its one action is the approver's to carry out.
    const planned = await api
      .as(paula)
      .post(`/v1/tasks/${NC}:corrective-action-plan-1/decision`, {
        outcome: 'submit',
        plan: {
          planId: 'plan-1',
          actions: [
            {
              actionId: 'retrain',
              description: 'Retrain on 2025 data',
              owner: 'approver-token',
              dueDate: new Date(Date.now() + 7 * 86_400_000).toISOString(),
            },
          ],
        },
      })
      .expect(200);
    expect(planned.body.nonconformity).toMatchObject({ status: 'plan_approval' });

    // Paula's one inbox: the lifecycle's review and the plan's decision, which she asked for herself.
    const paulas = await inbox(paula);
    expect(paulas.map((t) => [t.taskId, t.kind, t.requestedByYou])).toEqual([
      [ia.body.reviewTaskId, 'impact_assessment_review', false],
      [`${NC}:plan-decision:plan-1`, 'plan_decision', true],
    ]);
    expect(paulas[0]).toMatchObject({ aiSystemId: SYSTEM, dueAt: expect.any(String) });
    expect(paulas[1]).toMatchObject({ aiSystemId: null, aiSystemIds: [SYSTEM], dueAt: null });

    // Segregation of duties: the plan's author may not decide it, from the inbox either.
    const sod = await refused(
      () => api.as(paula).post(`/v1/tasks/${NC}:plan-decision:plan-1/decision`, { outcome: 'approve' }),
      403,
      'SEGREGATION_OF_DUTIES',
    );
    expect(sod.body.details).toMatchObject({ planId: 'plan-1', actorId: 'paula' });
    // A body the kind does not take is refused before anything is sent, naming the field.
    const foreign = await refused(
      () => api.as('aims_owner').post(`/v1/tasks/${NC}:plan-decision:plan-1/decision`, { outcome: 'approve', evidenceRefs: ['DOC-1'] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(foreign.body.errors).toEqual([{ field: 'evidenceRefs', messages: [expect.stringContaining('plan_decision')] }]);
    const wrongOutcome = await refused(
      () => api.as('aims_owner').post(`/v1/tasks/${NC}:plan-decision:plan-1/decision`, { outcome: 'complete' }),
      400,
    );
    expect(wrongOutcome.body.errors.map((e: { field: string }) => e.field)).toEqual(['outcome']);
    await refused(() => api.as('aims_owner').post(`/v1/tasks/${NC}:plan-decision:plan-1/decision`, { outcome: 'reject' }), 400);
    // An approver without a risk or AIMS owner's role may not decide plans: the workflow's role rule.
    await refused(
      () => api.as('approver').post(`/v1/tasks/${NC}:plan-decision:plan-1/decision`, { outcome: 'approve' }),
      403,
      'MISSING_ROLE',
    );

    // Someone else decides the plan through the inbox.
    const approved = await api
      .as('aims_owner')
      .post(`/v1/tasks/${NC}:plan-decision:plan-1/decision`, { outcome: 'approve', comment: 'Covers the cause' })
      .expect(200);
    expect(approved.body).toMatchObject({
      taskId: `${NC}:plan-decision:plan-1`,
      kind: 'plan_decision',
      outcome: 'approved',
      stream: ncStream,
      nonconformityId: NC,
      recorded: [{ type: 'CorrectiveActionPlanApproved' }],
      nonconformity: { status: 'actions_in_progress' },
      lastPosition: expect.any(Number),
      projected: true,
    });
    expect((await api.as('auditor').get(`/v1/nonconformities/${NC}`).expect(200)).body.status).toBe('actions_in_progress');
    expect((await inbox(paula)).map((t) => t.kind)).toEqual(['impact_assessment_review']);
    await refused(
      () => api.as('aims_owner').post(`/v1/tasks/${NC}:plan-decision:plan-1/decision`, { outcome: 'approve' }),
      409,
      'INVALID_TRANSITION',
    );

    // A plain approver's inbox: the lifecycle's review and the corrective action assigned to them.
    const approvers = await inbox('approver');
    expect(approvers.map((t) => [t.taskId, t.kind, t.assignee]).sort()).toEqual(
      [
        [`${NC}:action:retrain`, 'corrective_action', 'approver-token'],
        [ia.body.reviewTaskId, 'impact_assessment_review', null],
      ].sort(),
    );

    // The action is its owner's; its completion needs the evidence that it was done.
    await refused(
      () => api.as('ci').post(`/v1/tasks/${NC}:action:retrain/decision`, { outcome: 'complete', evidenceRefs: ['MR-1'] }),
      403,
      'NOT_ACTION_OWNER',
    );
    await refused(() => api.as('approver').post(`/v1/tasks/${NC}:action:retrain/decision`, { outcome: 'complete' }), 400);
    const done = await api
      .as('approver')
      .post(`/v1/tasks/${NC}:action:retrain/decision`, { outcome: 'complete', evidenceRefs: ['MR-1412'], comment: 'Model 2.0.0' })
      .expect(200);
    expect(done.body).toMatchObject({
      kind: 'corrective_action',
      outcome: 'completed',
      recorded: [{ type: 'CorrectiveActionCompleted' }, { type: 'EffectivenessReviewScheduled' }],
    });

    // The review: never by the plan's author; once due, a validator's from the inbox closes it.
    const review = `${NC}:effectiveness-review-1`;
    await refused(
      () => api.as(paula).post(`/v1/tasks/${review}/decision`, { outcome: 'effective', findings: 'Recall back above 0.80' }),
      403,
      'REVIEWER_NOT_INDEPENDENT',
    );
    const closed = await eventually(async () => {
      const response = await api
        .as('validator')
        .post(`/v1/tasks/${review}/decision`, { outcome: 'effective', findings: 'Recall stayed above 0.80', evidenceRefs: ['report-91'] });
      expect(response.status).toBe(200);
      return response;
    });
    expect(closed.body).toMatchObject({ kind: 'effectiveness_review', outcome: 'effective', nonconformity: { status: 'closed' } });

    // Meanwhile the lifecycle's review is still decided the same way, from the same endpoint.
    const decided = await api
      .as(paula)
      .post(`/v1/tasks/${ia.body.reviewTaskId}/decision`, { outcome: 'approve', riskTier: 'high' })
      .expect(200);
    expect(decided.body).toMatchObject({
      kind: 'impact_assessment_review',
      outcome: 'approved',
      aiSystemId: SYSTEM,
      stream: `ai-system-${SYSTEM}`,
      projected: true,
    });
    expect(await inbox(paula)).toEqual([]);

    // The evidence names who did each step.
    const evidence: RecordedEvidenceEvent[] = [];
    for await (const event of api.events.readStream(ncStream)) evidence.push(event);
    const actorOf = (type: string) => evidence.find((e) => e.type === type)?.metadata.actor;
    expect(actorOf('CorrectiveActionPlanSubmitted')).toEqual({ id: 'paula', role: 'risk_owner' });
    expect(actorOf('CorrectiveActionPlanApproved')).toEqual({ id: 'aims_owner-token', role: 'aims_owner' });
    expect(actorOf('CorrectiveActionCompleted')).toEqual({ id: 'approver-token', role: 'approver' });
  });

  test('given the OpenAPI document, when the decision endpoint is read, then it lists every kind of task it decides and every answer', async () => {
    const doc = (await api.anonymous().get('/docs/openapi.json').expect(200)).body as {
      paths: Record<
        string,
        Record<
          string,
          { description?: string; responses: Record<string, { content?: Record<string, { schema: { oneOf?: Array<{ $ref: string }> } }> }> }
        >
      >;
    };
    const operation = doc.paths['/v1/tasks/{taskId}/decision']?.post;
    for (const kind of [
      'deployment_approval',
      'containment',
      'root_cause_analysis',
      'corrective_action_plan',
      'plan_decision',
      'corrective_action',
      'effectiveness_review',
      'lifecycle_policy_change_approval',
      'document_review',
      'document_approval',
      'document_periodic_review',
      'document_acknowledgement',
      'aims_scope_approval',
      'ai_system_scope_decision',
      'context_entry_review',
      'management_review_minutes',
      'management_review_sign_off',
      'internal_audit_follow_up',
    ]) {
      expect(operation?.description).toContain(`\`${kind}\``);
    }
    expect(operation?.responses['200']?.content?.['application/json']?.schema.oneOf?.map((s) => s.$ref.split('/').pop())).toEqual([
      'LifecycleTaskDecidedDto',
      'NonconformityTaskDecidedDto',
      'PolicyTaskDecidedDto',
      'SoaTaskDecidedDto',
      'RiskCriteriaTaskDecidedDto',
      'RiskTaskDecidedDto',
      'DocumentTaskDecidedDto',
      'ScopeTaskDecidedDto',
      'ContextTaskDecidedDto',
      'ObjectiveTaskDecidedDto',
      'ManagementReviewTaskDecidedDto',
      'InternalAuditTaskDecidedDto',
    ]);
  });
});
