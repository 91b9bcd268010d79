/**
 * The demo's foundations: the context of the organisation (4.1, 4.2: an issue naming its AI roles, an
 * interested party, an EU AI Act obligation) and the AIMS scope (4.3), proposed by the AIMS owner and
 * approved by top management before the demo's systems register, so each registration records its
 * in-scope decision from the statement. The statement rests on the controlled scope document (kind
 * aims_scope, 7.5), published first through review and top management's approval, and names its version.
 * A later demo run proposes the next version, naming its systems too.
 */
import type { AimsRole } from '../../../../domain/shared/roles';
import type { RiskDemoApi } from './demo-risks';

type Tokens = Record<AimsRole, { name: string; token: string }>;

export async function demoContext(api: RiskDemoApi, tokens: Tokens, creditScoringId: string, say: (line: string) => void): Promise<void> {
  const as = (role: AimsRole) => tokens[role].token;
  const current = await api.request('GET', as('auditor'), '/v1/context/issues');
  if (current.status === 200 && Array.isArray(current.body.items) && current.body.items.length > 0) {
    say('Context of the organisation: registers already kept');
    return;
  }
  const reviewBy = `${new Date().getUTCFullYear() + 1}-01-31`;
  await api.post(as('aims_owner'), '/v1/context/issues', {
    origin: 'external',
    title: 'Our roles towards AI',
    description:
      'We develop credit scoring for our own lending (provider, user) and use a third-party LLM API in customer support (customer, user)',
    aiRoles: ['provider', 'user', 'customer'],
    owner: tokens.aims_owner.name,
    reviewBy,
    reason: 'The AIMS starts',
  });
  await api.post(as('top_management'), '/v1/context/interested-parties', {
    name: 'Loan applicants',
    description: 'People whose applications the credit-scoring model ranks',
    requirements: ['An explanation of a refusal', 'A person reviews any refusal on request'],
    addressedThrough: 'A.8.2 information for users; human review in the intended use',
    owner: tokens.aims_owner.name,
    reviewBy,
    reason: 'The AIMS starts',
  });
  await api.post(as('risk_owner'), '/v1/context/obligations', {
    source: 'legal',
    title: 'High-risk AI system (creditworthiness)',
    description: 'Creditworthiness evaluation of natural persons is high-risk under the EU AI Act (Annex III 5(b))',
    references: ['EU AI Act Art.9', 'EU AI Act Art.10', 'EU AI Act Art.14'],
    appliesTo: [creditScoringId],
    owner: tokens.risk_owner.name,
    reviewBy,
    reason: 'The AIMS starts',
  });
  say(
    `Context of the organisation: an issue naming our AI roles (${tokens.aims_owner.name}), an interested party ` +
      `(${tokens.top_management.name}) and an EU AI Act obligation (${tokens.risk_owner.name})`,
  );
}

export const DEMO_SCOPE_DOCUMENT_ID = 'aims-scope';

/** The controlled scope document's version in force: published (reviewed, approved by top management) on the first run. */
async function scopeDocumentVersion(api: RiskDemoApi, tokens: Tokens): Promise<number> {
  const as = (role: AimsRole) => tokens[role].token;
  const existing = await api.request('GET', as('auditor'), `/v1/documents/${DEMO_SCOPE_DOCUMENT_ID}`);
  if (existing.status === 200 && typeof existing.body.publishedVersion === 'number') return existing.body.publishedVersion;
  if (existing.status !== 200)
    await api.post(as('aims_owner'), '/v1/documents', {
      documentId: DEMO_SCOPE_DOCUMENT_ID,
      kind: 'aims_scope',
      title: 'Scope of the AI management system',
      owner: tokens.aims_owner.name,
      classification: 'internal',
      retention: 'P10Y',
      acknowledgementRoles: [],
    });
  await api.post(as('aims_owner'), `/v1/documents/${DEMO_SCOPE_DOCUMENT_ID}/versions`, {
    markdown: [
      '# Scope of the AI management system',
      '',
      'The AIMS covers retail lending, customer support and manufacturing quality, at the head office and plant 1,',
      'for every AI system we design, develop, validate, deploy, operate or retire there, and the third-party AI',
      'services whose output reaches our customers. The research sandbox is excluded: nothing built there is',
      'deployed or used in decisions. The scope statement in the engine lists the AI systems in and out by name.',
    ].join('\n'),
    changeSummary: 'First issue',
    change: { reason: 'The AIMS needs its scope as documented information (4.3)', consequences: 'The scope statement rests on it' },
  });
  await api.post(as('risk_owner'), `/v1/tasks/doc-${DEMO_SCOPE_DOCUMENT_ID}-v1-review/decision`, { outcome: 'approve' }, 200);
  await api.post(as('top_management'), `/v1/tasks/doc-${DEMO_SCOPE_DOCUMENT_ID}-v1-approval/decision`, { outcome: 'approve' }, 200);
  return 1;
}

export async function demoScope(api: RiskDemoApi, tokens: Tokens, systemIds: string[], say: (line: string) => void): Promise<void> {
  const as = (role: AimsRole) => tokens[role].token;
  const documentVersion = await scopeDocumentVersion(api, tokens);
  const current = await api.request('GET', as('auditor'), '/v1/scope');
  const inForce = current.body.inForce as { statement: { systemsIn: string[] } } | null | undefined;
  const systemsIn = [...new Set([...(inForce?.statement.systemsIn ?? []), ...systemIds])];
  const proposed = await api.post(as('aims_owner'), '/v1/scope/proposals', {
    summary: inForce ? `The demo's new AI systems join the scope: ${systemIds.join(', ')}` : 'The first scope of the AIMS',
    statement: {
      organisationalUnits: ['Retail lending', 'Customer support', 'Manufacturing quality'],
      locations: ['Head office', 'Plant 1'],
      lifecycleStages: ['design and development', 'verification and validation', 'deployment', 'operation and monitoring', 'retirement'],
      systemsIn,
      systemsOut: [],
      thirdPartyServices: [
        {
          serviceId: 'support-llm-api',
          provider: 'a third-party LLM provider',
          description: 'Drafts answers for the customer-support assistant',
          inScope: true,
          justification: 'Its output reaches customers through our support assistant',
        },
      ],
      exclusions: [
        { subject: 'Research sandbox', justification: 'Experiments only: nothing built there is deployed or used in decisions' },
      ],
    },
    document: { documentId: DEMO_SCOPE_DOCUMENT_ID, version: documentVersion },
  });
  const approved = await api.post(as('top_management'), `/v1/tasks/${String(proposed.taskId)}/decision`, { outcome: 'approve' }, 200);
  say(
    `AIMS scope: version ${String(approved.version)} proposed by ${tokens.aims_owner.name}, approved by ${tokens.top_management.name}; ` +
      `${systemsIn.length} AI system(s) and one third-party AI service in scope, one exclusion; ` +
      `resting on the controlled document ${DEMO_SCOPE_DOCUMENT_ID} v${documentVersion}`,
  );
}
