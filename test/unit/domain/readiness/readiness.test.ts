/**
 * Certification readiness from given evidence: each check met from the records that show it, and a gap naming
 * where, what and the clause when they are missing. Evidence is given as the store records it (stream, type,
 * data), so the checks are tested against the real event names and shapes of each process.
 */
import type { JsonObject } from '../../../../domain/shared/json';
import {
  assessReadiness,
  readinessFold,
  readinessReport,
  type ReadinessCheck,
  type ReadinessCheckId,
  type ReadinessEvidence,
  type ReadinessResult,
} from '../../../../domain/readiness';

let seq = 0;
function ev(stream: string, type: string, data: JsonObject, at = '2026-01-10T09:00:00.000Z'): ReadinessEvidence {
  seq += 1;
  return { id: `e-${seq}`, stream, type, recordedAt: at, data: { ...data, at } };
}

const DAY = 86_400_000;
const policy = (intervalDays: number): JsonObject => ({ monitoringReviewIntervalMs: intervalDays * DAY });

/** The controlled scope document (kind aims_scope): created with version 1, then each later version published. */
function scopeDocumentVersion(version: number, at = '2026-01-10T09:00:00.000Z'): ReadinessEvidence[] {
  const published = ev(
    'document-aims-scope',
    'DocumentVersionPublished',
    { documentId: 'aims-scope', version, obsoletes: version > 1 ? version - 1 : null },
    at,
  );
  if (version > 1) return [published];
  return [ev('document-aims-scope', 'DocumentCreated', { documentId: 'aims-scope', kind: 'aims_scope', title: 'Scope' }, at), published];
}

/** Everything a Stage 1 auditor asks for, recorded the way each process records it. */
function stage1Evidence(): ReadinessEvidence[] {
  return [
    ...scopeDocumentVersion(1),
    ev('aims-scope-organisation', 'ScopeStatementDocumentNamed', {
      proposalId: 'p1',
      document: { documentId: 'aims-scope', version: 1, title: 'Scope', markdownDigest: null, publishedAt: '2026-01-10T09:00:00.000Z' },
    }),
    ev('aims-scope-organisation', 'ScopeStatementApproved', { proposalId: 'p1', version: 1, replacesVersion: null }),
    ev('document-ai-policy', 'DocumentCreated', { documentId: 'ai-policy', kind: 'ai_policy', title: 'AI policy' }),
    ev('document-ai-policy', 'DocumentVersionPublished', { documentId: 'ai-policy', version: 1, obsoletes: null }),
    ev('risk-criteria-organisation', 'RiskCriteriaApproved', { draftId: 'd1', version: 1 }),
    ev('risk-r1', 'RiskIdentified', { riskId: 'r1', systemId: 'credit-scoring' }),
    ev('risk-r1', 'RiskAssessed', { riskId: 'r1', assessment: 1 }),
    ev('soa-organisation', 'SoaRevisionProposed', {
      revisionId: 'rev-1',
      entries: [
        { controlId: 'A.2.2', applicable: true, justification: { text: 'policy' } },
        { controlId: 'A.10.4', applicable: false, justification: { text: 'no customers use our AI' } },
      ],
    }),
    ev('soa-organisation', 'SoaRevisionApproved', { revisionId: 'rev-1', version: 1 }),
    ev('objective-fairness', 'AiObjectiveSet', { objectiveId: 'fairness' }),
    ev('person-ada', 'RoleAppointed', { appointmentId: 'ap1', role: 'validator', from: '2026-01-01', until: null }),
    ev('person-ada', 'CompetenceRecorded', { recordId: 'c1', competence: 'model validation', expiresAt: null }),
    ev('audit-programme-2026', 'AuditProgrammeDrafted', {
      period: '2026',
      audits: [{ auditId: 'ia-1', plannedStart: '2026-02-01', plannedEnd: '2026-02-20' }],
    }),
    ev('audit-programme-2026', 'AuditProgrammeApproved', {}),
    ev('management-review-2026-q1', 'ManagementReviewSignedOff', {}),
  ];
}

function assess(
  events: readonly ReadinessEvidence[],
  stage: 1 | 2 = 1,
  asOf = '2026-03-01T00:00:00.000Z',
  since?: string,
): ReadinessResult {
  let state = readinessFold.initial();
  for (const e of events) state = readinessFold.evolve(state, e);
  return assessReadiness(state, stage, asOf, since === undefined ? {} : { since });
}

