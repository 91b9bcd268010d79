/**
 * `aims demo`: a populated engine within minutes of `npm start`. Against the running API (AIMS_URL) and its
 * store (for the tokens), it issues one API token per role (printed once), registers three sample AI
 * systems through the API and drives their lifecycles with the role each step needs:
 *   - an in-house credit-scoring model: through every gate into production, a person approving the deploy;
 *   - a third-party LLM API in customer support: validated and signed off, its deployment left PENDING
 *     approval (an approver's open task);
 *   - a vision model in quality inspection: minimal risk, so the policy approves its deployment; its first
 *     monitoring report BREACHES a threshold and opens a nonconformity.
 * Then it prints where to look: the API and /docs, the Temporal UI, and `aims evidence verify`.
 * Exit codes: 0 done, 2 an error (API unreachable, a step refused).
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { aiSystemStreamName } from '../../../../domain/ai-system/identity';
import { AIMS_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import { openTokenStore } from '../../../../infra/auth/open-token-store';
import { TokenNameTakenError } from '../../../../infra/auth/token-errors';
import { loadConfig } from '../../../../infra/config/config';
import { UsageError } from '../usage-error';
import { demoInternalAudit } from './demo-audit';
import { demoAiPolicy } from './demo-documents';
import { demoPeople } from './demo-people';
import { demoRisk, demoRiskCriteria, demoStatementOfApplicability } from './demo-risks';
import { demoContext, demoScope } from './demo-scope';
import { demoManagementReview } from './demo-review';
import { demoObjectives } from './demo-objectives';

export const DEMO_USAGE = `Usage: aims demo [--url URL] [--store URL]
  Needs a running engine (npm start). Issues one API token per role (printed once), registers three sample
  AI systems through the API and drives their lifecycles, leaving a deployment pending approval and a
  monitoring breach. --url defaults to AIMS_URL or http://127.0.0.1:3000; --store to AIMS_EVENT_STORE_URL.`;

export interface DemoIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): DemoIo => ({ stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env });

/** The people of the demo: one per role; their token names are the actor ids the evidence records. */
const PEOPLE: Record<AimsRole, string> = {
  admin: 'adam.admin',
  top_management: 'tara.topmanagement',
  aims_owner: 'olivia.owner',
  risk_owner: 'rik.risk',
  approver: 'alice.approver',
  validator: 'victor.validator',
  engineer: 'erin.engineer',
  ci: 'ci.pipeline',
  auditor: 'audrey.auditor',
  internal_auditor: 'ines.internalauditor',
};

export interface DemoResult {
  apiUrl: string;
  /** Token name and secret per role (secrets are shown once). */
  tokens: Record<AimsRole, { name: string; token: string }>;
  systems: { creditScoring: string; supportAssistant: string; visualInspection: string };
  pendingDeployment: { systemId: string; requestId: string; taskId: string };
  breach: { systemId: string; reportId: string; nonconformityIds: string[] };
}

class DemoStepError extends Error {}

export async function demoCommand(argv: string[], io: DemoIo = defaultIo()): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' }, store: { type: 'string' } }, strict: true });
  await runDemo({ url: values.url, store: values.store }, io);
  return 0;
}

