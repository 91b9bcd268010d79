/**
 * The demo's management review (9.3): the AIMS owner plans the review chaired by top management and
 * compiles its input pack from everything the demo recorded; the AIMS owner takes the minutes, top
 * management records one decision (a resource need, which becomes an improvement action owned by the AIMS
 * owner) and signs the review off, which plans the next one. Left as it is when the review already exists.
 */
import type { AimsRole } from '../../../../domain/shared/roles';
import type { RiskDemoApi } from './demo-risks';

type Tokens = Record<AimsRole, { name: string; token: string }>;

export const DEMO_REVIEW_ID = 'MR-demo';

export async function demoManagementReview(api: RiskDemoApi, tokens: Tokens, say: (line: string) => void): Promise<void> {
  const as = (role: AimsRole) => tokens[role].token;
  const existing = await api.request('GET', as('auditor'), `/v1/management-reviews/${DEMO_REVIEW_ID}`);
  if (existing.status === 200) {
    say(`Management review ${DEMO_REVIEW_ID}: already ${String(existing.body.status).replace(/_/g, ' ')}`);
    return;
  }
  const chair = tokens.top_management.name;
  await api.post(as('aims_owner'), '/v1/management-reviews', {
    reviewId: DEMO_REVIEW_ID,
    title: 'Management review (demo)',
    plannedFor: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    chair,
    interval: 'P182D',
  });
  const compiled = (await api.post(as('aims_owner'), `/v1/management-reviews/${DEMO_REVIEW_ID}/inputs`, {})) as {
    review: { inputs: { position: number; packHash: string; pack: { items: Array<{ gap: string | null }> } } };
  };
  const inputs = compiled.review.inputs;
  const gaps = inputs.pack.items.filter((i) => i.gap !== null).length;
  say(
    `Management review ${DEMO_REVIEW_ID}: input pack compiled at position ${inputs.position} (${gaps} input(s) with a gap), SHA-256 ${inputs.packHash}`,
  );
  await api.post(as('aims_owner'), `/v1/management-reviews/${DEMO_REVIEW_ID}/minutes`, {
    attendees: [chair, tokens.aims_owner.name],
    minutes:
      'Reviewed the input pack: the monitoring breach of the visual inspection system is handled as a nonconformity; validation capacity is short.',
  });
  const decided = await api.post(as('top_management'), `/v1/management-reviews/${DEMO_REVIEW_ID}/decisions`, {
    kind: 'resource_need',
    owner: tokens.aims_owner.name,
    dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
    text: 'Appoint a second validator so that validations are signed off without delay.',
  });
  const signed = await api.post(as('top_management'), `/v1/management-reviews/${DEMO_REVIEW_ID}/sign-off`, {});
  say(
    `  minutes by ${tokens.aims_owner.name}; decision → improvement ${String(decided.actionId)}; signed off by ${chair}; next review ${String(signed.nextReviewId)}`,
  );
}
