import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/create-app';
import { loadConfig } from '../../infra/config/config';
import { startTemporal } from '../support/temporal';

describe('GET /health and /ready', () => {
  let env: TestWorkflowEnvironment;
  let app: INestApplication;
  let down: INestApplication;
  // A fresh evidence store per run, never the repository's data/.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-health-'));

  beforeAll(async () => {
    env = await startTemporal();
    app = await createApiApp(loadConfig({ TEMPORAL_ADDRESS: env.address, AIMS_DATA_DIR: dataDir }), { logger: false });
    await app.init();
    // An API pointed at a port where nothing listens.
    down = await createApiApp(loadConfig({ TEMPORAL_ADDRESS: '127.0.0.1:1', AIMS_DATA_DIR: dataDir }), { logger: false });
    await down.init();
  });

  afterAll(async () => {
    await app?.close();
    await down?.close();
    await env?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a running API, when /health is asked, then it answers 200', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok' });
  });

  it('given Temporal and the evidence store answer, when /ready is asked, then it answers 200 with both checks', async () => {
    const response = await request(app.getHttpServer()).get('/ready').expect(200);
    expect(response.body).toEqual({
      status: 'ready',
      checks: [
        { name: 'temporal', status: 'up' },
        { name: 'event-store', status: 'up' },
      ],
    });
  });

  it('given Temporal is unreachable, when /ready is asked, then it answers 503 problem+json naming Temporal', async () => {
    const response = await request(down.getHttpServer()).get('/ready').expect(503);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 503, type: 'urn:aims:problem:not-ready' });
    expect(response.body.detail).toBe('not ready: temporal down');
    expect(response.body.checks).toEqual([
      { name: 'temporal', status: 'down' },
      { name: 'event-store', status: 'up' },
    ]);
    // Why it is down (addresses, error text) is the operator's, in the log: a stranger learns up or down.
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|connect|no answer/i);
  });

  it('given an unknown route, when asked, then the error is problem+json', async () => {
    const response = await request(app.getHttpServer()).get('/nope').expect(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, title: 'Not Found', instance: '/nope' });
  });

  it('given the OpenAPI document, when fetched, then it describes the health endpoints', async () => {
    const response = await request(app.getHttpServer()).get('/docs/openapi.json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
  });

  it('given the OpenAPI document, when fetched, then the verify report describes its scope and every problem kind', async () => {
    const { schemas } = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200)).body.components;
    expect(schemas.VerifyReportDto.required).toContain('scope');
    expect(schemas.VerifyReportDto.properties.problem.enum).toContain('not-canonical');
    expect(schemas.VerifyScopeDto.required).toEqual(expect.arrayContaining(['trustSource', 'proves', 'cannotExclude']));
    expect(schemas.VerifyTrustSourceDto.properties.kind.enum).toEqual(['none', 'anchor', 'checkpoint']);
  });
});
