/**
 * Issue 11, findings 5 and 7, through the real app with its default configuration: a raise whose id lies in
 * the engine's namespace, or whose review delay is out of bounds (PT1S makes the review immediate,
 * P100000000D overflowed the calendar), is a 400 naming the field, before any workflow starts. No Temporal
 * runs here: a raise that passes the checks reaches the start, which answers 503.
 */
import request from 'supertest';
import type { AimsRole } from '../../domain/shared/roles';
import { startApiHarness, type ApiHarness } from './support/api-harness';

describe('raising a nonconformity within the bounds and outside the engine namespace', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness();
  });

  afterAll(async () => {
    await api?.close();
  });

  const raise = (body: object, role: AimsRole = 'engineer') =>
    request(api.server as Parameters<typeof request>[0])
      .post('/v1/nonconformities')
      .set('Authorization', `Bearer ${api.tokens[role]}`)
      .send({
        nonconformityId: 'nc-bounds-1',
        title: 'Recall below threshold',
        description: 'Recall at 0.71 against 0.80.',
        source: 'internal_audit_finding',
        severity: 'major',
        aiSystemIds: ['credit-scoring'],
        ...body,
      });

  function expectFieldProblem(response: request.Response, field: string, message: RegExp): void {
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'urn:aims:problem:validation-failed', code: 'VALIDATION_FAILED', status: 400 });
    expect(response.body.errors).toEqual([{ field, messages: [expect.stringMatching(message)] }]);
  }

  it.each(['aims:nc-credit-scoring-report_1_auc-0123456789abcdef', 'AIMS:nc-minor-complaint'])(
    'given a caller id %s in the engine namespace, when raised, then 400 on nonconformityId',
    async (nonconformityId) => {
      expectFieldProblem(await raise({ nonconformityId }), 'nonconformityId', /namespace is the engine's/);
    },
  );

  it.each([
    ['PT1S', 'makes the review immediate'],
    ['P100000000D', 'overflowed the calendar'],
    ['P731D', 'is beyond two years'],
  ])('given a review delay of %s (it %s), when raised, then 400 on effectivenessReviewDelay', async (delay) => {
    expectFieldProblem(await raise({ effectivenessReviewDelay: delay }), 'effectivenessReviewDelay', /between 1 day\(s\) and 730 day\(s\)/);
  });

  it('given an escalation delay beyond a year, when raised, then 400 on escalationDelay', async () => {
    expectFieldProblem(await raise({ escalationDelay: 'P366D' }), 'escalationDelay', /between 0 day\(s\) and 365 day\(s\)/);
  });

  it('given a review delay of a day and an id of its own, when raised, then the checks pass and only the start fails (no Temporal here: 503)', async () => {
    const response = await raise({ effectivenessReviewDelay: 'P1D' });
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('TEMPORAL_UNAVAILABLE');
  });
});
