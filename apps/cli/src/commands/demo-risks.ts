/**
 * The demo's risk part: the organisation's risk criteria (the default set) drafted, reviewed and approved
 * by three different people, then one risk of the credit-scoring system identified, assessed within
 * appetite and reviewed. Within appetite on purpose: a risk above it would block that system's deployment
 * until the AIMS owner accepted it, and the demo goes on to deploy it.
 */
import { ANNEX_A_CONTROL_IDS } from '../../../../domain/catalogue';
import type { AimsRole } from '../../../../domain/shared/roles';
import { ruleFor } from '../../../../domain/soa';

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

/**
 * The organisation's first Statement of Applicability: every Annex A control applicable (the demo's
 * organisation develops, deploys and offers AI systems), the ones the engine enforces described as such and
 * judged from the evidence, the rest `manual` until their owner attests them; proposed by the AIMS owner,
 * reviewed by the risk owner, approved by top management. Left as it is when one is already in force.
 */
export async function demoStatementOfApplicability(
  api: RiskDemoApi,
  tokens: Tokens,
  riskIds: string[],
  say: (line: string) => void,
): Promise<void> {
  const as = (role: AimsRole) => tokens[role].token;
  const current = await api.request('GET', as('auditor'), '/v1/soa');
  if (current.status === 200 && current.body.revisionId !== null && current.body.revisionId !== undefined) {
    say(`Statement of Applicability: version ${String(current.body.version)} already in force`);
    return;
  }
  const entries = ANNEX_A_CONTROL_IDS.map((controlId) => {
    const rule = ruleFor(controlId);
    return {
      controlId,
      applicable: true,
      justification: {
        text: 'The organisation develops, deploys and operates AI systems in the AIMS scope',
        riskIds: rule === undefined ? [] : riskIds,
        scope: 'All AI systems in the inventory',
      },
      owner: rule === undefined ? tokens.aims_owner.name : tokens.risk_owner.name,
      implementation:
        rule === undefined ? 'Procedure of the AIMS manual (attested by its owner)' : `Enforced by the aims engine: ${rule.rule}`,
    };
  });
  const proposed = await api.post(as('aims_owner'), '/v1/soa/revisions', { summary: 'The first Statement of Applicability', entries });
  const revisionId = String(proposed.subjectId);
  await api.post(as('risk_owner'), `/v1/tasks/${revisionId}-review/decision`, { outcome: 'approve' }, 200);
  await api.post(as('top_management'), `/v1/tasks/${revisionId}-approval/decision`, { outcome: 'approve' }, 200);
  const soa = await api.request('GET', as('auditor'), '/v1/soa');
  const summary = (soa.body.summary ?? {}) as Record<string, number>;
  say(
    `Statement of Applicability: ${entries.length} Annex A controls, proposed by ${tokens.aims_owner.name}, reviewed by ` +
      `${tokens.risk_owner.name}, approved by ${tokens.top_management.name}; from the evidence: ${summary.operates ?? 0} operate, ` +
      `${summary.does_not_operate ?? 0} do not, ${summary.manual ?? 0} await their owner's attestation`,
  );
}
