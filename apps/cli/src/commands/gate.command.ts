/**
 * `aims gate`: the CI/CD deployment gate. Asks the API whether this exact artifact may be deployed and
 * exits 0 allowed, 1 blocked (or still pending at the deadline), 2 on an error — so a pipeline step is
 * simply `aims gate --system … --version … --digest …`.
 *
 * API contract (POST /v1/ai-systems/{id}/deployments, Idempotency-Key header, scoped to the token's identity):
 *   200 {outcome:'allowed', requestId, …}
 *   202 {outcome:'pending', requestId, task:{id, kind, requiredRoles, dueAt}}
 *   409 problem+json {outcome:'blocked', requestId, reasons:[{code, message, riskIds?}]}
 * and GET /v1/ai-systems/{id}/deployments/{requestId} → the same body with the current outcome.
 */
import { aiPolicySummary, type AiPolicyVersionRef } from '../../../../domain/shared/policy-in-force';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { printable } from '../printable';
import { UsageError } from '../usage-error';

export interface GateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

const defaultIo = (): GateIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
});

export const GATE_USAGE = `Usage: aims gate --system ID --version V --digest sha256:<64 hex> [--environment ENV] [--commit SHA]
                 [--triggered-by IDENTITY] [--wait DURATION] [--idempotency-key KEY] [--json]
  Needs AIMS_URL (e.g. http://127.0.0.1:3000) and AIMS_TOKEN (a token with the ci or engineer role).
  --triggered-by names the person who pushed or started the run (their aims identity); they may not approve it.
  --wait polls while the request awaits approval: 30s, 10m, 1h. Exit 0 allowed, 1 blocked or pending, 2 error.`;

interface GateAnswer {
  outcome: 'allowed' | 'blocked' | 'pending';
  requestId?: string;
  reasons?: Array<{ code: string; message: string; riskIds?: string[] }>;
  task?: { id: string; kind?: string; requiredRoles?: string[]; dueAt?: string };
  aiPolicy?: { policies?: AiPolicyVersionRef[] };
  [key: string]: unknown;
}

