/**
 * The load the API benchmarks drive: the HTTP API's bodies (as the e2e tests send them), autocannon over
 * distinct paths, closed-loop callers for the raw Update baselines, and what each measurement keeps.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AimsRole } from '../domain/shared/roles';
import {
  datasetBody,
  DIGEST_A,
  goodMetrics,
  impactAssessmentBody,
  passingQualityBody,
  registrationBody,
} from '../test/support/credit-scoring-requests';
import { log } from './bench-report';
import { percentile } from './rounds';

/** The driver's collector, made reachable on first use (see collectDriverGarbage). */
let driverGc: (() => void) | undefined;

/**
 * A full collection of the driver's heap, before each measured phase. The driver is the load, not what is
 * measured, and its heap grows during the preparation (thousands of requests): a major collection of it
 * in the middle of a phase delayed whichever side's requests it fell on (a per-thread log of collector
 * pauses, 2026-12-08: 31 and 62 ms in the driver during a gate round, where the requests take 20-40 ms).
 * The flag is set at run time, not on the command line, because the driver's children inherit its
 * command-line flags and the processes measured must run as they would in production.
 */
export function collectDriverGarbage(): void {
  if (driverGc === undefined) {
    setFlagsFromString('--expose-gc');
    driverGc = runInNewContext('gc') as () => void;
  }
  driverGc();
}

/** Per-request timeout: a decision at 64 connections on two busy cores may queue for seconds. */
export const REQUEST_TIMEOUT_S = 120;

// autocannon ships no types; this is the part of its programmatic API the bench uses.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  amount?: number;
  duration?: number;
  timeout?: number;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
  /** Sampling interval (ms): a fixed-count run ends at its next sample, so the default 1 s rounds durations up. */
  sampleInt?: number;
}
export interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { total: number };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS module, typed just above
const runAutocannon = require('autocannon') as (options: AutocannonOptions) => AutocannonRun;
/** What autocannon's programmatic call returns: the result's promise, and its events (one per response). */
interface AutocannonRun extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): unknown;
}

/** autocannon's result with every 2xx answer's latency (ms, not rounded: its histogram keeps whole ms only). */
export type AutocannonMeasured = AutocannonResult & { samples: number[] };

/** autocannon sampling every 10 ms, so a fixed-count run's duration is not rounded up to whole seconds. */
export async function autocannon(options: AutocannonOptions): Promise<AutocannonMeasured> {
  const samples: number[] = [];
  const run = runAutocannon({ sampleInt: 10, ...options });
  run.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTimeMs);
  });
  return { ...(await run), samples };
}

// ---------------------------------------------------------------------------------------------------------
// Driving systems over HTTP, with the bodies the HTTP e2e tests send

class UnexpectedAnswerError extends Error {
  constructor(what: string, status: number, body: unknown) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
    this.name = 'UnexpectedAnswerError';
  }
}

/** Approving an impact assessment confirms its proposed risk tier (the decision rows' systems are high-risk). */
export const IA_APPROVAL = { outcome: 'approve', riskTier: 'high' };

/** The tiers the bench registers systems at: high (a person approves the gate) and minimal (the policy does). */
export type RiskTier = 'high' | 'minimal';

export class Api {
  constructor(
    readonly base: string,
    readonly tokens: Record<AimsRole, string>,
  ) {}

