/**
 * AIMS_LOG_FORMAT=json on a real API process: one JSON object per line, and each answered request logged
 * with its request id (the one the caller sent), route template and status, so a log pipeline can follow a
 * pipeline's command from its own log to the evidence (metadata.httpRequestId).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventually } from '../support/eventually';
import { startApiProcess, stopProcess, type ApiProcess } from '../support/engine-processes';

describe('the API log in JSON', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-api-logs-'));
  let api: ApiProcess | undefined;

  afterAll(async () => {
    await stopProcess(api);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('given AIMS_LOG_FORMAT=json, when requests are answered, then each is one JSON line with its request id, route template and status', async () => {
    api = await startApiProcess('logs', {
      AIMS_LOG_FORMAT: 'json',
      AIMS_DATA_DIR: dir,
      AIMS_EVENT_STORE_URL: `sqlite:${path.join(dir, 'evidence.db')}`,
      // Nothing listens here: the API starts regardless and /health does not need Temporal.
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      AIMS_LOG_LEVEL: 'info',
    });
    expect((await fetch(`${api.baseUrl}/health`, { headers: { 'X-Request-Id': 'ci-run-9:health' } })).status).toBe(200);
    expect((await fetch(`${api.baseUrl}/v1/ai-systems/some-system`)).status).toBe(401);

    const lines = await eventually(
      async () =>
        api!.output
          .join('')
          .split('\n')
          .filter((l) => l.startsWith('{')),
      (ls) => ls.filter((l) => l.includes('"context":"http"')).length >= 2,
      'two request lines',
    );
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = parsed.filter((p) => p.context === 'http').map((p) => p.message as Record<string, unknown>);
    expect(requests[0]).toMatchObject({ requestId: 'ci-run-9:health', method: 'GET', route: '/health', status: 200 });
    expect(requests[1]).toMatchObject({
      method: 'GET',
      route: '/v1/ai-systems/:id',
      status: 401,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(JSON.stringify(requests)).not.toContain('some-system');
  });
});
