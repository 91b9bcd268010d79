/**
 * The resources an AI system depends on (7.1, A.4.2, A.4.4–A.4.6) through the HTTP API and `aims systems
 * resources`, on the real engine (API app, Temporal dev server, worker, SQLite store): an engineer records
 * the tooling, compute and human resources with owners, the AIMS owner replaces the list, anyone reads the
 * current one; bad input is problem+json 400, roles that may not record it are 403, and neither writes.
 */
import type { AddressInfo } from 'node:net';
import { systemsCommand } from '../../apps/cli/src/commands/systems.command';
import { expectProblem, registrationBody, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';

jest.setTimeout(180_000);

let api: LifecycleApi;
beforeAll(async () => {
  api = await startLifecycleApi();
});
afterAll(async () => {
  await api?.close();
});

const gpu = { resourceId: 'gpu-pool', kind: 'compute', name: 'GPU pool', description: '4 × A100', owner: 'it-operations' };
const mlflow = { resourceId: 'mlflow', kind: 'tooling', name: 'MLflow', owner: 'erin' };
const validators = { resourceId: 'validators', kind: 'human', name: 'Validation team', description: '2 days per release', owner: 'victor' };

test('recorded by an engineer, replaced by the AIMS owner, read by anyone; bad input and other roles write nothing', async () => {
  const systemId = 'resourced';
  await api.as('engineer').post('/v1/ai-systems', registrationBody(systemId)).expect(201);
  const path = `/v1/ai-systems/${systemId}/resources`;
  expect((await api.as('auditor').get(path).expect(200)).body).toMatchObject({ systemId, resources: [], recordedAt: null });

  const first = await api
    .as('engineer')
    .post(path, { resources: [gpu, mlflow, validators], reason: 'first inventory' })
    .expect(201);
  expect(first.body).toMatchObject({
    systemId,
    resources: [gpu, { ...mlflow, description: '' }, validators],
    recorded: [{ type: 'ResourcesRecorded' }],
  });

  const before = await api.head();
  for (const body of [
    { resources: [{ ...gpu, kind: 'budget' }], reason: 'x' },
    { resources: [{ ...gpu, owner: undefined }], reason: 'x' },
    { resources: [gpu], reason: 'x', extra: 1 },
    { resources: [gpu, gpu], reason: 'x' },
    { resources: 'gpu', reason: 'x' },
    { resources: [gpu] },
  ]) {
    expectProblem(await api.as('engineer').post(path, body), 400);
  }
  for (const role of ['approver', 'validator', 'auditor', 'ci']) {
    expectProblem(await api.as(role).post(path, { resources: [gpu], reason: 'x' }), 403);
  }
  expectProblem(await api.as('engineer').post('/v1/ai-systems/nobody/resources', { resources: [gpu], reason: 'x' }), 404);
  expect(await api.head()).toBe(before);

  await api
    .as('aims_owner')
    .post(path, { resources: [gpu, validators], reason: 'MLflow retired' })
    .expect(201);
  const read = await api.as('auditor').get(path).expect(200);
  expect(read.body).toMatchObject({
    systemId,
    resources: [gpu, validators],
    reason: 'MLflow retired',
    recordedBy: { role: 'aims_owner' },
    evidenceId: expect.any(String),
  });
  expectProblem(await api.as('auditor').get('/v1/ai-systems/nobody/resources'), 404);

  // the CLI reads the same record
  await api.app.listen(0, '127.0.0.1');
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await systemsCommand(argv, {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: { AIMS_URL: `http://127.0.0.1:${port}`, AIMS_TOKEN: api.tokens.auditor },
    });
    return { code, out: out.join(''), err: err.join('') };
  };
  const shown = await run(['resources', systemId]);
  expect(shown).toMatchObject({ code: 0, err: '' });
  expect(shown.out).toMatch(/^resourced: 2 resource\(s\), recorded .* \(MLflow retired\)\n/);
  expect(shown.out).toMatch(
    /\ngpu-pool +compute +GPU pool +it-operations +4 × A100\nvalidators +human +Validation team +victor +2 days per release\n$/,
  );
  expect(JSON.parse((await run(['resources', systemId, '--json'])).out).resources).toHaveLength(2);
  expect((await run(['resources', 'nobody'])).code).toBe(2);
});
