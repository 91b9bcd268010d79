/**
 * Evidence names the identity that acted and the credential that proved it (issue 11, finding 4), on the
 * real engine: the API puts the caller's credential into each command under its signature, the worker
 * records it in each event's `metadata.credential` once the signature holds.
 */
import { newSigningKey, signJwt, startJwksServer, type JwksServer, type TestSigningKey } from '../support/jwks-server';
import { impactAssessmentBody, registrationBody, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'aims-e2e';

let api: LifecycleApi;
let idp: JwksServer;
let key: TestSigningKey;

beforeAll(async () => {
  key = newSigningKey('ES256', 'cred-1');
  idp = await startJwksServer([key]);
  api = await startLifecycleApi({ AIMS_JWT_JWKS_URL: idp.url, AIMS_JWT_ISSUER: ISSUER, AIMS_JWT_AUDIENCE: AUDIENCE });
});

afterAll(async () => {
  await api?.close();
  await idp?.close();
});

/** The token id inside `aims_<id>_<secret>`. */
const tokenIdOf = (token: string): string => token.split('_')[1];

async function streamEvents(stream: string) {
  const events = [];
  for await (const event of api.events.readStream(stream)) events.push(event);
  return events;
}

test('given a start, an Update by API token and a decision by JWT, when recorded, then each event names its identity and credential', async () => {
  const id = 'credential-trail';
  await api.as('engineer').post('/v1/ai-systems', registrationBody(id)).expect(201);
  const ia = await api.as('engineer').post(`/v1/ai-systems/${id}/impact-assessments`, impactAssessmentBody()).expect(201);
  const now = Math.floor(Date.now() / 1000);
  const jwt = signJwt(key, {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'Approver-7',
    jti: 'jwt-id-1',
    exp: now + 300,
    roles: ['aims:approver'],
  });
  await api
    .as(jwt)
    .post(`/v1/tasks/${ia.body.reviewTaskId as string}/decision`, { outcome: 'approve', comment: 'fine', riskTier: 'high' })
    .expect(200);

  const events = await streamEvents(`ai-system-${id}`);
  const engineerToken = { kind: 'api-token', tokenId: tokenIdOf(api.tokens.engineer) };
  const byType = (type: string) => events.find((e) => e.type === type);
  expect(byType('AiSystemRegistered')?.metadata).toMatchObject({ actor: { id: 'engineer-token' }, credential: engineerToken });
  expect(byType('ImpactAssessmentSubmitted')?.metadata).toMatchObject({ actor: { id: 'engineer-token' }, credential: engineerToken });
  const decided = events.filter((e) => e.metadata.actor?.id === 'approver-7');
  expect(decided.length).toBeGreaterThan(0);
  for (const event of decided) {
    expect(event.metadata.credential).toEqual({ kind: 'jwt', issuer: ISSUER, subject: 'Approver-7', jti: 'jwt-id-1' });
  }
  // Every event a person's command recorded names a credential; the engine's own steps name none.
  for (const event of events) {
    if (event.metadata.actor?.role === 'system') expect(event.metadata.credential).toBeUndefined();
    else expect(event.metadata.credential).toBeDefined();
  }
});

test('given an X-Request-Id, when a command is answered, then the answer echoes it and every event of the step records it; a malformed one is replaced', async () => {
  const id = 'request-id-trail';
  const registered = await api
    .as('engineer')
    .post('/v1/ai-systems', registrationBody(id))
    .set('X-Request-Id', 'pipeline-run-42:step-1')
    .expect(201);
  expect(registered.headers['x-request-id']).toBe('pipeline-run-42:step-1');
  const assessed = await api
    .as('engineer')
    .post(`/v1/ai-systems/${id}/impact-assessments`, impactAssessmentBody())
    .set('X-Request-Id', 'not ok; {spaces and braces}')
    .expect(201);
  const made = assessed.headers['x-request-id'];
  expect(made).toMatch(/^[0-9a-f-]{36}$/);

  const events = await streamEvents(`ai-system-${id}`);
  expect(events.find((e) => e.type === 'AiSystemRegistered')?.metadata.requestId).toBe('pipeline-run-42:step-1');
  const step = events.filter((e) => e.type === 'ImpactAssessmentSubmitted' || e.type === 'HumanTaskOpened');
  expect(step.length).toBe(2);
  for (const event of step) expect(event.metadata.requestId).toBe(made);
});
