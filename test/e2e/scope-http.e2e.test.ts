/**
 * The AIMS scope (4.3) through the HTTP API and `aims scope`, on the real app, a real Temporal dev server and
 * a real worker, role by role: a system registered before the scope process ran is named by the check as
 * without a decision; the AIMS owner proposes a statement (bad input: problem+json 400, nothing written;
 * other roles: 403), top management approves it in the task inbox (the AIMS owner may not); the AIMS owner
 * decides the early system out of scope and the gate refuses it (409 OUT_OF_AIMS_SCOPE), top management
 * brings it in and the gate lets it through; a system registered later gets a task in the AIMS owner's
 * inbox; the statement as of before its approval is none.
 */
import type { AddressInfo } from 'node:net';
import { scopeCommand } from '../../apps/cli/src/commands/scope.command';
import { AIMS_SCOPE_STREAM } from '../../domain/aims-scope';
import { aiSystemStreamName } from '../../domain/ai-system';
import type { AimsRole } from '../../domain/shared/roles';
import { eventually } from '../support/eventually';
import {
  DIGEST_A,
  driveToSignedOff,
  expectProblem,
  registrationBody,
  startLifecycleApi,
  type LifecycleApi,
} from './support/lifecycle-api-harness';

jest.setTimeout(180_000);

const statement = {
  organisationalUnits: ['Retail credit'],
  locations: ['Lisbon'],
  lifecycleStages: ['development', 'deployment', 'operation'],
  systemsIn: ['credit-scoring'],
  systemsOut: [],
  thirdPartyServices: [
    { serviceId: 'llm-api', provider: 'Example LLM Inc.', description: 'Summaries', inScope: true, justification: 'Feeds decisions' },
  ],
  exclusions: [{ subject: 'Research sandbox', justification: 'Nothing is deployed from it' }],
};

