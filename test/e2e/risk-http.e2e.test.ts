/**
 * Risk criteria and the risk register through the HTTP API, on the real app, a real Temporal dev server
 * and a real worker sharing the app's evidence store: criteria drafted by the AIMS owner, reviewed by a
 * risk owner and approved by top management in the task inbox (the author refused); risks identified,
 * assessed with the criteria in force, reviewed in the inbox, and listed with filters; bad input is
 * problem+json 400 and writes nothing.
 */
import { RISK_CRITERIA_STREAM } from '../../domain/risk-criteria';
import type { AimsRole } from '../../domain/shared/roles';
import type { AddressInfo } from 'node:net';
import { risksCommand } from '../../apps/cli/src/commands/risks.command';
import { registrationBody, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(120_000);

describe('risk criteria and risks through the HTTP API', () => {
  let api: LifecycleApi;

  beforeAll(async () => {
    api = await startLifecycleApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  const post = (role: AimsRole, path: string, body: object) => api.as(role).post(path, body);
  const get = (role: AimsRole, path: string) => api.as(role).get(path);
  const decide = (role: AimsRole, taskId: string, outcome = 'approve') => post(role, `/v1/tasks/${taskId}/decision`, { outcome });

  test('criteria drafted, reviewed and approved by others; risks identified, assessed with them, reviewed and listed; bad input writes nothing', async () => {
    // before any approval: the default set, flagged
    const initial = await get('auditor', '/v1/risk-criteria');
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({ isDefault: true, inForce: { version: 0, approvedBy: null }, versions: [], drafts: [] });

    // a risk cannot be assessed before criteria are approved
    expect((await post('engineer', '/v1/risks', risk('early'))).status).toBe(201);
    const early = await post('engineer', '/v1/risks/early/assessments', score('possible', 'minor'));
    expect([early.status, early.body.code]).toEqual([409, 'RISK_CRITERIA_NOT_APPROVED']);

    // bad criteria: 400 problem+json naming the field, nothing recorded (the workflow may start, its stream stays empty)
    for (const body of [
      { justification: 'x', content: { ...initial.body.inForce.content, appetite: 'extreme' } },
      { justification: 'x', content: 'default' },
      { content: initial.body.inForce.content },
      { justification: 'x', extra: 1 },
    ]) {
      const r = await post('aims_owner', '/v1/risk-criteria/drafts', body);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await api.events.streamRevision(RISK_CRITERIA_STREAM)).toBeNull();
    // an engineer may not draft
    expect((await post('engineer', '/v1/risk-criteria/drafts', { justification: 'x' })).status).toBe(403);

    const drafted = await post('aims_owner', '/v1/risk-criteria/drafts', { justification: 'First criteria of the AIMS' });
    expect(drafted.status).toBe(201);
    expect(drafted.body).toMatchObject({ draftId: 'criteria-draft-1', version: 0 });
    // the author may not review it (segregation of duties, in the domain)
    const own = await decide('aims_owner', 'criteria-draft-1-review');
    expect([own.status, own.body.code]).toEqual([403, 'SEGREGATION_OF_DUTIES']);
    const reviewed = await decide('risk_owner', 'criteria-draft-1-review');
    expect([reviewed.status, reviewed.body.kind]).toEqual([200, 'risk_criteria_review']);
    const ownApproval = await decide('aims_owner', 'criteria-draft-1-approval');
    expect([ownApproval.status, ownApproval.body.code]).toEqual([403, 'SEGREGATION_OF_DUTIES']);
    const approved = await decide('top_management', 'criteria-draft-1-approval');
    expect([approved.status, approved.body.kind, approved.body.version]).toEqual([200, 'risk_criteria_approval', 1]);

    const inForce = await get('auditor', '/v1/risk-criteria');
    expect(inForce.body).toMatchObject({ isDefault: false, inForce: { version: 1, draftId: 'criteria-draft-1' } });
    expect(inForce.body.versions).toHaveLength(1);
    expect(inForce.body.drafts[0]).toMatchObject({ draftId: 'criteria-draft-1', status: 'approved' });

    // bad risk input: 400 and no workflow, no evidence
    for (const body of [
      { ...risk('bad-1'), source: { kind: 'annex-z' } },
      { ...risk('bad-2'), riskId: 'has space' },
      { ...risk('bad-3'), source: { kind: 'annex-c' } },
      { ...risk('bad-4'), extra: true },
    ]) {
      const r = await post('engineer', '/v1/risks', body);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    for (const id of ['bad-1', 'bad-3', 'bad-4']) expect(await api.events.streamRevision(`risk-${id}`)).toBeNull();
    expect((await post('auditor', '/v1/risks', risk('by-auditor'))).status).toBe(403);

    // a risk of a system the inventory does not hold: 404, nothing started
    const unregistered = await post('engineer', '/v1/risks', risk('ghost', 'no-such-system'));
    expect([unregistered.status, unregistered.body.code]).toEqual([404, 'AI_SYSTEM_NOT_REGISTERED']);
    expect(await api.events.streamRevision('risk-ghost')).toBeNull();

    // one within appetite (credit-scoring), one above it (fraud), each of a registered system
    for (const systemId of ['credit-scoring', 'fraud-detection'])
      expect((await post('engineer', '/v1/ai-systems', registrationBody(systemId))).status).toBe(201);
    expect((await post('engineer', '/v1/risks', risk('bias', 'credit-scoring'))).status).toBe(201);
    expect((await post('engineer', '/v1/risks', risk('bias', 'credit-scoring'))).body.code).toBe('RISK_ALREADY_IDENTIFIED');
    expect((await post('engineer', '/v1/risks', { ...risk('fraud', 'fraud-detection'), owner: 'ravi' })).status).toBe(201);

    // an unknown step is the domain's 400; nothing recorded
    const before = await api.events.streamRevision('risk-bias');
    const unknown = await post('engineer', '/v1/risks/bias/assessments', score('never', 'minor'));
    expect([unknown.status, unknown.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await api.events.streamRevision('risk-bias')).toBe(before);
    expect((await post('engineer', '/v1/risks/nope/assessments', score('possible', 'minor'))).status).toBe(404);

    const low = await post('engineer', '/v1/risks/bias/assessments', score('unlikely', 'minor'));
    expect(low.status).toBe(201);
    expect(low.body.risk).toMatchObject({ riskId: 'bias', level: 'low', aboveAppetite: false, criteria: { version: 1 } });
    const high = await post('engineer', '/v1/risks/fraud/assessments', score('likely', 'moderate'));
    expect(high.body.risk).toMatchObject({ level: 'high', aboveAppetite: true });

    // its review in the inbox, by a risk owner other than the assessor
    const review = await decide('risk_owner', 'bias-risk-assessment-review-1-1');
    expect([review.status, review.body.kind, review.body.riskId]).toEqual([200, 'risk_assessment_review', 'bias']);

    const one = await get('auditor', '/v1/risks/bias');
    expect(one.body).toMatchObject({ riskId: 'bias', systemId: 'credit-scoring', owner: 'rita', level: 'low' });
    expect((await get('auditor', '/v1/risks/nope')).status).toBe(404);

    const ids = async (query: string) => (await get('auditor', `/v1/risks${query}`)).body.items.map((r: { riskId: string }) => r.riskId);
    expect(await ids('')).toEqual(['early', 'bias', 'fraud']);
    expect(await ids('?system=credit-scoring')).toEqual(['bias']);
    expect(await ids('?owner=ravi')).toEqual(['fraud']);
    expect(await ids('?level=low')).toEqual(['bias']);
    expect(await ids('?aboveAppetite=true')).toEqual(['fraud']);
    expect(await ids('?overdue=true')).toEqual([]);
    expect(await ids('?dueForReassessment=false')).toEqual(['early', 'bias', 'fraud']);
    expect((await get('auditor', '/v1/risks?aboveAppetite=yes')).status).toBe(400);
    // paged in the order the risks were identified: every risk once, the last page without a cursor
    const first = await get('auditor', '/v1/risks?limit=2');
    expect([first.body.items.map((r: { riskId: string }) => r.riskId), typeof first.body.nextCursor]).toEqual([
      ['early', 'bias'],
      'string',
    ]);
    const second = await get('auditor', `/v1/risks?limit=2&cursor=${first.body.nextCursor}`);
    expect([second.body.items.map((r: { riskId: string }) => r.riskId), second.body.nextCursor]).toEqual([['fraud'], null]);
    const filteredPage = await get('auditor', '/v1/risks?limit=1&overdue=false&dueForReassessment=false');
    expect(filteredPage.body.items.map((r: { riskId: string }) => r.riskId)).toEqual(['early']);
    expect((await get('auditor', '/v1/risks?limit=0')).status).toBe(400);
    expect((await get('auditor', '/v1/risks?cursor=not%20a%20cursor')).status).toBe(400);

    // `aims risks list` reads the same register over HTTP
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const run = async (argv: string[], pageSize?: number) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await risksCommand(argv, {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
        pageSize,
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    const all = await run(['list']);
    expect(all.code).toBe(0);
    expect(all.out.trim().split('\n')).toHaveLength(4);
    expect(all.out).toMatch(/^bias\s+credit-scoring\s+rita\s+reviewed\s+low\s+no$/m);
    const above = await run(['list', '--above-appetite', '--json']);
    expect(JSON.parse(above.out).items.map((r: { riskId: string }) => r.riskId)).toEqual(['fraud']);
    expect((await run(['list', '--system', 'credit-scoring', '--owner', 'ravi'])).out).toBe('No risks.\n');
    expect((await run(['list', '--overdue'])).out).toBe('No risks.\n');
    await expect(run(['list', '--level'])).rejects.toThrow();
    // every filter of the API: level and reassessment due too
    expect(JSON.parse((await run(['list', '--level', 'high', '--json'])).out).items.map((r: { riskId: string }) => r.riskId)).toEqual([
      'fraud',
    ]);
    expect((await run(['list', '--due-for-reassessment'])).out).toBe('No risks.\n');
    // the whole register, page after page, not only the first page
    const paged = await run(['list', '--json'], 1);
    expect(JSON.parse(paged.out).items.map((r: { riskId: string }) => r.riskId)).toEqual(['early', 'bias', 'fraud']);

    // the risk above appetite treated: reviewed, planned, the plan approved by another, its action done by
    // its owner, a residual level within appetite accepted in the inbox
    expect((await decide('risk_owner', 'fraud-risk-assessment-review-1-1')).status).toBe(200);
    const badPlan = await post('aims_owner', '/v1/risks/fraud/treatment-plans', { option: 'fix-it' });
    expect(badPlan.status).toBe(400);
    // an own control is named by its id in the SoA (ORG-…), or the SoA would never hear of it
    const freeTextControl = await post('aims_owner', '/v1/risks/fraud/treatment-plans', {
      option: 'retain',
      ownControls: ['fairness review'],
    });
    expect([freeTextControl.status, freeTextControl.body.errors.map((e: { field: string }) => e.field)]).toEqual([400, ['ownControls']]);
    const planned = await post('aims_owner', '/v1/risks/fraud/treatment-plans', {
      option: 'modify',
      annexAControlIds: ['A.6.2.4'],
      actions: [{ actionId: 'gate', description: 'Fairness gate in CI', owner: 'engineer-token', dueDate: '2099-01-01T00:00:00Z' }],
    });
    expect(planned.status).toBe(201);
    const ownPlan = await decide('aims_owner', 'fraud-risk-treatment-plan-approval-1-1');
    expect([ownPlan.status, ownPlan.body.code]).toEqual([403, 'SEGREGATION_OF_DUTIES']);
    expect((await decide('risk_owner', 'fraud-risk-treatment-plan-approval-1-1')).status).toBe(200);
    expect((await post('engineer', '/v1/risks/fraud/actions/nope/completion', { evidenceRefs: ['PR-1'] })).status).toBe(404);
    const done = await post('engineer', '/v1/risks/fraud/actions/gate/completion', { evidenceRefs: ['PR-42'] });
    expect(done.status).toBe(201);
    const residual = await post('engineer', '/v1/risks/fraud/residual-assessments', {
      residual: { likelihood: 'likely', consequence: 'minor' },
      rationale: 'after the fairness gate',
    });
    expect(residual.body.risk).toMatchObject({ level: 'medium', aboveAppetite: false });
    const accepted = await decide('risk_owner', 'fraud-risk-acceptance-1-1');
    expect([accepted.status, accepted.body.kind]).toEqual([200, 'risk_acceptance']);
    const fraud = await get('auditor', '/v1/risks/fraud');
    expect(fraud.body).toMatchObject({ acceptedLevel: 'medium', reassessmentDueAt: expect.any(String) });
    expect(await ids('?aboveAppetite=true')).toEqual([]);
    expect(await ids('?level=medium')).toEqual(['fraud']);
  });
});

function risk(riskId: string, systemId: string | null = null): object {
  return {
    riskId,
    systemId,
    source: { kind: 'annex-c', id: 'machine-learning' },
    description: 'Scores drift against a protected group',
    owner: 'rita',
  };
}

function score(likelihood: string, consequence: string): object {
  return { inherent: { likelihood, consequence }, rationale: 'bias audit' };
}
