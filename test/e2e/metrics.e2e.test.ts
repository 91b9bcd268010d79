/**
 * The API's Prometheus endpoint (issue 13 item 5) against a real engine: the gate's latency histogram by
 * outcome, requests by route template (never by raw path), open tasks by kind and overdue, projection lag.
 */
import { ApiMetrics } from '../../apps/api/src/metrics/api-metrics';
import { DIGEST_A, DIGEST_B, driveToSignedOff, startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';
import { eventually } from '../support/eventually';

describe('the API metrics endpoint', () => {
  let api: LifecycleApi;
  let metrics: { port: number; close(): Promise<void> };

  beforeAll(async () => {
    api = await startLifecycleApi();
    metrics = await api.app.get(ApiMetrics).listen('127.0.0.1', 0);
  });

  afterAll(async () => {
    await metrics?.close();
    await api?.close();
  });

  const scrape = async (): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${metrics.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('given a pending and a blocked gate answer, when scraped, then the gate histogram counts each outcome and the routes carry templates', async () => {
    await driveToSignedOff(api, 'metrics-model');
    await api.as('ci').post('/v1/ai-systems/metrics-model/deployments', { version: '1.0.0', artifactDigest: DIGEST_A }).expect(202);
    await api.as('ci').post('/v1/ai-systems/metrics-model/deployments', { version: '9.9.9', artifactDigest: DIGEST_B }).expect(409);

    const text = await scrape();

    expect(text).toMatch(/^aims_gate_duration_seconds_count\{outcome="pending"\} 1$/m);
    expect(text).toMatch(/^aims_gate_duration_seconds_count\{outcome="blocked"\} 1$/m);
    expect(text).toMatch(/^aims_gate_duration_seconds_bucket\{le="\+Inf",outcome="pending"\} 1$/m);
    expect(text).toMatch(/^aims_gate_answers_total\{outcome="blocked"\} 1$/m);
    expect(text).toMatch(
      /aims_http_request_duration_seconds_count\{method="POST",route="\/v1\/ai-systems\/:id\/deployments",status="202"\} 1/,
    );
    expect(text).not.toContain('metrics-model');
    expect(text).toMatch(/^aims_api_process_resident_memory_bytes \d+/m);

    // Both answers were recorded steps: each has its Update's round trip and its read-model wait, and the two
    // stages fit inside the gate's own latency (what remains is the API's: auth, validation, the answer).
    const sum = (series: string): number => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    for (const stage of ['workflow', 'read_models']) {
      expect(text).toMatch(new RegExp(`^aims_command_duration_seconds_count\\{update="requestDeployment",stage="${stage}"\\} 2$`, 'm'));
    }
    const workflow = sum('aims_command_duration_seconds_sum\\{update="requestDeployment",stage="workflow"\\}');
    const readModels = sum('aims_command_duration_seconds_sum\\{update="requestDeployment",stage="read_models"\\}');
    const gate =
      sum('aims_gate_duration_seconds_sum\\{outcome="pending"\\}') + sum('aims_gate_duration_seconds_sum\\{outcome="blocked"\\}');
    expect(workflow).toBeGreaterThan(0);
    expect(readModels).toBeGreaterThanOrEqual(0);
    expect(workflow + readModels).toBeLessThan(gate);
  });

  it('given the pending deployment, when scraped, then it is an open deployment_approval task that is not overdue, and the lag settles at 0', async () => {
    const text = await eventually(
      scrape,
      (t) => /^aims_open_tasks\{kind="deployment_approval",overdue="false"\} 1$/m.test(t) && /^aims_projection_lag_events 0$/m.test(t),
      'the projector to catch up with the pending task',
    );
    expect(text).toMatch(/^aims_projection_lag_seconds 0$/m);
  });

  it('answers 404 for anything but GET /metrics', async () => {
    expect((await fetch(`http://127.0.0.1:${metrics.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metrics.port}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