export async function runDemo(options: { url?: string; store?: string }, io: DemoIo): Promise<DemoResult> {
  const apiUrl = (options.url ?? io.env.AIMS_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  if (!/^https?:\/\/.+/.test(apiUrl)) throw new UsageError(`the API URL must be http(s)://host:port, not "${apiUrl}"`);
  const config = loadConfig(io.env);
  const storeUrl = options.store ?? config.eventStoreUrl;
  const say = (line: string) => io.stdout(`${line}\n`);

  await expectApi(apiUrl);
  const api = new DemoApi(apiUrl);

  // ----- tokens -----
  const tokens = await issueTokens(storeUrl);
  say('API tokens, one per role. They are shown only now (the store keeps salted hashes): paste these lines');
  say('into your shell to run the examples at the end; revoke one with `aims tokens revoke NAME`.');
  for (const role of AIMS_ROLES) say(`  export ${tokenVariable(role)}=${tokens[role].token}   # ${tokens[role].name} (${role})`);
  say('');
  const as = (role: AimsRole) => tokens[role].token;

  // ----- the three systems -----
  const suffix = await freeSuffix(api, as('auditor'), ['credit-scoring', 'support-assistant', 'visual-inspection']);
  const ids = {
    creditScoring: `credit-scoring${suffix}`,
    supportAssistant: `support-assistant${suffix}`,
    visualInspection: `visual-inspection${suffix}`,
  };
  const window = lastWeek();
  await demoPeople(api, tokens, say);
  await demoContext(api, tokens, ids.creditScoring, say);
  await demoScope(api, tokens, Object.values(ids), say);
  await demoRiskCriteria(api, tokens, say);
  const riskIds: string[] = [];

  // 1. In-house credit scoring, high risk: every gate, a person approves the deployment.
  {
    const id = ids.creditScoring;
    say(`${id} — in-house credit-scoring model (high risk)`);
    await api.post(as('aims_owner'), '/v1/ai-systems', {
      systemId: id,
      name: 'Credit scoring model',
      purpose: 'Rank consumer-loan applications by probability of default',
      intendedUse: 'Decision support for credit officers; a person takes every refusal',
      owner: tokens.aims_owner.name,
      provider: { kind: 'in_house', supplier: null },
      riskTier: 'high',
      acceptanceCriteria: [
        { metric: 'auc', direction: 'higher_is_better', threshold: 0.75 },
        { metric: 'false_positive_rate', direction: 'lower_is_better', threshold: 0.1 },
      ],
    });
    say(`  registered by ${tokens.aims_owner.name}`);
    await assessAndApprove(api, id, creditImpacts(tokens.engineer.name), as('engineer'), as('risk_owner'), 'high');
    say(`  impact assessment submitted by ${tokens.engineer.name}, approved by ${tokens.risk_owner.name}`);
    riskIds.push(await demoRisk(api, tokens, id, say));
    const digest = digestOf(id, '1.0.0');
    await validateAndSignOff(api, id, as, {
      version: '1.0.0',
      digest,
      dataset: 'loan-applications-2025',
      metrics: [
        { metric: 'auc', value: 0.82 },
        { metric: 'false_positive_rate', value: 0.06 },
      ],
    });
    say(`  dataset, quality check, version 1.0.0 and validation recorded by ${tokens.ci.name}; signed off by ${tokens.validator.name}`);
    const key = `demo-${id}-1.0.0`;
    const pending = await api.gate(
      as('ci'),
      id,
      { version: '1.0.0', artifactDigest: digest, environment: 'production', commit: 'a1b2c3d' },
      key,
    );
    if (pending.outcome !== 'pending')
      throw new DemoStepError(`expected the credit-scoring deployment to await approval, got ${pending.outcome}`);
    await api.post(
      as('approver'),
      `/v1/tasks/${pending.task.id}/decision`,
      { outcome: 'approve', comment: 'Validation and impact assessment in order', evidenceRefs: ['CAB-2041'] },
      200,
    );
    const allowed = await api.gate(
      as('ci'),
      id,
      { version: '1.0.0', artifactDigest: digest, environment: 'production', commit: 'a1b2c3d' },
      key,
    );
    if (allowed.outcome !== 'allowed') throw new DemoStepError(`expected the approved deployment to be allowed, got ${allowed.outcome}`);
    say(`  deployment ${allowed.requestId}: pending → approved by ${tokens.approver.name} → allowed`);
    await api.post(as('ci'), `/v1/ai-systems/${id}/deployments/${allowed.requestId}/completion`, {}, 200);
    await api.post(as('ci'), `/v1/ai-systems/${id}/monitoring-reports`, {
      window,
      metrics: [
        { metric: 'auc', value: 0.81 },
        { metric: 'false_positive_rate', value: 0.07 },
      ],
    });
    say('  in production; first monitoring report within thresholds');
  }

  // 2. Third-party LLM API in customer support, limited risk: deployment left pending approval.
  let pendingDeployment: DemoResult['pendingDeployment'];
  // The gate command printed at the end repeats this call: the same token and key ask about the same request.
  const pendingKey = `demo-${ids.supportAssistant}-2025-06`;
  {
    const id = ids.supportAssistant;
    say(`${id} — third-party LLM API in customer support (limited risk)`);
    await api.post(as('engineer'), '/v1/ai-systems', {
      systemId: id,
      name: 'Customer support assistant',
      purpose: 'Draft answers to customer e-mails from the knowledge base',
      intendedUse: 'Agents review and send every draft; no direct replies to customers',
      owner: tokens.engineer.name,
      provider: { kind: 'third_party_api', supplier: 'LLM Provider Ltd' },
      riskTier: 'limited',
      acceptanceCriteria: [
        { metric: 'answer_accuracy', direction: 'higher_is_better', threshold: 0.9 },
        { metric: 'harmful_output_rate', direction: 'lower_is_better', threshold: 0.01 },
      ],
    });
    say(`  registered by ${tokens.engineer.name}`);
    await assessAndApprove(api, id, supportImpacts(tokens.engineer.name), as('engineer'), as('approver'), 'limited');
    say(`  impact assessment submitted by ${tokens.engineer.name}, approved by ${tokens.approver.name}`);
    const digest = digestOf(id, '2025-06');
    await validateAndSignOff(api, id, as, {
      version: '2025-06',
      digest,
      dataset: 'support-eval-prompts',
      metrics: [
        { metric: 'answer_accuracy', value: 0.93 },
        { metric: 'harmful_output_rate', value: 0.002 },
      ],
    });
    say(`  evaluation set, version 2025-06 and validation recorded by ${tokens.ci.name}; signed off by ${tokens.validator.name}`);
    const gate = await api.gate(
      as('ci'),
      id,
      { version: '2025-06', artifactDigest: digest, environment: 'production', commit: 'f00dbab' },
      pendingKey,
    );
    if (gate.outcome !== 'pending')
      throw new DemoStepError(`expected the support-assistant deployment to await approval, got ${gate.outcome}`);
    pendingDeployment = { systemId: id, requestId: gate.requestId, taskId: gate.task.id };
    say(`  deployment ${gate.requestId} PENDING: task ${gate.task.id} awaits an ${gate.task.requiredRoles.join(' or ')}`);
  }

  // 3. Vision model in quality inspection, minimal risk: auto-approved, then a monitoring breach.
  let breach: DemoResult['breach'];
  {
    const id = ids.visualInspection;
    say(`${id} — vision model in quality inspection (minimal risk)`);
    await api.post(as('aims_owner'), '/v1/ai-systems', {
      systemId: id,
      name: 'Visual quality inspection',
      purpose: 'Flag surface defects on machined parts at the end of line 3',
      intendedUse: 'Flags parts for a human inspector; it never scraps a part by itself',
      owner: tokens.engineer.name,
      provider: { kind: 'deployed', supplier: 'Vision Models Inc' },
      riskTier: 'minimal',
      acceptanceCriteria: [
        { metric: 'defect_recall', direction: 'higher_is_better', threshold: 0.95 },
        { metric: 'false_reject_rate', direction: 'lower_is_better', threshold: 0.05 },
      ],
    });
    say(`  registered by ${tokens.aims_owner.name}`);
    await assessAndApprove(api, id, visionImpacts(tokens.engineer.name), as('engineer'), as('risk_owner'), 'minimal');
    say(`  impact assessment submitted by ${tokens.engineer.name}, approved by ${tokens.risk_owner.name}`);
    const digest = digestOf(id, '3.2.0');
    await validateAndSignOff(api, id, as, {
      version: '3.2.0',
      digest,
      dataset: 'line3-defect-images',
      metrics: [
        { metric: 'defect_recall', value: 0.97 },
        { metric: 'false_reject_rate', value: 0.02 },
      ],
    });
    say(`  images, version 3.2.0 and validation recorded by ${tokens.ci.name}; signed off by ${tokens.validator.name}`);
    const gate = await api.gate(
      as('ci'),
      id,
      { version: '3.2.0', artifactDigest: digest, environment: 'production', commit: '0ddba11' },
      `demo-${id}-3.2.0`,
    );
    if (gate.outcome !== 'allowed')
      throw new DemoStepError(`expected the minimal-risk deployment to be allowed by policy, got ${gate.outcome}`);
    await api.post(as('ci'), `/v1/ai-systems/${id}/deployments/${gate.requestId}/completion`, {}, 200);
    say(`  deployment ${gate.requestId} allowed by policy (minimal risk) and completed`);
    const report = await api.post(as('ci'), `/v1/ai-systems/${id}/monitoring-reports`, {
      window,
      metrics: [
        { metric: 'defect_recall', value: 0.91 },
        { metric: 'false_reject_rate', value: 0.03 },
      ],
    });
    breach = { systemId: id, reportId: String(report.reportId), nonconformityIds: (report.nonconformitiesOpened as string[]) ?? [] };
    say(`  monitoring report ${breach.reportId}: defect_recall 0.91 BREACHES 0.95 → nonconformity ${breach.nonconformityIds.join(', ')}`);
  }

  // ----- the Statement of Applicability, judged from what the demo just recorded -----
  await demoStatementOfApplicability(api, tokens, riskIds, say);

  // ----- the AI policy (5.2): two versions published, acknowledgements outstanding -----
  await demoAiPolicy(api, tokens, say);
  await demoObjectives(api, tokens, say);

  // ----- an internal audit (9.2) of credit scoring, its minor nonconformity taken to an approved plan -----
  await demoInternalAudit(api, tokens, ids.creditScoring, suffix, say);
  // ----- the management review (9.3): inputs compiled, minutes, one decision, signed off -----
  await demoManagementReview(api, tokens, say);

  // ----- where to look -----
  const temporalUi = config.temporal.address
    ? `your Temporal cluster's UI (namespace ${config.temporal.namespace})`
    : `http://127.0.0.1:${config.temporal.devServerUiPort}/namespaces/${config.temporal.namespace}/workflows`;
  say('');
  say('Where to look:');
  say(`  API docs      ${apiUrl}/docs`);
  say(`  Inventory     curl -H "Authorization: Bearer $${tokenVariable('auditor')}" ${apiUrl}/v1/ai-systems`);
  say(`  Risks         AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('auditor')} npx aims risks list --system ${ids.creditScoring}`);
  say(`  SoA           AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('auditor')} npx aims soa show --format md`);
  say(`  SoA gaps      AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('auditor')} npx aims soa gaps`);
  say(`  AI policy     AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('auditor')} npx aims docs show ai-policy`);
  say(`  Master list   AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('auditor')} npx aims docs master-list --format md`);
  say(`  Scope         AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('auditor')} npx aims scope check`);
  say(`  Context       AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('auditor')} npx aims context list`);
  say(`  Review        AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('auditor')} npx aims reviews verify MR-demo`);
  say(`  Open tasks    curl -H "Authorization: Bearer $${tokenVariable('approver')}" ${apiUrl}/v1/tasks`);
  say(`  Approve it    curl -X POST -H "Authorization: Bearer $${tokenVariable('approver')}" -H "Content-Type: application/json" \\`);
  say(`                  -d '{"outcome":"approve","comment":"ok"}' ${apiUrl}/v1/tasks/${pendingDeployment.taskId}/decision`);
  say(
    `  Breach        curl -H "Authorization: Bearer $${tokenVariable('auditor')}" ${apiUrl}/v1/ai-systems/${ids.visualInspection}/evidence`,
  );
  say(`  Temporal UI   ${temporalUi} (workflows ai-system-…)`);
  say('  Verify chain  npx aims evidence verify');
  say(`  Replay        npx aims evidence replay --stream ${aiSystemStreamName(ids.creditScoring)}`);
  say(`  The gate      AIMS_URL=${apiUrl} AIMS_TOKEN=$${tokenVariable('ci')} npx aims gate --system ${pendingDeployment.systemId} \\`);
  say(
    `                  --version 2025-06 --digest ${digestOf(ids.supportAssistant, '2025-06')} --commit f00dbab --idempotency-key ${pendingKey}`,
  );
  say('                (exit 1 while the approval is pending; approve the task above and run it again: exit 0)');

  return { apiUrl, tokens, systems: ids, pendingDeployment, breach };
}

// ---------------------------------------------------------------------------------------------------------

interface GateAnswer {
  outcome: 'allowed' | 'pending' | 'blocked';
  requestId: string;
  task: { id: string; requiredRoles: string[] };
  reasons: Array<{ code: string; message: string }>;
}

/** The few HTTP calls the demo makes; any unexpected status stops it with the API's problem detail. */
class DemoApi {
  constructor(private readonly baseUrl: string) {}

  async request(
    method: 'GET' | 'POST',
    token: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new Error(`cannot reach the aims API at ${this.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = { detail: text.slice(0, 300) };
    }
    return { status: response.status, body: parsed };
  }

  async post(token: string, path: string, body: unknown, expected = 201): Promise<Record<string, unknown>> {
    const r = await this.request('POST', token, path, body);
    if (r.status !== expected) throw new DemoStepError(`POST ${path} answered ${r.status}: ${problemText(r.body)}`);
    return r.body;
  }

  async gate(token: string, systemId: string, body: unknown, idempotencyKey: string): Promise<GateAnswer> {
    const path = `/v1/ai-systems/${systemId}/deployments`;
    const r = await this.request('POST', token, path, body, { 'idempotency-key': idempotencyKey });
    if (![200, 202, 409].includes(r.status) || typeof r.body.outcome !== 'string') {
      throw new DemoStepError(`POST ${path} answered ${r.status}: ${problemText(r.body)}`);
    }
    return r.body as unknown as GateAnswer;
  }
}

async function expectApi(apiUrl: string): Promise<void> {
  try {
    const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(5000) });
    if (response.ok) return;
    throw new Error(`GET /health answered ${response.status}`);
  } catch (error) {
    throw new Error(
      `the aims API does not answer at ${apiUrl} (${error instanceof Error ? error.message : String(error)}); start the engine with \`npm start\` first, or set AIMS_URL`,
    );
  }
}

/** The shell variable the printed examples read a role's token from. */
function tokenVariable(role: AimsRole): string {
  return `AIMS_TOKEN_${role.toUpperCase()}`;
}

/** One token per role; a name already taken by an earlier demo gets the next free `-2`, `-3`, … */
async function issueTokens(storeUrl: string): Promise<DemoResult['tokens']> {
  const store = await openTokenStore(storeUrl);
  try {
    const tokens = {} as DemoResult['tokens'];
    for (const role of AIMS_ROLES) {
      for (let n = 1; ; n += 1) {
        const name = n === 1 ? PEOPLE[role] : `${PEOPLE[role]}-${n}`;
        try {
          const issued = await store.issue({ name, roles: [role], createdBy: 'aims demo' });
          tokens[role] = { name, token: issued.token };
          break;
        } catch (error) {
          if (!(error instanceof TokenNameTakenError)) throw error;
        }
      }
    }
    return tokens;
  } finally {
    await store.close();
  }
}

/** '' when the sample ids are free, else the first `-<n>` under which all of them are (a second demo run). */
async function freeSuffix(api: DemoApi, token: string, ids: string[]): Promise<string> {
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? '' : `-${n}`;
    const taken = await Promise.all(
      ids.map(async (id) => (await api.request('GET', token, `/v1/ai-systems/${id}${suffix}`)).status !== 404),
    );
    if (!taken.some(Boolean)) return suffix;
  }
}

