/**
 * The reading endpoints on the real app and a real SQLite store: evidence appended straight to the store
 * shows up in the projections (inventory, tasks, nonconformities) and in the audit endpoints; bad query
 * parameters and ids are 400 problem+json naming the field.
 */
import request from 'supertest';
import { appendSample } from '../support/sample-evidence';
import { eventually, startApiHarness, type ApiHarness } from './support/api-harness';

describe('reading endpoints', () => {
  let api: ApiHarness;
  let head: number;

  beforeAll(async () => {
    api = await startApiHarness();
    head = await appendSample(api.events);
    // The projector of the app follows the store: wait until the inventory reflects everything appended.
    await eventually(async () => {
      const response = await call('auditor', '/v1/ai-systems');
      expect(response.body.checkpoint).toBe(head);
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  function call(role: keyof ApiHarness['tokens'], path: string): request.Test {
    return request(api.server as Parameters<typeof request>[0])
      .get(path)
      .set('Authorization', `Bearer ${api.tokens[role]}`);
  }

  async function badRequest(role: keyof ApiHarness['tokens'], path: string, field: string): Promise<void> {
    const response = await call(role, path);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, type: 'urn:aims:problem:validation-failed' });
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  }

  describe('GET /v1/ai-systems', () => {
    it('given evidence of three systems appended to the store, when the inventory is listed, then all three appear in id order', async () => {
      const response = await call('engineer', '/v1/ai-systems').expect(200);
      expect(response.body.items.map((s: { systemId: string; stage: string }) => [s.systemId, s.stage])).toEqual([
        ['credit-scoring', 'in_production'],
        ['support-llm', 'impact_assessment'],
        ['vision-qc', 'validation'],
      ]);
      expect(response.body.nextCursor).toBeNull();
    });

    it.each([
      ['stage=validation', ['vision-qc']],
      ['riskTier=high', ['credit-scoring']],
      ['owner=otto', ['vision-qc']],
      ['provider=third_party_api', ['support-llm']],
      ['riskTier=limited&stage=in_production', []],
    ])('given the filter %s, when listed, then only matching systems come back', async (filter, ids) => {
      const response = await call('ci', `/v1/ai-systems?${filter}`).expect(200);
      expect(response.body.items.map((s: { systemId: string }) => s.systemId)).toEqual(ids);
    });

    it('given limit=1, when the cursor is followed, then every system comes exactly once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response: request.Response = await call('approver', `/v1/ai-systems?limit=1${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        seen.push(...response.body.items.map((s: { systemId: string }) => s.systemId));
        cursor = response.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['credit-scoring', 'support-llm', 'vision-qc']);
    });

    it('given bad filters, when listed, then 400 names each field', async () => {
      await badRequest('auditor', '/v1/ai-systems?stage=flying', 'stage');
      await badRequest('auditor', '/v1/ai-systems?limit=0', 'limit');
      await badRequest('auditor', '/v1/ai-systems?limit=ten', 'limit');
      await badRequest('auditor', '/v1/ai-systems?owner=a%20b', 'owner');
      await badRequest('auditor', '/v1/ai-systems?cursor=bm90LWEtY3Vyc29y', 'cursor');
      await badRequest('auditor', '/v1/ai-systems?cursor=$$$', 'cursor');
      await badRequest('auditor', '/v1/ai-systems?color=blue', 'color');
    });
  });

  describe('GET /v1/ai-systems/:id and its evidence', () => {
    it('given a registered system, when fetched, then its inventory row comes back', async () => {
      const response = await call('auditor', '/v1/ai-systems/credit-scoring').expect(200);
      expect(response.body).toMatchObject({ systemId: 'credit-scoring', productionVersion: '1.0.0', provider: { kind: 'in_house' } });
    });

    it('given an unknown id, when fetched, then 404 problem+json; an invalid id is 400 naming the field', async () => {
      const missing = await call('auditor', '/v1/ai-systems/nope').expect(404);
      expect(missing.headers['content-type']).toMatch(/problem\+json/);
      await badRequest('auditor', '/v1/ai-systems/bad--id', 'id');
      await badRequest('auditor', `/v1/ai-systems/${'x'.repeat(129)}`, 'id');
      await badRequest('auditor', '/v1/ai-systems/-leading/evidence', 'id');
    });

    it('given a system, when its evidence is read as of a position, then only what was recorded up to it comes back', async () => {
      const all = await call('engineer', '/v1/ai-systems/support-llm/evidence').expect(200);
      expect(all.body.stream).toBe('ai-system-support-llm');
      expect(all.body.items.map((e: { type: string }) => e.type)).toEqual(
        expect.arrayContaining(['AiSystemRegistered', 'ImpactAssessmentSubmitted', 'HumanTaskOpened']),
      );
      const first = all.body.items[0];
      const asOf = await call('engineer', `/v1/ai-systems/support-llm/evidence?asOf=${first.position}`).expect(200);
      expect(asOf.body).toMatchObject({ revision: 0, asOf: String(first.position) });
      expect(asOf.body.items).toEqual([first]);
      await call('engineer', '/v1/ai-systems/support-llm/evidence?asOf=2000-01-01').expect(404);
      await badRequest('engineer', '/v1/ai-systems/support-llm/evidence?asOf=yesterday', 'asOf');
    });
  });

  describe('GET /v1/tasks', () => {
    it('given an impact assessment awaiting review, when an approver asks for their tasks, then it is there; a validator and an auditor see none', async () => {
      const approver = await call('approver', '/v1/tasks').expect(200);
      expect(
        approver.body.items.map((t: { taskId: string; aiSystemId: string; kind: string }) => [t.aiSystemId, t.taskId, t.kind]),
      ).toEqual([['support-llm', 'task-IA-1', 'impact_assessment_review']]);
      expect(approver.body.items[0]).toMatchObject({ status: 'open', requestedByYou: false });
      // One inbox: a risk owner also sees the raised nonconformity's containment (undated, so after the review).
      expect(
        (await call('risk_owner', '/v1/tasks').expect(200)).body.items.map((t: { taskId: string; kind: string }) => [t.taskId, t.kind]),
      ).toEqual([
        ['task-IA-1', 'impact_assessment_review'],
        ['nc-2025-002:containment', 'containment'],
      ]);
      expect((await call('validator', '/v1/tasks').expect(200)).body.items).toEqual([]);
      expect((await call('auditor', '/v1/tasks').expect(200)).body.items).toEqual([]);
      expect((await call('approver', '/v1/tasks?aiSystemId=credit-scoring').expect(200)).body.items).toEqual([]);
      await badRequest('approver', '/v1/tasks?kind=Not-A-Kind', 'kind');
    });
  });

  describe('GET /v1/nonconformities', () => {
    it.each([
      ['', ['nc-2025-001', 'nc-2025-002']],
      ['?overdue=true', ['nc-2025-001']],
      ['?overdue=false', ['nc-2025-002']],
      ['?system=support-llm', ['nc-2025-002']],
      ['?severity=major', ['nc-2025-001']],
      ['?status=raised', ['nc-2025-002']],
      ['?status=closed', []],
    ])('given two nonconformities, when listed with "%s", then the right ones come back', async (filter, ids) => {
      const response = await call('risk_owner', `/v1/nonconformities${filter}`).expect(200);
      expect(response.body.items.map((n: { nonconformityId: string }) => n.nonconformityId)).toEqual(ids);
    });

    it('given bad filters, when listed, then 400 names each field', async () => {
      await badRequest('auditor', '/v1/nonconformities?overdue=maybe', 'overdue');
      await badRequest('auditor', '/v1/nonconformities?status=pending', 'status');
      await badRequest('auditor', '/v1/nonconformities?system=a--b', 'system');
    });
  });

  describe('audit endpoints (as an auditor)', () => {
    it('given the evidence, when events are listed across streams page by page, then positions run 1..head without gaps', async () => {
      const positions: number[] = [];
      let cursor: string | null = null;
      do {
        const response: request.Response = await call('auditor', `/v1/audit/events?limit=10${cursor ? `&cursor=${cursor}` : ''}`).expect(
          200,
        );
        positions.push(...response.body.items.map((e: { position: number }) => e.position));
        cursor = response.body.nextCursor;
      } while (cursor);
      expect(positions).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    });

    it('given filters by category, type, stream, position and as-of, when events are listed, then each applies', async () => {
      const nc = await call('auditor', '/v1/audit/events?category=nonconformity&limit=500').expect(200);
      expect(new Set(nc.body.items.map((e: { stream: string }) => e.stream))).toEqual(
        new Set(['nonconformity-nc-2025-001', 'nonconformity-nc-2025-002']),
      );
      const registered = await call('auditor', '/v1/audit/events?type=AiSystemRegistered,NonconformityRaised').expect(200);
      expect(registered.body.items).toHaveLength(5);
      const stream = await call('auditor', '/v1/audit/events?stream=ai-system-vision-qc&type=ModelVersionProposed').expect(200);
      expect(stream.body.items.map((e: { stream: string; type: string }) => [e.stream, e.type])).toEqual([
        ['ai-system-vision-qc', 'ModelVersionProposed'],
      ]);
      const from = await call('auditor', `/v1/audit/events?fromPosition=${head - 1}`).expect(200);
      expect(from.body.items.map((e: { position: number }) => e.position)).toEqual([head - 1, head]);
      const fifth = (await call('auditor', '/v1/audit/events?fromPosition=5&limit=1').expect(200)).body.items[0];
      const asOfTime = await call('auditor', `/v1/audit/events?asOf=${encodeURIComponent(fifth.recordedAt)}&limit=500`).expect(200);
      expect(asOfTime.body.items.every((e: { recordedAt: string }) => e.recordedAt <= fifth.recordedAt)).toBe(true);
      expect(asOfTime.body.items.map((e: { position: number }) => e.position)).toContain(5);
      const asOfPosition = await call('auditor', '/v1/audit/events?asOf=3').expect(200);
      expect(asOfPosition.body.items.map((e: { position: number }) => e.position)).toEqual([1, 2, 3]);
    });

    it('given evidence recorded before tagging, when listed by control or clause, then the process tables pick it out, page by page', async () => {
      const all = (await call('auditor', '/v1/audit/events?limit=500').expect(200)).body.items as Array<{
        type: string;
        stream: string;
        position: number;
      }>;
      const validation = ['ValidationResultsRecorded', 'AcceptanceCriteriaEvaluated', 'ValidationSignedOff', 'ValidationSignOffRefused'];
      const expected = all.filter((e) => e.stream.startsWith('ai-system-') && validation.includes(e.type)).map((e) => e.position);
      expect(expected.length).toBeGreaterThan(1);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const response: request.Response = await call(
          'auditor',
          `/v1/audit/events?control=A.6.2.4&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        seen.push(...response.body.items.map((e: { position: number }) => e.position));
        cursor = response.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
      // 10.2 (corrective action): both processes' evidence; a clause covers its sub-clauses
      const nc = (await call('auditor', '/v1/audit/events?clause=10.2&limit=500').expect(200)).body.items as Array<{ stream: string }>;
      expect(nc.some((e) => e.stream.startsWith('nonconformity-'))).toBe(true);
      const ten = (await call('auditor', '/v1/audit/events?clause=10&limit=500').expect(200)).body.items as unknown[];
      expect(ten.length).toBeGreaterThanOrEqual(nc.length);
      // with the other filters, and as of a point
      const asOf = (await call('auditor', `/v1/audit/events?control=A.6.2.4&asOf=${expected[0]}`).expect(200)).body.items;
      expect(asOf.map((e: { position: number }) => e.position)).toEqual([expected[0]]);
      const none = await call('auditor', '/v1/audit/events?control=A.6.2.4&category=nonconformity').expect(200);
      expect(none.body.items).toEqual([]);
    });

    it('given a control or clause that is not in the standard, or both at once, when listed, then 400 names the field', async () => {
      await badRequest('auditor', '/v1/audit/events?control=A.99.9', 'control');
      await badRequest('auditor', '/v1/audit/events?control=6.1.2', 'control');
      await badRequest('auditor', '/v1/audit/events?clause=A.6.2.4', 'clause');
      await badRequest('auditor', '/v1/audit/events?control=A.6.2.4&clause=9.1', 'clause');
    });

    it('given a stream, when its history is read (as of a point), then it comes back, and an unknown stream is 404', async () => {
      const history = await call('auditor', '/v1/audit/streams/nonconformity-nc-2025-002').expect(200);
      expect(history.body).toMatchObject({ stream: 'nonconformity-nc-2025-002', revision: 0, nextCursor: null });
      expect(history.body.items[0]).toMatchObject({
        type: 'NonconformityRaised',
        revision: 0,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      await call('auditor', '/v1/audit/streams/nonconformity-nope').expect(404);
      await badRequest('auditor', '/v1/audit/streams/no_dash', 'stream');
    });

    it('given the chain, when verified (whole, a range, against an anchor), then the report says intact', async () => {
      const post = (body: unknown) =>
        request(api.server as Parameters<typeof request>[0])
          .post('/v1/audit/verify')
          .set('Authorization', `Bearer ${api.tokens.auditor}`)
          .send(body as object);
      const whole = await post({}).expect(200);
      expect(whole.body).toMatchObject({ intact: true, fromPosition: 1, toPosition: head, eventsChecked: head });
      // the report says what the chain alone cannot show
      expect(whole.body.scope.trustSource).toEqual({ kind: 'none' });
      expect(whole.body.scope.cannotExclude.join('\n')).toMatch(/consistent rewrite of the whole chain[^]*deletion of the newest events/);
      const range = await post({ fromPosition: 2, toPosition: 4 }).expect(200);
      expect(range.body).toMatchObject({ intact: true, eventsChecked: 3 });
      const anchored = await post({ anchor: { position: head, hash: whole.body.lastHash } }).expect(200);
      expect(anchored.body.intact).toBe(true);
      expect(anchored.body.scope.trustSource).toEqual({ kind: 'anchor', position: head, hash: whole.body.lastHash });
      const bad = await post({ fromPosition: 'one', anchor: { position: 1, hash: 'xyz' }, extra: 1 }).expect(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['anchor.hash', 'extra', 'fromPosition']);
    });

    it('given bad audit query parameters, when listed, then 400 names each field', async () => {
      await badRequest('auditor', '/v1/audit/events?fromPosition=0', 'fromPosition');
      await badRequest('auditor', '/v1/audit/events?asOf=2026-02-30', 'asOf');
      await badRequest('auditor', '/v1/audit/events?category=-x', 'category');
      await badRequest('auditor', '/v1/audit/events?stream=nodash', 'stream');
      await badRequest('auditor', '/v1/audit/events?cursor=eyJhZnRlclJldmlzaW9uIjoxfQ', 'cursor');
    });
  });
});