const linesOf = (r: ReadinessResult, id: ReadinessCheckId): ReadinessCheck[] => r.checks.filter((c) => c.id === id);
const statusOf = (r: ReadinessResult, id: ReadinessCheckId): string[] => linesOf(r, id).map((c) => c.status);

describe('readiness, Stage 1', () => {
  it('given no evidence at all, when assessed, then every check is a gap naming where, what and the clause', () => {
    const result = assess([]);
    expect(result.ready).toBe(false);
    expect(result.checks.map((c) => [c.id, c.status, c.clause])).toEqual([
      ['aims-scope-approved', 'gap', '4.3'],
      ['ai-policy-published', 'gap', '5.2'],
      ['risk-criteria-approved', 'gap', '6.1.1'],
      ['risk-assessment-results', 'gap', '6.1.2'],
      ['soa-approved', 'gap', '6.1.3'],
      ['ai-objectives-set', 'gap', '6.2'],
      ['competence-records', 'gap', '7.2'],
      ['audit-programme-approved', 'gap', '9.2.2'],
      ['management-review-signed-off', 'gap', '9.3'],
    ]);
    for (const c of result.checks) {
      expect(c.where).not.toBe('');
      expect(c.what).not.toBe('');
      expect(c.evidence).toEqual([]);
    }
  });

  it('given every Stage 1 record, when assessed, then it is ready and each check cites the evidence that shows it', () => {
    const events = stage1Evidence();
    const result = assess(events);
    expect(result.checks.filter((c) => c.status === 'gap')).toEqual([]);
    expect(result.ready).toBe(true);
    const ids = new Set(events.map((e) => e.id));
    for (const c of result.checks) {
      expect(c.evidence.length).toBeGreaterThan(0);
      for (const id of c.evidence) expect(ids.has(id)).toBe(true);
    }
  });

  it.each<[ReadinessCheckId, (e: ReadinessEvidence) => boolean]>([
    ['aims-scope-approved', (e) => e.type === 'ScopeStatementApproved'],
    ['ai-policy-published', (e) => e.type === 'DocumentVersionPublished' && e.stream === 'document-ai-policy'],
    ['risk-criteria-approved', (e) => e.type === 'RiskCriteriaApproved'],
    ['risk-assessment-results', (e) => e.type === 'RiskAssessed'],
    ['soa-approved', (e) => e.type === 'SoaRevisionApproved'],
    ['ai-objectives-set', (e) => e.type === 'AiObjectiveSet'],
    ['competence-records', (e) => e.type === 'CompetenceRecorded'],
    ['audit-programme-approved', (e) => e.type === 'AuditProgrammeApproved'],
    ['management-review-signed-off', (e) => e.type === 'ManagementReviewSignedOff'],
  ])('given every record but the one %s needs, when assessed, then that check alone is a gap', (id, missing) => {
    const result = assess(stage1Evidence().filter((e) => !missing(e)));
    expect(result.ready).toBe(false);
    expect(result.checks.filter((c) => c.status === 'gap').map((c) => c.id)).toEqual([id]);
  });

  it('given a scope statement resting on the aims_scope document version in force, when assessed, then the scope line is met and cites both', () => {
    const events = stage1Evidence();
    const cited = (type: string): string | undefined => events.find((e) => e.type === type)?.id;
    expect(linesOf(assess(events), 'aims-scope-approved')).toEqual([
      expect.objectContaining({
        status: 'met',
        clause: '4.3',
        where: 'aims-scope',
        what: expect.stringMatching(/resting on document aims-scope version 1 \(in force\)$/),
        evidence: [
          cited('ScopeStatementApproved'),
          cited('ScopeStatementDocumentNamed'),
          events.find((e) => e.stream === 'document-aims-scope' && e.type === 'DocumentVersionPublished')?.id,
        ],
      }),
    ]);
  });

  it('given a scope statement in force that names no controlled document, when assessed, then Stage 1 has a gap naming 4.3 and 7.5.3', () => {
    const events = stage1Evidence().filter((e) => e.type !== 'ScopeStatementDocumentNamed');
    const result = assess(events);
    expect(result.ready).toBe(false);
    expect(result.checks.filter((c) => c.status === 'gap')).toEqual([
      expect.objectContaining({
        id: 'aims-scope-approved',
        clause: '4.3',
        where: 'aims-scope',
        what: expect.stringMatching(/^scope statement version 1 approved on .* names no controlled document: .*\(4\.3, 7\.5\.3\)/),
        evidence: [events.find((e) => e.type === 'ScopeStatementApproved')?.id],
      }),
    ]);
  });

  it('given the scope document moved to a new version after the statement was approved, when assessed as of after it, then a gap names the superseded version; as of before it, met', () => {
    const superseding = scopeDocumentVersion(2, '2026-02-01T09:00:00.000Z');
    const events = [...stage1Evidence(), ...superseding];
    const after = assess(events, 1, '2026-03-01T00:00:00.000Z');
    expect(after.ready).toBe(false);
    expect(after.checks.filter((c) => c.status === 'gap')).toEqual([
      expect.objectContaining({
        id: 'aims-scope-approved',
        where: 'aims-scope',
        what: expect.stringMatching(
          /rests on document aims-scope version 1, which is not the version in force \(version 2 is, since 2026-02-01T09:00:00\.000Z\) \(4\.3, 7\.5\.3\)/,
        ),
        evidence: expect.arrayContaining([superseding[0].id]),
      }),
    ]);
    // The same log as of an instant before version 2 was published: version 1 was in force then.
    const before = assess(events, 1, '2026-01-20T00:00:00.000Z');
    expect(statusOf(before, 'aims-scope-approved')).toEqual(['met']);
    // A new statement naming version 2 closes the gap.
    const followed = [
      ...events,
      ev(
        'aims-scope-organisation',
        'ScopeStatementDocumentNamed',
        {
          proposalId: 'p2',
          document: { documentId: 'aims-scope', version: 2, title: 'Scope', markdownDigest: null, publishedAt: '2026-02-01T09:00:00.000Z' },
        },
        '2026-02-02T09:00:00.000Z',
      ),
      ev(
        'aims-scope-organisation',
        'ScopeStatementApproved',
        { proposalId: 'p2', version: 2, replacesVersion: 1 },
        '2026-02-02T09:00:00.000Z',
      ),
    ];
    expect(assess(followed).ready).toBe(true);
    expect(linesOf(assess(followed), 'aims-scope-approved')[0].what).toMatch(/^scope statement version 2 .* version 2 \(in force\)$/);
  });

  it('given an AI policy drafted but not published, when assessed, then the gap names that document', () => {
    const result = assess(stage1Evidence().filter((e) => e.type !== 'DocumentVersionPublished'));
    expect(linesOf(result, 'ai-policy-published')).toEqual([
      expect.objectContaining({ status: 'gap', where: 'document-ai-policy', what: expect.stringMatching(/no published version/) }),
    ]);
  });

  it('given a published document of another kind only, when assessed, then the AI policy is still a gap', () => {
    const result = assess([
      ev('document-proc', 'DocumentCreated', { documentId: 'proc', kind: 'procedure' }),
      ev('document-proc', 'DocumentVersionPublished', { documentId: 'proc', version: 1 }),
    ]);
    expect(statusOf(result, 'ai-policy-published')).toEqual(['gap']);
  });

  it('given a risk identified and not assessed next to an assessed one, when assessed, then the unassessed risk is a gap', () => {
    const result = assess([...stage1Evidence(), ev('risk-r2', 'RiskIdentified', { riskId: 'r2' })]);
    expect(linesOf(result, 'risk-assessment-results')).toEqual([expect.objectContaining({ status: 'gap', where: 'risk-r2' })]);
  });

  it('given an SoA that excludes a control with an empty justification, when assessed, then the gap names the control', () => {
    const events = stage1Evidence().map((e) =>
      e.type === 'SoaRevisionProposed'
        ? { ...e, data: { ...e.data, entries: [{ controlId: 'A.10.4', applicable: false, justification: { text: '  ' } }] } }
        : e,
    );
    const [line] = linesOf(assess(events), 'soa-approved');
    expect(line).toEqual(expect.objectContaining({ status: 'gap', where: 'soa-organisation', what: expect.stringContaining('A.10.4') }));
  });

  it('given an SoA proposed and rejected, when assessed, then no SoA is in force', () => {
    const result = assess([
      ev('soa-organisation', 'SoaRevisionProposed', { revisionId: 'rev-1', entries: [] }),
      ev('soa-organisation', 'SoaRevisionRejected', { revisionId: 'rev-1', reasons: ['no'] }),
    ]);
    expect(statusOf(result, 'soa-approved')).toEqual(['gap']);
  });

  it('given a person appointed with no competence record, when assessed, then the gap names the person and role', () => {
    const result = assess([...stage1Evidence(), ev('person-bo', 'RoleAppointed', { appointmentId: 'ap2', role: 'approver', until: null })]);
    expect(linesOf(result, 'competence-records')).toEqual([
      expect.objectContaining({ status: 'gap', where: 'person-bo', what: expect.stringContaining('approver') }),
    ]);
  });

  it('given a competence record that expired before the date asked, when assessed, then the appointed person is a gap', () => {
    const events = stage1Evidence().map((e) =>
      e.type === 'CompetenceRecorded' ? { ...e, data: { ...e.data, expiresAt: '2026-02-01' } } : e,
    );
    expect(statusOf(assess(events, 1, '2026-01-20T00:00:00.000Z'), 'competence-records')).toEqual(['met']);
    expect(statusOf(assess(events, 1, '2026-03-01T00:00:00.000Z'), 'competence-records')).toEqual(['gap']);
  });

  it('given a pipeline appointed as ci and a revoked appointment, when assessed, then neither needs a competence record', () => {
    const result = assess([
      ...stage1Evidence(),
      ev('person-pipeline', 'RoleAppointed', { appointmentId: 'ap3', role: 'ci', until: null }),
      ev('person-cy', 'RoleAppointed', { appointmentId: 'ap4', role: 'engineer', until: null }),
      ev('person-cy', 'AppointmentRevoked', { appointmentId: 'ap4', role: 'engineer' }),
    ]);
    expect(statusOf(result, 'competence-records')).toEqual(['met']);
  });

  it('given a programme drafted but not approved, when assessed, then the gap names the programme stream', () => {
    const result = assess(stage1Evidence().filter((e) => e.type !== 'AuditProgrammeApproved'));
    expect(linesOf(result, 'audit-programme-approved')).toEqual([
      expect.objectContaining({ status: 'gap', where: 'audit-programme-2026', what: expect.stringMatching(/not approved/) }),
    ]);
  });
});

