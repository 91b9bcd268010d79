/**
 * The demo's risk part: the organisation's risk criteria (the default set) drafted, reviewed and approved
 * by three different people, then one risk of the credit-scoring system identified, assessed within
 * appetite and reviewed. Within appetite on purpose: a risk above it would block that system's deployment
 * until the AIMS owner accepted it, and the demo goes on to deploy it.
 */
import type { AimsRole } from '../../../../domain/shared/roles';

/** The two calls of the demo's API client this part uses. */
export interface RiskDemoApi {
  request(method: 'GET' | 'POST', token: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  post(token: string, path: string, body: unknown, expected?: number): Promise<Record<string, unknown>>;
}

type Tokens = Record<AimsRole, { name: string; token: string }>;

/** The criteria in force: approves the default set when none is, else says which version applies. */
export async function demoRiskCriteria(api: RiskDemoApi, tokens: Tokens, say: (line: string) => void): Promise<void> {
  const as = (role: AimsRole) => tokens[role].token;
  const current = await api.request('GET', as('auditor'), '/v1/risk-criteria');
  const inForce = current.body.inForce as { version: number } | undefined;
  if (current.status === 200 && current.body.isDefault === false && inForce !== undefined) {
    say(`Risk criteria: version ${inForce.version} already in force`);
    return;
  }
  const drafted = await api.post(as('aims_owner'), '/v1/risk-criteria/drafts', {
    justification: 'The default criteria, as the AIMS starts',
  });
  const draftId = String(drafted.draftId);
  await api.post(as('risk_owner'), `/v1/tasks/${draftId}-review/decision`, { outcome: 'approve' }, 200);
  const approved = await api.post(as('top_management'), `/v1/tasks/${draftId}-approval/decision`, { outcome: 'approve' }, 200);
  say(
    `Risk criteria: default set drafted by ${tokens.aims_owner.name}, reviewed by ${tokens.risk_owner.name}, ` +
      `approved by ${tokens.top_management.name} (version ${String(approved.version)})`,
  );
}

/** One risk of `systemId`, assessed low (within appetite) by an engineer and reviewed by a risk owner. */
export async function demoRisk(api: RiskDemoApi, tokens: Tokens, systemId: string, say: (line: string) => void): Promise<string> {
  const as = (role: AimsRole) => tokens[role].token;
  const riskId = `${systemId}-drift`;
  await api.post(as('engineer'), '/v1/risks', {
    riskId,
    systemId,
    source: { kind: 'annex-c', id: 'machine-learning' },
    description: 'Scores drift as the applicant population changes',
    owner: tokens.risk_owner.name,
  });
  const assessed = await api.post(as('engineer'), `/v1/risks/${riskId}/assessments`, {
    inherent: { likelihood: 'unlikely', consequence: 'minor' },
    rationale: 'Monthly monitoring of AUC and false positive rate; a person takes every refusal',
  });
  const risk = assessed.risk as { level: string; tasks: Array<{ taskId: string; kind: string }> };
  const review = risk.tasks.find((t) => t.kind === 'risk_assessment_review');
  if (review !== undefined) await api.post(as('risk_owner'), `/v1/tasks/${review.taskId}/decision`, { outcome: 'approve' }, 200);
  say(
    `  risk ${riskId} identified and assessed ${risk.level} (within appetite) by ${tokens.engineer.name}, reviewed by ${tokens.risk_owner.name}`,
  );
  return riskId;
}
