/**
 * The demo's internal audit part (9.2, 10.2): an audit programme for the demo period, drafted by the
 * internal auditor and approved by the AIMS owner, with one audit of the credit-scoring system; that audit
 * planned by the AIMS owner (led by the internal auditor, the system's engineer named responsible for it),
 * its fieldwork sampling the system's evidence as of a stated date, a minor nonconformity finding, the
 * corrective action it opens taken to an approved plan (containment and root cause by the engineer, the
 * plan by the risk owner, approved by the AIMS owner), the report, and the audit closed. Left as it is when
 * the programme already exists (the demo run again).
 */
import type { AimsRole } from '../../../../domain/shared/roles';
import type { RiskDemoApi } from './demo-risks';

type Tokens = Record<AimsRole, { name: string; token: string }>;

const DAY_MS = 86_400_000;

/** Asks until `done` holds (a workflow's step lands by signal a moment later), at most ~30 s. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the demo waited in vain for ${what}`);
}

export async function demoInternalAudit(
  api: RiskDemoApi,
  tokens: Tokens,
  systemId: string,
  suffix: string,
  say: (line: string) => void,
): Promise<void> {
  const as = (role: AimsRole) => tokens[role].token;
  const period = `demo${suffix}`;
  const auditId = `IA-${period}-1`;
  const existing = await api.request('GET', as('auditor'), `/v1/audit-programmes/${period}`);
  if (existing.status === 200) {
    say(`Internal audit: programme ${period} already ${String(existing.body.status)}`);
    return;
  }
  const area = { kind: 'ai_system', id: systemId };
  const now = Date.now();
  const plannedStart = new Date(now - DAY_MS).toISOString();
  const plannedEnd = new Date(now + 14 * DAY_MS).toISOString();
  const auditor = tokens.internal_auditor.name;
  const responsibilities = [{ area, personIds: [tokens.engineer.name] }];

  // The programme (9.2.2): drafted by the internal auditor, approved by the AIMS owner.
  await api.post(as('internal_auditor'), '/v1/audit-programmes', {
    period,
    areas: [{ area, importance: 'medium', previousResult: 'conforming' }],
    methods: ['evidence sampling', 'interviews'],
    responsibilities,
    audits: [{ auditId, areas: [area], leadAuditor: auditor, plannedStart, plannedEnd }],
  });
  await api.post(as('aims_owner'), `/v1/audit-programmes/${period}/approval`, {});

  // The audit (9.2.1): planned, then fieldwork on the system's evidence as it stood at a stated date.
  await api.post(as('aims_owner'), '/v1/internal-audits', {
    auditId,
    title: `Credit scoring: validation before deployment (${period})`,
    programmeId: period,
    scope: [area],
    criteria: [{ criterionId: 'C1', text: 'Each deployed version was validated and signed off by an independent validator (A.6.2.4)' }],
    leadAuditor: auditor,
    team: [],
    plannedStart,
    plannedEnd,
    responsibilities,
  });
  await api.post(as('internal_auditor'), `/v1/internal-audits/${auditId}/fieldwork`, {});
  const asOf = new Date().toISOString();
  const history = await api.request(
    'GET',
    as('internal_auditor'),
    `/v1/ai-systems/${systemId}/evidence?asOf=${encodeURIComponent(asOf)}&limit=500`,
  );
  if (history.status !== 200) throw new Error(`the demo could not read the evidence of ${systemId}: ${history.status}`);
  const records = (history.body.items as Array<{ id: string; type: string; position: number }> | undefined) ?? [];
  const picked = records.filter((r) => /^(ValidationSignedOff|DeploymentApproved|DeploymentCompleted)$/.test(r.type)).slice(0, 5);
  if (picked.length === 0) throw new Error(`the demo found no validation or deployment evidence of ${systemId} to sample`);
  const asOfPosition = Math.max(...picked.map((r) => r.position));
  const ids = picked.map((r) => r.id);
  await api.post(as('internal_auditor'), `/v1/internal-audits/${auditId}/samples`, { sampleId: 'S1', asOfPosition, eventIds: ids });
  await api.post(as('internal_auditor'), `/v1/internal-audits/${auditId}/checklist`, {
    criterionId: 'C1',
    result: 'does_not_conform',
    evidenceRefs: ids,
    note: 'The sign-off does not record that the validator was independent of the model’s development.',
  });
  const found = await api.post(as('internal_auditor'), `/v1/internal-audits/${auditId}/findings`, {
    findingId: 'F1',
    type: 'minor_nonconformity',
    criterionId: 'C1',
    area,
    statement: 'The validation sign-off does not record the validator’s independence from development (A.6.2.4).',
    evidenceRefs: [ids[0]],
  });
  const nonconformityId = String(found.nonconformityId);

  // Its corrective action (10.2), up to an approved plan.
  await waitFor(
    () => api.request('GET', as('auditor'), `/v1/nonconformities/${nonconformityId}`),
    (r) => r.status === 200,
    `nonconformity ${nonconformityId} to open`,
  );
  const nc = `/v1/nonconformities/${nonconformityId}`;
  await api.post(as('engineer'), `${nc}/containment`, { actions: ['Sign-offs of credit-scoring checked by hand until fixed'] }, 200);
  await api.post(
    as('engineer'),
    `${nc}/root-cause-analysis`,
    {
      method: 'five_whys',
      causes: ['The sign-off form has no field for the validator’s independence'],
    },
    200,
  );
  await api.post(
    as('risk_owner'),
    `${nc}/corrective-action-plans`,
    {
      planId: 'plan-1',
      actions: [
        {
          description: 'Add the independence statement to the validation sign-off',
          owner: tokens.engineer.name,
          dueDate: new Date(now + 30 * DAY_MS).toISOString(),
        },
      ],
    },
    200,
  );
  await api.post(as('aims_owner'), `${nc}/corrective-action-plans/plan-1/decision`, { outcome: 'approve' }, 200);

  // The report, then closure once the audit has heard that the plan is approved.
  await api.post(as('internal_auditor'), `/v1/internal-audits/${auditId}/report`, {
    summary: `The validation and deployment evidence of ${systemId} as of ${asOf} (positions up to ${asOfPosition}).`,
    conclusion: 'Conforms but for one minor nonconformity, whose corrective-action plan is approved.',
  });
  await waitFor(
    () => api.request('GET', as('auditor'), `/v1/internal-audits/${auditId}`),
    (r) => (r.body.findings as Array<{ correctiveAction: string | null }> | undefined)?.[0]?.correctiveAction === 'plan_approved',
    `audit ${auditId} to hear of the approved plan`,
  );
  await api.post(as('internal_auditor'), `/v1/internal-audits/${auditId}/closure`, {});
  say(
    `Internal audit: programme ${period} drafted by ${auditor}, approved by ${tokens.aims_owner.name}; audit ${auditId} sampled ` +
      `${ids.length} records as of ${asOf}, found a minor nonconformity (${nonconformityId}, plan approved), reported and closed`,
  );
}
