/**
 * The demo's people (5.3, 7.2, A.3.2): the person behind each role's token is registered with that token as
 * the identity acting for them, appointed to the role for the whole AIMS by the AIMS owner (the AIMS owner
 * herself by top management: nobody appoints themselves) and given one competence record, approved the same
 * way. The pipeline's `ci` token is a machine identity: nobody is appointed to it, so it stands for no person.
 *
 * Appointment enforcement is left off: the demo's readers (and any token issued outside it) keep working.
 * What it prints says how to switch it on and what a revocation then does.
 */
import { AIMS_ROLES, type AimsRole } from '../../../../domain/shared/roles';
import type { RiskDemoApi } from './demo-risks';

type Tokens = Record<AimsRole, { name: string; token: string }>;

/** What each role is appointed to do, its unit, and the competence its record shows. */
const ROLE_PROFILE: Record<Exclude<AimsRole, 'ci'>, { unit: string; responsibilities: string; competence: string }> = {
  admin: { unit: 'it-operations', responsibilities: 'Runs the engine: tokens, keys, projections', competence: 'aims operation' },
  top_management: {
    unit: 'board',
    responsibilities: 'Approves the AI policy, the scope and the Statement of Applicability; appoints the AIMS owner',
    competence: 'ai governance',
  },
  aims_owner: {
    unit: 'aims-office',
    responsibilities: 'Runs the AIMS: registers systems, drafts policy and criteria, appoints the people of the AIMS',
    competence: 'iso/iec 42001 implementation',
  },
  risk_owner: { unit: 'model-risk', responsibilities: 'Approves impact assessments and owns AI risks', competence: 'ai risk assessment' },
  approver: { unit: 'model-risk', responsibilities: 'Approves deployments of high-risk AI systems', competence: 'ai deployment approval' },
  validator: { unit: 'model-risk', responsibilities: 'Signs off validation results of every AI system', competence: 'model validation' },
  engineer: {
    unit: 'data-science',
    responsibilities: 'Builds AI systems, submits impact assessments and records datasets',
    competence: 'responsible ml engineering',
  },
  auditor: {
    unit: 'external-audit',
    responsibilities: 'Reads the evidence for the certification audit',
    competence: 'iso/iec 42001 auditing',
  },
  internal_auditor: {
    unit: 'internal-audit',
    responsibilities: 'Plans and runs internal audits of the AIMS',
    competence: 'iso/iec 42001 auditing',
  },
};

/** "olivia.owner-2" → "Olivia Owner". */
function displayName(tokenName: string): string {
  return tokenName
    .replace(/-\d+$/, '')
    .split(/[._-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** The people of the demo; returns the appointment of each role (keyed by role) for the printed examples. */
export async function demoPeople(
  api: RiskDemoApi,
  tokens: Tokens,
  say: (line: string) => void,
): Promise<Partial<Record<AimsRole, string>>> {
  const as = (role: AimsRole) => tokens[role].token;
  const now = Date.now();
  const from = new Date(now).toISOString();
  const twoYears = new Date(now + 2 * 365 * 24 * 3_600_000).toISOString();
  const humans = AIMS_ROLES.filter((r): r is Exclude<AimsRole, 'ci'> => r !== 'ci');
  const appointments: Partial<Record<AimsRole, string>> = {};
  let registered = 0;
  for (const role of humans) {
    const personId = tokens[role].name;
    const profile = ROLE_PROFILE[role];
    // Nobody appoints or vouches for themselves: top management does it for the AIMS owner.
    const appointer: AimsRole = role === 'aims_owner' ? 'top_management' : 'aims_owner';
    const existing = await api.request('GET', as('auditor'), `/v1/people/${personId}`);
    if (existing.status === 200) continue;
    await api.post(as('aims_owner'), '/v1/people', {
      personId,
      name: displayName(personId),
      contact: `${personId}@example.com`,
      unit: profile.unit,
      identities: [personId],
    });
    const appointed = await api.post(as(appointer), `/v1/people/${personId}/appointments`, {
      role,
      covers: { wholeAims: true },
      from,
      responsibilities: profile.responsibilities,
    });
    appointments[role] = String(appointed.appointmentId);
    await api.post(as(appointer), '/v1/competence/records', {
      personId,
      recordId: `${personId}-${profile.competence.replace(/[^a-z0-9]+/g, '-')}`,
      competence: profile.competence,
      kind: 'course',
      obtainedAt: new Date(now - 30 * 24 * 3_600_000).toISOString(),
      expiresAt: twoYears,
      evidenceRef: `training-register#${personId}`,
    });
    registered += 1;
  }
  say(
    registered === 0
      ? 'People: already registered'
      : `People: ${registered} registered, one per role's token, each appointed for the whole AIMS by ${tokens.aims_owner.name} ` +
          `(${tokens.aims_owner.name} by ${tokens.top_management.name}) with a competence record; ${tokens.ci.name} is a pipeline, nobody's appointment`,
  );
  say('  appointment enforcement is off: switch it on (PUT /v1/people-policy/appointment-enforcement as the AIMS owner) and a');
  say(`  revoked appointment stops its person at once (POST /v1/people/<id>/appointments/<appointmentId>/revocation)`);
  return appointments;
}