/** A system deployed to production with everything in order, and its monitoring. */
function operatedSystem(): ReadinessEvidence[] {
  const s = 'ai-system-credit-scoring';
  return [
    ev(s, 'AiSystemRegistered', { systemId: 'credit-scoring', policy: policy(30) }, '2026-01-05T09:00:00.000Z'),
    ev(s, 'ImpactAssessmentApproved', { assessmentId: 'ia', revision: 1 }, '2026-01-06T09:00:00.000Z'),
    ev(s, 'ValidationSignedOff', { validationId: 'v1', artifactDigest: 'sha256:aa' }, '2026-01-07T09:00:00.000Z'),
    ev(s, 'DeploymentCompleted', { artifactDigest: 'sha256:aa', environment: 'production', production: true }, '2026-01-08T09:00:00.000Z'),
    ev(s, 'MonitoringReportRecorded', { reportId: 'm1', artifactDigest: 'sha256:aa' }, '2026-02-01T09:00:00.000Z'),
    ev(s, 'MonitoringReportRecorded', { reportId: 'm2', artifactDigest: 'sha256:aa' }, '2026-02-25T09:00:00.000Z'),
    ev('internal-audit-ia-1', 'AuditPlanned', { auditId: 'ia-1' }, '2026-02-01T09:00:00.000Z'),
    ev('internal-audit-ia-1', 'AuditClosed', {}, '2026-02-19T09:00:00.000Z'),
  ];
}