/** A stand-in artifact digest, the same for the same system and version (so the gate command can be re-run). */
function digestOf(systemId: string, version: string): string {
  return `sha256:${createHash('sha256').update(`${systemId}@${version}`).digest('hex')}`;
}

function lastWeek(): { from: string; to: string } {
  const to = new Date();
  return { from: new Date(to.getTime() - 7 * 86_400_000).toISOString(), to: to.toISOString() };
}

/** Submits the assessment; the reviewer approves it and confirms the risk tier the registrant proposed. */
async function assessAndApprove(
  api: DemoApi,
  id: string,
  assessment: unknown,
  author: string,
  reviewer: string,
  riskTier: 'minimal' | 'limited' | 'high',
): Promise<void> {
  const submitted = await api.post(author, `/v1/ai-systems/${id}/impact-assessments`, assessment);
  await api.post(
    reviewer,
    `/v1/tasks/${String(submitted.reviewTaskId)}/decision`,
    { outcome: 'approve', riskTier, comment: 'Impacts and mitigations are adequate; risk tier confirmed' },
    200,
  );
}

async function validateAndSignOff(
  api: DemoApi,
  id: string,
  as: (role: AimsRole) => string,
  v: { version: string; digest: string; dataset: string; metrics: Array<{ metric: string; value: number }> },
): Promise<void> {
  await api.post(as('engineer'), `/v1/ai-systems/${id}/datasets`, {
    datasetId: v.dataset,
    name: v.dataset.replace(/-/g, ' '),
    purpose: 'validation',
    provenance: { source: 'internal data platform', custodian: 'data office', licence: 'internal', contentDigest: digestOf(id, v.dataset) },
    acquisition: { method: 'export from the system of record', acquiredAt: null, notes: null },
    preparation: { steps: ['deduplicated', 'personal data pseudonymised', 'held-out split fixed'] },
  });
  await api.post(as('ci'), `/v1/ai-systems/${id}/datasets/${v.dataset}/quality-checks`, {
    results: [
      { dimension: 'completeness', measure: 'non-null ratio', value: 0.995, passed: true, notes: null },
      { dimension: 'representativeness', measure: 'population stability index', value: 0.04, passed: true, notes: null },
    ],
  });
  await api.post(as('ci'), `/v1/ai-systems/${id}/versions`, {
    modelVersion: v.version,
    artifactDigest: v.digest,
    description: `release ${v.version}`,
  });
  const validation = await api.post(as('ci'), `/v1/ai-systems/${id}/validations`, {
    modelVersion: v.version,
    artifactDigest: v.digest,
    datasetIds: [v.dataset],
    metrics: v.metrics,
  });
  if (typeof validation.signOffTaskId !== 'string')
    throw new DemoStepError(`validation of ${id} ${v.version} did not pass its acceptance criteria`);
  await api.post(
    as('validator'),
    `/v1/tasks/${validation.signOffTaskId}/decision`,
    { outcome: 'approve', comment: 'Results reproduced on the held-out set' },
    200,
  );
}

