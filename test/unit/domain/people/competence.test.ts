/**
 * Competence groundwork (7.2): which role requirements a person's approved records meet at an instant,
 * COMPETENCE_MISSING naming what is missing, approval never by the person, and when the next lapse falls.
 */
import {
  approvalProblem,
  competenceGaps,
  competenceMissing,
  competenceRecordIssues,
  nextCompetenceLapse,
  type CompetenceRecord,
  type CompetenceRequirement,
} from '../../../../domain/people';

const requirements: CompetenceRequirement[] = [
  { role: 'validator', competence: 'model validation', withinMonths: 24 },
  { role: 'approver', competence: 'AI risk basics', withinMonths: null },
];
const course: CompetenceRecord = {
  recordId: 'c1',
  competence: 'model validation',
  kind: 'course',
  obtainedAt: '2025-01-10T00:00:00.000Z',
  expiresAt: null,
  evidenceRef: 'cert-123',
  approvedBy: { id: 'amara', role: 'aims_owner' },
};

describe('competence', () => {
  test('a validator with an approved course within 24 months is competent; past 24 months it is too old', () => {
    expect(competenceGaps(requirements, ['validator'], [course], '2026-06-01T00:00:00.000Z')).toEqual([]);
    expect(competenceGaps(requirements, ['validator'], [course], '2027-01-11T00:00:00.000Z')).toEqual([
      { role: 'validator', competence: 'model validation', reason: 'too_old', recordId: 'c1' },
    ]);
  });

  test('an unapproved, expired or missing record leaves a gap, each saying why', () => {
    expect(competenceGaps(requirements, ['validator'], [{ ...course, approvedBy: null }], '2025-06-01T00:00:00.000Z')[0]?.reason).toBe(
      'not_approved',
    );
    expect(
      competenceGaps(requirements, ['validator'], [{ ...course, expiresAt: '2025-06-01T00:00:00.000Z' }], '2025-06-01T00:00:00.000Z')[0]
        ?.reason,
    ).toBe('expired');
    expect(competenceGaps(requirements, ['approver'], [course], '2025-06-01T00:00:00.000Z')).toEqual([
      { role: 'approver', competence: 'AI risk basics', reason: 'no_record', recordId: null },
    ]);
  });

  test('COMPETENCE_MISSING names the person, the role and what is missing', () => {
    expect(competenceMissing('vera', 'validator', requirements, [course], '2026-06-01T00:00:00.000Z')).toBeNull();
    expect(competenceMissing('vera', 'validator', requirements, [], '2026-06-01T00:00:00.000Z')).toMatchObject({
      code: 'COMPETENCE_MISSING',
      message: 'vera cannot act as validator: missing model validation (no record).',
      details: { personId: 'vera', role: 'validator', missing: [{ competence: 'model validation', reason: 'no_record', recordId: null }] },
    });
  });

  test('a record is approved by someone other than the person; bad records are refused field by field', () => {
    expect(approvalProblem(['vera', 'vera@example.com'], { id: 'VERA', role: 'aims_owner' })?.code).toBe('SEGREGATION_OF_DUTIES');
    expect(approvalProblem(['vera'], { id: 'amara', role: 'aims_owner' })).toBeNull();
    expect(
      competenceRecordIssues({ ...course, kind: 'hearsay' as never, expiresAt: '2024-01-01T00:00:00.000Z' }).map((i) => i.field),
    ).toEqual(['kind', 'expiresAt']);
  });

  test('the next lapse is when the earliest current record stops counting (its expiry or its age limit)', () => {
    expect(nextCompetenceLapse(requirements, [course])?.slice(0, 10)).toBe('2027-01-10');
    expect(nextCompetenceLapse(requirements, [{ ...course, expiresAt: '2026-01-01T00:00:00.000Z' }])).toBe('2026-01-01T00:00:00.000Z');
    expect(nextCompetenceLapse(requirements, [])).toBeNull();
  });
});