  async post<T = Record<string, unknown>>(role: AimsRole, urlPath: string, body: unknown, expected: number[]): Promise<T> {
    const response = await fetch(`${this.base}${urlPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.tokens[role]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as T;
    if (!expected.includes(response.status)) throw new UnexpectedAnswerError(`POST ${urlPath} as ${role}`, response.status, answer);
    return answer;
  }

  /** Registered (at `riskTier`) and assessed: one open impact-assessment review; returns its task id. */
  async toReviewOpen(systemId: string, riskTier: RiskTier = 'high'): Promise<string> {
    // 202: the workflow started but the worker had not recorded the registration yet; the next step queues behind it.
    await this.post('engineer', '/v1/ai-systems', registrationBody(systemId, { riskTier }), [201, 202]);
    const ia = await this.post<{ reviewTaskId: string }>(
      'engineer',
      `/v1/ai-systems/${systemId}/impact-assessments`,
      impactAssessmentBody(),
      [201],
    );
    return ia.reviewTaskId;
  }

  /**
   * Assessment approved (the reviewer confirming `riskTier`), dataset checked, version validated and signed
   * off: ready for the gate. A high-risk system's gate answers pending (a person approves); a minimal-risk
   * one's is approved by the organisation's policy at once, and its AI policy in force noted.
   */
  async toSignedOff(systemId: string, riskTier: RiskTier = 'high'): Promise<void> {
    const review = await this.toReviewOpen(systemId, riskTier);
    await this.post('approver', `/v1/tasks/${review}/decision`, { ...IA_APPROVAL, riskTier }, [200]);
    await this.post('engineer', `/v1/ai-systems/${systemId}/datasets`, datasetBody('DS-1'), [201]);
    await this.post('ci', `/v1/ai-systems/${systemId}/datasets/DS-1/quality-checks`, passingQualityBody(), [201]);
    await this.post(
      'ci',
      `/v1/ai-systems/${systemId}/versions`,
      { modelVersion: '1.0.0', artifactDigest: DIGEST_A, description: 'first model' },
      [201],
    );
    const v = await this.post<{ signOffTaskId: string }>(
      'ci',
      `/v1/ai-systems/${systemId}/validations`,
      { modelVersion: '1.0.0', artifactDigest: DIGEST_A, datasetIds: ['DS-1'], metrics: goodMetrics },
      [201],
    );
    await this.post('validator', `/v1/tasks/${v.signOffTaskId}/decision`, { outcome: 'approve' }, [200]);
  }
}

/** Runs `work` over `items`, `concurrency` at a time, in order of start; answers in item order. */
export async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Measurements

export interface Measured {
  label: string;
  connections: number;
  requests: number;
  ok: number;
  /** Answers other than 2xx, by status. */
  other: Record<string, number>;
  /** Socket errors and timeouts. */
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  mean: number;
  /** Every successful request's latency (ms), so percentiles can be taken over all rounds together. */
  samples: number[];
}

export const perSecond = (m: Measured): number => m.ok / m.seconds;

export function fromAutocannon(label: string, connections: number, r: AutocannonMeasured): Measured {
  const other: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(r.statusCodeStats)) if (!status.startsWith('2')) other[status] = count;
  return {
    label,
    connections,
    requests: r.requests.total,
    ok: r['2xx'],
    other,
    errors: r.errors + r.timeouts,
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
    samples: r.samples,
  };
}

/** POSTs walking a list of paths, one distinct path per request, `connections` at a time. */
export async function postEach(
  api: Api,
  role: AimsRole,
  paths: string[],
  connections: number,
  body: unknown,
  headers: (i: number) => Record<string, string> = () => ({}),
): Promise<AutocannonMeasured> {
  let next = 0;
  return autocannon({
    url: api.base,
    connections,
    amount: paths.length,
    timeout: REQUEST_TIMEOUT_S,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const i = next++;
          // Past the list (autocannon never asks, but if it did): a task that does not exist, so a 404 shows.
          const target = paths[i] ?? '/v1/tasks/bench-no-such-task/decision';
          return {
            ...request,
            path: target,
            headers: { authorization: `Bearer ${api.tokens[role]}`, 'content-type': 'application/json', ...headers(i) },
            body: JSON.stringify(body),
          };
        },
      },
    ],
  });
}

/** The raw Update baseline: `connections` callers in a closed loop, like autocannon's connections. */
export async function rawUpdates(label: string, connections: number, count: number, send: (i: number) => Promise<void>): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        try {
          await send(i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors += 1;
          if (errors === 1) log(`${label}: first failure: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    connections,
    requests: count,
    ok: latencies.length,
    other: {},
    errors,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    samples: latencies,
  };
}