function creditImpacts(owner: string) {
  return {
    affectedParties: {
      individuals: 'Loan applicants',
      groups: 'Applicants from protected groups',
      society: 'Access to credit in the region',
    },
    impacts: [
      {
        impactId: 'I1',
        affects: 'individuals',
        description: 'An applicant is refused credit unfairly',
        severity: 'major',
        likelihood: 'possible',
      },
      {
        impactId: 'I2',
        affects: 'groups',
        description: 'Disparate refusal rates between groups',
        severity: 'major',
        likelihood: 'unlikely',
      },
      {
        impactId: 'I3',
        affects: 'society',
        description: 'Credit concentrates on already-served areas',
        severity: 'minor',
        likelihood: 'rare',
      },
    ],
    mitigations: [
      { mitigationId: 'M1', description: 'A credit officer reviews every refusal', addressesImpactIds: ['I1'], owner },
      { mitigationId: 'M2', description: 'Quarterly fairness testing across protected groups', addressesImpactIds: ['I2'], owner },
    ],
  };
}

function supportImpacts(owner: string) {
  return {
    affectedParties: {
      individuals: 'Customers writing to support',
      groups: 'Customers writing in languages other than English',
      society: 'Trust in automated customer service',
    },
    impacts: [
      {
        impactId: 'I1',
        affects: 'individuals',
        description: 'A draft discloses another customer data',
        severity: 'major',
        likelihood: 'unlikely',
      },
      {
        impactId: 'I2',
        affects: 'groups',
        description: 'Lower answer quality in other languages',
        severity: 'moderate',
        likelihood: 'possible',
      },
      {
        impactId: 'I3',
        affects: 'society',
        description: 'Customers cannot tell they were answered with AI help',
        severity: 'minor',
        likelihood: 'possible',
      },
    ],
    mitigations: [
      {
        mitigationId: 'M1',
        description: 'Agents review every draft; customer data is masked before the provider call',
        addressesImpactIds: ['I1'],
        owner,
      },
      { mitigationId: 'M2', description: 'Replies state that AI assisted', addressesImpactIds: ['I3'], owner },
    ],
  };
}

function visionImpacts(owner: string) {
  return {
    affectedParties: { individuals: 'Line inspectors', groups: 'Customers receiving the parts', society: 'Product safety' },
    impacts: [
      { impactId: 'I1', affects: 'groups', description: 'A defective part is shipped', severity: 'moderate', likelihood: 'unlikely' },
      {
        impactId: 'I2',
        affects: 'individuals',
        description: 'Inspectors over-rely on the flags',
        severity: 'minor',
        likelihood: 'possible',
      },
      { impactId: 'I3', affects: 'society', description: 'Negligible wider effect', severity: 'negligible', likelihood: 'rare' },
    ],
    mitigations: [
      { mitigationId: 'M1', description: 'Sampling inspection of unflagged parts every shift', addressesImpactIds: ['I1', 'I2'], owner },
    ],
  };
}

/** What a refusal says: its problem+json `detail` when it has one, else the whole body. */
function problemText(body: Record<string, unknown>): string {
  return typeof body.detail === 'string' ? body.detail : JSON.stringify(body);
}
