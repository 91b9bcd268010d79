/**
 * The demo's documents part: the organisation's AI policy (5.2, A.2.2), written by the AIMS owner,
 * reviewed by a risk owner and approved by top management, then revised once the same way, so that the
 * policy in force is version 2 and version 1 is kept as obsolete with both its approvals; each version's
 * publication asks the holders of the roles it names to acknowledge it (7.3), left outstanding in their
 * inboxes. Left as it is when the policy already exists.
 */
import type { AimsRole } from '../../../../domain/shared/roles';
import type { RiskDemoApi } from './demo-risks';

type Tokens = Record<AimsRole, { name: string; token: string }>;

export const DEMO_POLICY_ID = 'ai-policy';

const policyText = (extra: string[]): string =>
  [
    '# AI policy',
    '',
    '## Purpose',
    'We develop, provide and use AI systems to serve our customers fairly, safely and lawfully. This policy',
    'sets the direction for the AI management system (ISO/IEC 42001) and applies to every AI system in its scope.',
    '',
    '## Commitments',
    '- We commit to satisfy the requirements that apply to our AI systems: legal (including the EU AI Act), contractual and our own.',
    '- We commit to the continual improvement of the AI management system.',
    '- Every AI system has an impact assessment, a validation signed off by someone independent, and a person who approves its deployment.',
    ...extra,
    '',
    '## Framework for objectives',
    'Top management sets AI objectives each year, measurable and consistent with this policy, and reviews them at the management review.',
    '',
    '## Related policies',
    'Checked against (A.2.3):',
    '- Information security policy',
    '- Privacy and data protection policy',
    '- Supplier management policy',
  ].join('\n');

export async function demoAiPolicy(api: RiskDemoApi, tokens: Tokens, say: (line: string) => void): Promise<void> {
  const as = (role: AimsRole) => tokens[role].token;
  const existing = await api.request('GET', as('auditor'), `/v1/documents/${DEMO_POLICY_ID}`);
  if (existing.status === 200) {
    say(`AI policy: version ${String(existing.body.publishedVersion)} already in force`);
    return;
  }
  await api.post(as('aims_owner'), '/v1/documents', {
    documentId: DEMO_POLICY_ID,
    kind: 'ai_policy',
    title: 'AI policy',
    owner: tokens.aims_owner.name,
    classification: 'internal',
    retention: 'P10Y',
    acknowledgementRoles: ['engineer', 'risk_owner', 'approver', 'validator'],
  });
  const publish = async (version: number, markdown: string, changeSummary: string, reason: string, consequences: string) => {
    await api.post(as('aims_owner'), `/v1/documents/${DEMO_POLICY_ID}/versions`, {
      markdown,
      changeSummary,
      change: { reason, consequences },
    });
    await api.post(as('risk_owner'), `/v1/tasks/doc-${DEMO_POLICY_ID}-v${version}-review/decision`, { outcome: 'approve' }, 200);
    return api.post(as('top_management'), `/v1/tasks/doc-${DEMO_POLICY_ID}-v${version}-approval/decision`, { outcome: 'approve' }, 200);
  };
  await publish(1, policyText([]), 'First issue', 'The AIMS needs an AI policy (5.2)', 'Every AI system is governed by it');
  const second = await publish(
    2,
    policyText(['- Generative AI used by staff or in products is assessed like any other AI system.']),
    'Generative AI brought into the policy',
    'Staff began using third-party generative AI',
    'Generative AI uses are registered and assessed; staff acknowledge the new version',
  );
  const document = second.document as { acknowledgementsOutstanding: number };
  say(
    `AI policy: written by ${tokens.aims_owner.name}, reviewed by ${tokens.risk_owner.name}, approved by ${tokens.top_management.name}; ` +
      `version 2 in force, version 1 obsolete; ${document.acknowledgementsOutstanding} acknowledgements outstanding in people's inboxes`,
  );
}