describe('the AIMS scope through the HTTP API', () => {
  let api: LifecycleApi;
  let baseUrl: string;

  beforeAll(async () => {
    api = await startLifecycleApi();
    await api.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (role: AimsRole, path: string, body: object) => api.as(role).post(path, body);
  const get = (role: AimsRole, path: string) => api.as(role).get(path);
  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await scopeCommand(argv, {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: { AIMS_URL: baseUrl, AIMS_TOKEN: api.tokens.auditor },
    });
    return { code, out: out.join(''), err: err.join('') };
  };
  const noted = async (systemId: string, count: number): Promise<void> => {
    await eventually(
      async () => {
        let n = 0;
        for await (const e of api.events.readStream(aiSystemStreamName(systemId))) if (e.type === 'AimsScopeDecisionNoted') n += 1;
        return n;
      },
      (n) => n >= count,
      `${count} scope decisions noted by ${systemId}`,
    );
  };
  const gate = (systemId: string, key: string) =>
    api.as('ci').post(`/v1/ai-systems/${systemId}/deployments`, { version: '1.0.0', artifactDigest: DIGEST_A }).set('Idempotency-Key', key);

  test('proposed by the AIMS owner, approved by top management; decisions by role; the gate refuses out of scope; the check names every gap', async () => {
    // registered before the scope process ran: told nobody, and the lifecycle went on
    await driveToSignedOff(api, 'lab-bot', { riskTier: 'minimal', name: 'Lab assistant' });

    // bad input: 400 problem+json, nothing written; roles that may never propose: 403
    for (const body of [
      { summary: 'x', statement: { ...statement, locations: [] } },
      { summary: 'x', statement: { ...statement, exclusions: [{ subject: 'Sandbox' }] } },
      { summary: 'x', statement, extra: 1 },
    ]) {
      const r = await post('aims_owner', '/v1/scope/proposals', body);
      expectProblem(r, 400);
    }
    const both = await post('aims_owner', '/v1/scope/proposals', {
      summary: 'x',
      statement: { ...statement, systemsOut: [{ systemId: 'credit-scoring', justification: 'x' }] },
    });
    expectProblem(both, 400, 'VALIDATION_FAILED');
    expect(await api.events.streamRevision(AIMS_SCOPE_STREAM)).toBeNull();
    for (const role of ['engineer', 'top_management', 'auditor'] as const)
      expect((await post(role, '/v1/scope/proposals', { summary: 'x', statement })).status).toBe(403);

    const proposed = await post('aims_owner', '/v1/scope/proposals', { summary: 'First scope', statement });
    expect([proposed.status, proposed.body.subjectId, proposed.body.taskId]).toEqual([
      201,
      'scope-proposal-1',
      'scope-proposal-1-approval',
    ]);
    const beforeApproval = new Date().toISOString();
    const byOwner = await post('aims_owner', '/v1/tasks/scope-proposal-1-approval/decision', { outcome: 'approve' });
    expectProblem(byOwner, 403, 'MISSING_ROLE');
    const approved = await post('top_management', '/v1/tasks/scope-proposal-1-approval/decision', { outcome: 'approve' });
    expect([approved.status, approved.body.kind, approved.body.version]).toEqual([200, 'aims_scope_approval', 1]);

    const view = await get('auditor', '/v1/scope');
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ version: 1, inForce: { version: 1, statement: { systemsIn: ['credit-scoring'] } }, decisions: [] });
    const earlier = await get('auditor', `/v1/scope?asOf=${encodeURIComponent(beforeApproval)}`);
    expect(earlier.body).toMatchObject({ version: 0, inForce: null });
    expectProblem(await get('auditor', '/v1/scope?asOf=yesterday'), 400);

    // the check: lab-bot has no decision, credit-scoring is named but not registered; the service is decided
    const check = await get('auditor', '/v1/scope/check');
    expect(check.body).toMatchObject({
      version: 1,
      reconciled: false,
      withoutDecision: ['lab-bot'],
      namedNotRegistered: ['credit-scoring'],
    });
    expect(check.body.inventory.map((i: { id: string }) => i.id)).toEqual(['lab-bot', 'llm-api']);
    const checked = await cli(['check']);
    expect(checked.code).toBe(1);
    expect(checked.out).toContain('without a scope decision: lab-bot');
    expect(checked.out).toContain('named by the statement but not registered: credit-scoring');
    expect(JSON.parse((await cli(['check', '--json'])).out)).toMatchObject({ reconciled: false });
    const shown = await cli(['show']);
    expect([shown.code, shown.out]).toEqual([0, expect.stringContaining('Version 1 (scope-proposal-1)')]);
    expect((await cli(['check', '--as-of', 'yesterday'])).code).toBe(2);

    // decisions: only the AIMS owner and top management; never against the statement in force
    expect((await post('engineer', '/v1/scope/decisions', { systemId: 'lab-bot', inScope: true, justification: 'x' })).status).toBe(403);
    expectProblem(
      await post('top_management', '/v1/scope/decisions', { systemId: 'credit-scoring', inScope: false, justification: 'x' }),
      409,
      'SCOPE_DECISION_CONTRADICTS_STATEMENT',
    );
    const out = await post('aims_owner', '/v1/scope/decisions', { systemId: 'lab-bot', inScope: false, justification: 'Lab only' });
    expect(out.status).toBe(201);
    await noted('lab-bot', 1);
    const blocked = await gate('lab-bot', 'scope-run-1').expect(409);
    expect(blocked.body).toMatchObject({
      outcome: 'blocked',
      reasons: [{ code: 'OUT_OF_AIMS_SCOPE', scopeDecision: { basis: { kind: 'person', role: 'aims_owner' }, justification: 'Lab only' } }],
    });
    await post('top_management', '/v1/scope/decisions', {
      systemId: 'lab-bot',
      inScope: true,
      justification: 'Serves customers now',
    }).expect(201);
    await noted('lab-bot', 2);
    const allowed = await gate('lab-bot', 'scope-run-2');
    expect([allowed.status, allowed.body.outcome]).toEqual([200, 'allowed']);

    // registered while the scope runs and not named: a task in the AIMS owner's inbox, decided there
    await api
      .as('engineer')
      .post('/v1/ai-systems', registrationBody('chat-bot', { name: 'Chat assistant' }))
      .expect(201);
    const task = await eventually(
      async () => (await get('aims_owner', '/v1/tasks?kind=ai_system_scope_decision')).body.items as Array<{ taskId: string }>,
      (items) => items.length === 1,
      'the scope-decision task in the inbox',
    );
    expectProblem(await post('aims_owner', `/v1/tasks/${task[0].taskId}/decision`, { outcome: 'reject' }), 400);
    const decided = await post('aims_owner', `/v1/tasks/${task[0].taskId}/decision`, { outcome: 'reject', reasons: ['Internal pilot'] });
    expect([decided.status, decided.body.kind, decided.body.outcome]).toEqual([200, 'ai_system_scope_decision', 'rejected']);
    await noted('chat-bot', 1);

    const final = await get('auditor', '/v1/scope');
    expect(final.body.decisions.map((d: { systemId: string; inScope: boolean }) => [d.systemId, d.inScope])).toEqual([
      ['chat-bot', false],
      ['lab-bot', true],
    ]);
    const last = await cli(['check']);
    expect([last.code, last.out]).toEqual([1, expect.not.stringContaining('without a scope decision')]);
  });

  test('a statement names the controlled scope document version it rests on; show and check say whether the document moved on', async () => {
    const createDoc = (documentId: string, kind: string) =>
      post('aims_owner', '/v1/documents', {
        documentId,
        kind,
        title: kind === 'aims_scope' ? 'Scope of the AI management system' : 'Model release procedure',
        owner: 'aims_owner-token',
        classification: 'internal',
        retention: 'P7Y',
        acknowledgementRoles: [],
      }).expect(201);
    const publish = async (documentId: string, version: number, markdown: string): Promise<void> => {
      await post('aims_owner', `/v1/documents/${documentId}/versions`, {
        markdown,
        changeSummary: `Issue ${version}`,
        change: { reason: 'The scope is documented information (4.3)', consequences: 'The scope statement follows it' },
      }).expect(201);
      await post('risk_owner', `/v1/tasks/doc-${documentId}-v${version}-review/decision`, { outcome: 'approve' }).expect(200);
      await post('top_management', `/v1/tasks/doc-${documentId}-v${version}-approval/decision`, { outcome: 'approve' }).expect(200);
    };
    await createDoc('aims-scope-doc', 'aims_scope');
    await createDoc('release-procedure', 'procedure');
    const proposal = (document: object) =>
      post('aims_owner', '/v1/scope/proposals', { summary: 'Scope on its document', statement, document });

    // Only a published AIMS scope document's version in force; nothing recorded otherwise.
    expectProblem(await proposal({ documentId: 'aims-scope-doc', version: 1 }), 409, 'SCOPE_DOCUMENT_NOT_IN_FORCE');
    await publish('aims-scope-doc', 1, '# AIMS scope\nRetail credit, Lisbon.');
    expectProblem(await proposal({ documentId: 'aims-scope-doc', version: 2 }), 409, 'SCOPE_DOCUMENT_NOT_IN_FORCE');
    expectProblem(await proposal({ documentId: 'release-procedure', version: 1 }), 422, 'SCOPE_DOCUMENT_WRONG_KIND');
    expectProblem(await proposal({ documentId: 'no-such-doc', version: 1 }), 404);
    expectProblem(await proposal({ documentId: 'aims-scope-doc', version: 0 }), 400);
    const named = async (): Promise<number> => {
      let n = 0;
      for await (const e of api.events.readStream(AIMS_SCOPE_STREAM)) if (e.type === 'ScopeStatementDocumentNamed') n += 1;
      return n;
    };
    expect(await named()).toBe(0);

    const proposed = await proposal({ documentId: 'aims-scope-doc', version: 1 });
    expect(proposed.status).toBe(201);
    expect(proposed.body.recorded.map((r: { type: string }) => r.type)).toEqual([
      'ScopeStatementProposed',
      'ScopeStatementDocumentNamed',
      'HumanTaskOpened',
    ]);
    expect(await named()).toBe(1);
    await post('top_management', `/v1/tasks/${proposed.body.taskId as string}/decision`, { outcome: 'approve' }).expect(200);

    const view = await get('auditor', '/v1/scope');
    expect(view.body.inForce.document).toMatchObject({
      documentId: 'aims-scope-doc',
      version: 1,
      title: 'Scope of the AI management system',
    });
    expect(view.body.document).toMatchObject({
      documentId: 'aims-scope-doc',
      version: 1,
      markdownDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      versionInForce: 1,
      current: true,
    });
    expect((await cli(['show'])).out).toContain('Rests on document aims-scope-doc v1 "Scope of the AI management system" (sha256:');
    // Readiness (Stage 1) reads the same: the statement in force rests on the document's version in force.
    const scopeLine = async () =>
      ((await get('auditor', '/v1/readiness')).body.checks as Array<{ id: string; status: string; what: string }>).filter(
        (c) => c.id === 'aims-scope-approved',
      );
    expect(await scopeLine()).toEqual([
      expect.objectContaining({ status: 'met', what: expect.stringMatching(/resting on document aims-scope-doc version 1 \(in force\)$/) }),
    ]);

    // The document moves on; the statement in force still rests on v1: show and check say so.
    await publish('aims-scope-doc', 2, '# AIMS scope\nRetail credit, Lisbon and Porto.');
    const after = await get('auditor', '/v1/scope/check');
    expect(after.body.document).toMatchObject({ version: 1, versionInForce: 2, current: false });
    expect((await cli(['check'])).out).toContain('SUPERSEDED: the document is at v2; the statement should follow (6.3)');
    expect(await scopeLine()).toEqual([
      expect.objectContaining({
        status: 'gap',
        what: expect.stringMatching(
          /rests on document aims-scope-doc version 1, which is not the version in force \(version 2 is, since .*\(4\.3, 7\.5\.3\)/,
        ),
      }),
    ]);
  });
});
