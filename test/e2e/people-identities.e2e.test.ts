/**
 * One identity, one person, through the HTTP API on the real engine (API app, Temporal dev server, worker,
 * SQLite store): a second person claiming a token name, JWT subject or e-mail address someone already has
 * is refused 409 IDENTITY_TAKEN (problem+json naming the holder) and nothing is written; of two
 * registrations claiming one identity at the same moment exactly one is registered; identities a person
 * gives up can then be someone else's; only the AIMS owner or top management register anyone.
 */
import request from 'supertest';
import { expectProblem, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(180_000);

let api: LifecycleApi;
beforeAll(async () => {
  api = await startLifecycleApi();
});
afterAll(async () => {
  await api?.close();
});

const person = (personId: string, identities: string[], contact = `${personId}@example.com`) => ({
  personId,
  name: personId.toUpperCase(),
  contact,
  unit: 'model-risk',
  identities,
});
const register = (role: string, body: object) => api.as(role).post('/v1/people', body);

test('a second person claiming a taken identity or e-mail is refused 409 and nothing is written; concurrent claims: one wins', async () => {
  await register('aims_owner', person('ana', ['ana-token', 'ana|jwt-sub'])).expect(201);

  for (const [body, identity] of [
    [person('bob', ['ANA-TOKEN']), 'ana-token'],
    [person('bob', ['bob-token'], 'Ana@Example.com'), 'ana@example.com'],
    [person('bob', ['bob-token', 'ana|jwt-sub']), 'ana|jwt-sub'],
  ] as const) {
    const before = await api.head();
    const refused = await register('top_management', body);
    expectProblem(refused, 409, 'IDENTITY_TAKEN');
    expect(refused.body.details).toMatchObject({ identity, heldBy: 'ana', personId: 'bob' });
    expect(refused.body.detail).toContain('already acts for ana');
    expect(await api.head()).toBe(before);
  }
  expectProblem(await api.as('auditor').get('/v1/people/bob'), 404);
  // only the appointing roles register anyone
  const before = await api.head();
  expectProblem(await register('engineer', person('bob', ['bob-token'])), 403);
  expect(await api.head()).toBe(before);

  // two registrations claiming one JWT subject at the same moment: exactly one is registered
  const both = await Promise.all([
    register('aims_owner', person('cleo', ['shared-sub', 'cleo-token'])),
    register('top_management', person('dan', ['shared-sub', 'dan-token'])),
  ]);
  expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  const loser = both[0].status === 409 ? both[0] : both[1];
  expect(loser.body).toMatchObject({ code: 'IDENTITY_TAKEN' });
  const loserId = loser === both[0] ? 'cleo' : 'dan';
  expectProblem(await api.as('auditor').get(`/v1/people/${loserId}`), 404);

  // ana gives up her token: it can be someone else's; her new one cannot be taken from her
  const put = (role: string, path: string, body: object) =>
    request(api.server as Parameters<typeof request>[0])
      .put(path)
      .set('Authorization', `Bearer ${api.tokens[role as 'aims_owner']}`)
      .send(body);
  await put('aims_owner', '/v1/people/ana/identities', { identities: ['ana-new-token', 'ana|jwt-sub'], reason: 'token rotated' }).expect(
    200,
  );
  await register('aims_owner', person('erin', ['ana-token'])).expect(201);
  const beforeChange = await api.head();
  const taken = await put('top_management', '/v1/people/erin/identities', { identities: ['ana-new-token'], reason: 'typo' });
  expectProblem(taken, 409, 'IDENTITY_TAKEN');
  expect(taken.body.details).toMatchObject({ identity: 'ana-new-token', heldBy: 'ana' });
  expect(await api.head()).toBe(beforeChange);
  const erin = await api.as('auditor').get('/v1/people/erin').expect(200);
  expect(erin.body.identities).toEqual(['ana-token']);

  // the register's evidence: reservations and the release, each tagged
  const evidence = await api.as('aims_owner').get('/v1/audit/streams/people-identities-organisation?limit=100').expect(200);
  expect(evidence.body.items.map((e: { type: string; data: { personId: string } }) => [e.type, e.data.personId])).toEqual([
    ['IdentitiesReserved', 'ana'],
    ['IdentitiesReserved', loserId === 'cleo' ? 'dan' : 'cleo'],
    ['IdentitiesReserved', 'ana'],
    ['IdentitiesReleased', 'ana'],
    ['IdentitiesReserved', 'erin'],
  ]);
});
