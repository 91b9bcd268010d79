import { isSha256Digest } from '../../../../domain/shared/artifact-digest';
import { domainError, isDomainError } from '../../../../domain/shared/domain-error';
import { addMilliseconds, earliest, isIsoTimestamp } from '../../../../domain/shared/iso-time';
import { actingAs, actorProblem, AIMS_ROLES, AUDIT_ONLY_ROLES, isAimsRole, READ_ONLY_ROLES } from '../../../../domain/shared/roles';

describe('shared domain primitives', () => {
  test('ISO timestamps: offsets and fractions accepted, dates without time or nonsense refused', () => {
    expect(isIsoTimestamp('2025-01-01T00:00:00Z')).toBe(true);
    expect(isIsoTimestamp('2025-01-01T00:00:00.123+02:00')).toBe(true);
    expect(isIsoTimestamp('2025-01-01')).toBe(false);
    expect(isIsoTimestamp('2025-13-45T00:00:00Z')).toBe(false);
    expect(isIsoTimestamp(12345)).toBe(false);
  });

  test('time arithmetic works on strings and returns UTC ISO', () => {
    expect(addMilliseconds('2025-01-01T00:00:00+01:00', 1500)).toBe('2024-12-31T23:00:01.500Z');
    expect(earliest([null, '2025-01-02T00:00:00Z', '2025-01-01T12:00:00Z'])).toBe('2025-01-01T12:00:00Z');
    expect(earliest([null])).toBeNull();
  });

  test('artifact digests are sha256:<64 lowercase hex>', () => {
    expect(isSha256Digest(`sha256:${'0f'.repeat(32)}`)).toBe(true);
    expect(isSha256Digest(`sha256:${'0F'.repeat(32)}`)).toBe(false);
    expect(isSha256Digest(`sha512:${'0f'.repeat(32)}`)).toBe(false);
    expect(isSha256Digest(`sha256:${'0f'.repeat(31)}`)).toBe(false);
  });

  test('domain errors are plain, recognisable objects', () => {
    const e = domainError('X_FAILED', 'It failed.', { id: 'a' });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(isDomainError(e)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
  });

  test('actors: problems reported; the acting role prefers the given order', () => {
    expect(actorProblem({ id: '', roles: ['approver'] })).toMatch(/id/);
    expect(actorProblem({ id: 'a', roles: [] })).toMatch(/no AIMS role/);
    expect(actorProblem({ id: 'a', roles: ['approver'] })).toBeNull();
    expect(actingAs({ id: 'a', roles: ['auditor', 'validator'] }, ['validator'])).toEqual({ id: 'a', role: 'validator' });
    expect(actingAs({ id: 'a', roles: ['auditor', 'validator'] })).toEqual({ id: 'a', role: 'auditor' });
  });

  test('roles: the ten API roles; the former fine-grained roles are no longer roles; auditor is read-only; internal_auditor writes audit records only', () => {
    expect(AIMS_ROLES).toEqual([
      'admin',
      'top_management',
      'aims_owner',
      'risk_owner',
      'approver',
      'validator',
      'engineer',
      'ci',
      'auditor',
      'internal_auditor',
    ]);
    for (const former of ['ai_system_owner', 'ai_developer', 'data_steward', 'operator'])
      expect([former, isAimsRole(former)]).toEqual([former, false]);
    expect(READ_ONLY_ROLES).toEqual(['auditor']);
    expect(AUDIT_ONLY_ROLES).toEqual(['internal_auditor']);
    expect(actorProblem({ id: 'a', roles: ['operator' as never] })).toMatch(/unknown roles: operator/);
  });
});