export function parseDuration(raw: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(raw.trim());
  if (!match) throw new UsageError(`--wait must be a duration such as 90s, 10m or 1h, not "${raw}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

export async function gateCommand(argv: string[], io: GateIo = defaultIo()): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      system: { type: 'string' },
      version: { type: 'string' },
      digest: { type: 'string' },
      environment: { type: 'string', default: 'production' },
      commit: { type: 'string' },
      'triggered-by': { type: 'string' },
      wait: { type: 'string' },
      'idempotency-key': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const missing = (['system', 'version', 'digest'] as const).filter((k) => !values[k]);
  if (missing.length > 0) throw new UsageError(`gate needs ${missing.map((m) => `--${m}`).join(', ')}\n\n${GATE_USAGE}`);
  if (!/^sha256:[0-9a-f]{64}$/.test(values.digest as string))
    throw new UsageError('--digest must be sha256: followed by 64 lower-case hex digits');
  const triggeredBy = values['triggered-by'];
  if (triggeredBy !== undefined && (triggeredBy.trim() === '' || triggeredBy.length > 200)) {
    throw new UsageError('--triggered-by must be the identity of the person behind the run (1-200 characters)');
  }
  const waitMs = values.wait ? parseDuration(values.wait) : 0;
  const baseUrl = io.env.AIMS_URL?.replace(/\/+$/, '');
  const token = io.env.AIMS_TOKEN;
  if (!baseUrl) throw new UsageError('AIMS_URL is not set (the API, e.g. http://127.0.0.1:3000)');
  if (!token) throw new UsageError('AIMS_TOKEN is not set (create one with `aims tokens create --name pipeline --role ci`)');

  const body = {
    version: values.version,
    artifactDigest: values.digest,
    environment: values.environment,
    ...(values.commit ? { commit: values.commit } : {}),
    ...(triggeredBy !== undefined ? { triggeredBy } : {}),
  };
  // The same pipeline run asking for the same artifact gives the same key, so a retried call never opens a
  // second request; a new run (after the cause of a block was fixed) gets a new key and a fresh decision.
  const idempotencyKey =
    values['idempotency-key'] ??
    `gate-${createHash('sha256')
      .update(JSON.stringify([values.system, body, pipelineRun(io.env)]))
      .digest('hex')
      .slice(0, 32)}`;
  const systemPath = `${baseUrl}/v1/ai-systems/${encodeURIComponent(values.system as string)}/deployments`;

  let answer = await call(io, 'POST', systemPath, token, body, idempotencyKey);
  const deadline = io.now() + waitMs;
  let announced = false;
  while (answer.outcome === 'pending' && io.now() < deadline && answer.requestId) {
    if (!announced) {
      io.stderr(
        `${printable(
          `pending approval: task ${answer.task?.id ?? '?'}${answer.task?.requiredRoles ? ` (needs ${answer.task.requiredRoles.join(' or ')})` : ''}; waiting up to ${values.wait}`,
        )}\n`,
      );
      announced = true;
    }
    await io.sleep(Math.min(5000, Math.max(0, deadline - io.now())));
    answer = await call(io, 'GET', `${systemPath}/${encodeURIComponent(answer.requestId)}`, token);
  }
  report(io, answer, values.json ?? false);
  return answer.outcome === 'allowed' ? 0 : 1;
}

/** The CI system's own id of this run (and attempt), where one is set; none outside CI. */
export function pipelineRun(env: NodeJS.ProcessEnv): string | null {
  const parts = [
    env.GITHUB_RUN_ID && `github:${env.GITHUB_RUN_ID}:${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
    env.CI_PIPELINE_ID && `gitlab:${env.CI_PIPELINE_ID}:${env.CI_JOB_ID ?? ''}`,
    env.BUILD_TAG && `jenkins:${env.BUILD_TAG}`,
    env.BUILD_BUILDID && `azure:${env.BUILD_BUILDID}:${env.SYSTEM_JOBATTEMPT ?? '1'}`,
  ].filter(Boolean);
  return parts.length > 0 ? (parts[0] as string) : null;
}

async function call(
  io: GateIo,
  method: 'GET' | 'POST',
  url: string,
  token: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<GateAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json, application/problem+json',
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new Error(`cannot reach the aims API at ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text();
  let parsed: GateAnswer & { title?: string; detail?: string };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new Error(`the API answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (response.status === 200 || response.status === 202 || (response.status === 409 && parsed.outcome === 'blocked')) return parsed;
  throw new Error(`the API refused the request (${response.status} ${parsed.title ?? ''}): ${parsed.detail ?? text.slice(0, 500)}`);
}

function report(io: GateIo, answer: GateAnswer, json: boolean): void {
  if (json) {
    io.stdout(`${JSON.stringify(answer)}\n`);
    return;
  }
  // Server text goes to CI logs: one line each, control characters shown (a newline could forge a log line).
  const line = (text: string): void => io.stdout(`${printable(text)}\n`);
  if (answer.outcome === 'allowed') line(`ALLOWED: deployment request ${answer.requestId ?? ''} may go out`);
  else if (answer.outcome === 'pending')
    line(`PENDING: deployment request ${answer.requestId ?? ''} awaits approval task ${answer.task?.id ?? '?'}`);
  else {
    line(`BLOCKED: deployment request ${answer.requestId ?? ''} may not go out:`);
    for (const reason of answer.reasons ?? []) {
      const risks = Array.isArray(reason.riskIds) && reason.riskIds.length > 0 ? ` [risks: ${reason.riskIds.join(', ')}]` : '';
      line(`  - ${reason.code}: ${reason.message}${risks}`);
    }
  }
  // The AI policy the decision was taken under (5.2), once the lifecycle noted it.
  if (Array.isArray(answer.aiPolicy?.policies)) line(`  AI policy in force at the decision: ${aiPolicySummary(answer.aiPolicy.policies)}`);
}