describe('readiness, Stage 2', () => {
  const stage2 = (events: ReadinessEvidence[], asOf = '2026-03-01T00:00:00.000Z', since?: string): ReadinessResult =>
    assess([...stage1Evidence(), ...events], 2, asOf, since);

  it('given an operated AIMS, when assessed at Stage 2, then it is ready from the first deployment on', () => {
    const result = stage2(operatedSystem());
    expect(result.checks.filter((c) => c.status === 'gap')).toEqual([]);
    expect(result.ready).toBe(true);
    expect(result.operatingPeriodFrom).toBe('2026-01-08T09:00:00.000Z');
  });

  it('given no deployment and no start, when assessed at Stage 2, then the period checks are gaps saying there is no period', () => {
    const result = stage2([]);
    for (const id of [
      'impact-assessed-before-deployment',
      'validation-signed-off-before-deployment',
      'monitoring-within-intervals',
      'audits-done-as-planned',
    ] as const)
      expect(linesOf(result, id)).toEqual([expect.objectContaining({ status: 'gap', what: expect.stringMatching(/no operating period/) })]);
    expect(result.operatingPeriodFrom).toBeNull();
  });

  it('given a deployment before the impact assessment was approved, when assessed, then that deployment is a gap', () => {
    const events = operatedSystem();
    const approval = events.findIndex((e) => e.type === 'ImpactAssessmentApproved');
    const [ia] = events.splice(approval, 1);
    events.push({ ...ia, recordedAt: '2026-02-26T00:00:00.000Z' });
    const lines = linesOf(stage2(events), 'impact-assessed-before-deployment');
    expect(lines).toEqual([
      expect.objectContaining({ status: 'gap', where: 'ai-system-credit-scoring', what: expect.stringContaining('sha256:aa') }),
    ]);
  });

  it('given a sign-off of another artifact digest, when the deployed one was never signed off, then validation is a gap', () => {
    const events = operatedSystem().map((e) =>
      e.type === 'ValidationSignedOff' ? { ...e, data: { ...e.data, artifactDigest: 'sha256:bb' } } : e,
    );
    expect(statusOf(stage2(events), 'validation-signed-off-before-deployment')).toEqual(['gap']);
    expect(statusOf(stage2(events), 'impact-assessed-before-deployment')).toEqual(['met']);
  });

  it('given a span between monitoring records longer than the policy interval, when assessed, then the span is a gap', () => {
    const events = operatedSystem().filter((e) => e.data.reportId !== 'm1');
    const lines = linesOf(stage2(events), 'monitoring-within-intervals');
    expect(lines).toEqual([expect.objectContaining({ status: 'gap', what: expect.stringMatching(/2026-01-08.*2026-02-25.*30 days/) })]);
  });

  it('given no monitoring for longer than the interval up to the date asked, when assessed, then the silence is a gap', () => {
    expect(statusOf(stage2(operatedSystem(), '2026-03-20T00:00:00.000Z'), 'monitoring-within-intervals')).toEqual(['met']);
    const late = linesOf(stage2(operatedSystem(), '2026-04-01T00:00:00.000Z'), 'monitoring-within-intervals');
    expect(late).toEqual([
      expect.objectContaining({ status: 'gap', what: expect.stringMatching(/no monitoring record since 2026-02-25/) }),
    ]);
  });

  it('given a system with no recorded policy interval, when assessed, then monitoring is a gap with that reason', () => {
    const events = operatedSystem().map((e) => (e.type === 'AiSystemRegistered' ? { ...e, data: { systemId: 'credit-scoring' } } : e));
    expect(linesOf(stage2(events), 'monitoring-within-intervals')).toEqual([
      expect.objectContaining({ status: 'gap', what: expect.stringMatching(/no lifecycle policy/) }),
    ]);
  });

  it('given a planned audit that was not closed by its end, when assessed, then the audit is a gap', () => {
    const events = operatedSystem().filter((e) => e.type !== 'AuditClosed');
    expect(linesOf(stage2(events), 'audits-done-as-planned')).toEqual([
      expect.objectContaining({ status: 'gap', where: 'internal-audit-ia-1', what: expect.stringMatching(/not closed/) }),
    ]);
  });

  it('given a programme whose audits end after the date asked, when assessed, then no audit is shown done', () => {
    expect(linesOf(stage2(operatedSystem(), '2026-02-10T00:00:00.000Z'), 'audits-done-as-planned')).toEqual([
      expect.objectContaining({ status: 'gap', what: expect.stringMatching(/no programmed audit was due/) }),
    ]);
  });

  it('given nonconformities, when assessed, then closed ones and approved plans in time are met, the others gaps', () => {
    const nc = (id: string): string => `nonconformity-${id}`;
    const plan = (id: string, due: string): ReadinessEvidence[] => [
      ev(nc(id), 'CorrectiveActionPlanSubmitted', { planId: `${id}-p`, round: 1, actions: [{ actionId: 'a1', owner: 'x', dueDate: due }] }),
      ev(nc(id), 'CorrectiveActionPlanApproved', { planId: `${id}-p`, round: 1 }),
    ];
    const handled = [
      ev(nc('closed'), 'NonconformityRaised', {}),
      ev(nc('closed'), 'NonconformityClosed', { round: 1 }),
      ev(nc('planned'), 'NonconformityRaised', {}),
      ...plan('planned', '2026-04-01'),
      ev(nc('done'), 'NonconformityRaised', {}),
      ...plan('done', '2026-02-01'),
      ev(nc('done'), 'CorrectiveActionCompleted', { planId: 'done-p', actionId: 'a1' }),
    ];
    expect(statusOf(stage2([...operatedSystem(), ...handled]), 'nonconformities-handled')).toEqual(['met']);
    const open = [ev(nc('open'), 'NonconformityRaised', {}), ev(nc('late'), 'NonconformityRaised', {}), ...plan('late', '2026-02-01')];
    const lines = linesOf(stage2([...operatedSystem(), ...handled, ...open]), 'nonconformities-handled');
    expect(lines.map((l) => [l.status, l.where])).toEqual([
      ['gap', 'nonconformity-open'],
      ['gap', 'nonconformity-late'],
    ]);
    expect(lines[1].what).toMatch(/a1 \(due 2026-02-01\)/);
  });

  it('given a nonconformity closed then reopened, when assessed, then it is open again with no plan', () => {
    const nc = 'nonconformity-re';
    const events = [ev(nc, 'NonconformityRaised', {}), ev(nc, 'NonconformityClosed', {}), ev(nc, 'NonconformityReopened', { round: 2 })];
    expect(statusOf(stage2([...operatedSystem(), ...events]), 'nonconformities-handled')).toEqual(['gap']);
  });

  it('given a start after the only deployment, when assessed, then no deployment is in the period', () => {
    const result = stage2(operatedSystem(), '2026-03-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');
    expect(result.operatingPeriodFrom).toBe('2026-02-01T00:00:00.000Z');
    expect(linesOf(result, 'impact-assessed-before-deployment')).toEqual([
      expect.objectContaining({ status: 'gap', what: expect.stringMatching(/no deployment is recorded between/) }),
    ]);
  });
});

describe('readiness report', () => {
  it('given a result with gaps, when made a report, then each line is a statement with its clause, tone and evidence', () => {
    const result = assess(
      stage1Evidence().filter((e) => e.type !== 'AiObjectiveSet'),
      2,
    );
    const doc = readinessReport(result, { position: 42, asOf: result.asOf }, { generatedAt: '2026-03-01T00:00:01.000Z' });
    expect(doc.kind).toBe('readiness');
    expect(doc.sections.map((s) => s.id)).toEqual(['summary', 'stage-1', 'stage-2']);
    expect(doc.sections[0].statements[0]).toEqual(
      expect.objectContaining({ tone: 'gap', text: expect.stringMatching(/Not ready for Stage 2/) }),
    );
    const stage1 = doc.sections[1];
    const objective = stage1.statements.find((s) => s.text.includes('AI objectives are set'));
    expect(objective).toEqual(expect.objectContaining({ tone: 'gap', clause: '6.2', evidence: [] }));
    const scope = stage1.table?.rows.find((r) => r.cells[0] === 'aims-scope-approved');
    expect(scope?.cells[2]).toBe('met');
    expect(scope?.evidence.length).toBe(3);
    expect(stage1.statements.length + doc.sections[2].statements.length).toBe(result.checks.length);
  });

  it('given a ready Stage 1 result, when made a report, then the summary says ready and there is no Stage 2 section', () => {
    const doc = readinessReport(assess(stage1Evidence()), { position: 14 }, { generatedAt: '2026-03-01T00:00:01.000Z' });
    expect(doc.sections.map((s) => s.id)).toEqual(['summary', 'stage-1']);
    expect(doc.sections[0].statements[0].tone).toBe('ok');
  });
});

describe('readiness fold', () => {
  it('given many monitoring records, when folded, then the state keeps a bounded list of them', () => {
    let state = readinessFold.initial();
    for (const e of operatedSystem()) state = readinessFold.evolve(state, e);
    for (let i = 0; i < 500; i += 1)
      state = readinessFold.evolve(
        state,
        ev(
          'ai-system-credit-scoring',
          'MonitoringReportRecorded',
          { reportId: `r${i}` },
          new Date(Date.parse('2026-02-26') + i * 60_000).toISOString(),
        ),
      );
    expect(state.systems.get('ai-system-credit-scoring')?.monitoringEvidence.length).toBeLessThanOrEqual(10);
  });
});
