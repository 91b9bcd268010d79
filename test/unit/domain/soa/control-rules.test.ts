/**
 * Every control rule over the evidence: given the folded lifecycles (as the ai_systems read model keeps
 * them) → status and findings naming the systems and records that break the control. Broken facts the
 * current lifecycle would refuse (a version in production without sign-off, as an older policy allowed)
 * are made by editing a folded state: the rules judge what the evidence holds, whatever allowed it.
 */
import type { AiSystemRecord } from '../../../../domain/ai-system';
import { A_5_2, A_6_2_4, A_6_2_5, A_6_2_6, A_7_4, CONTROL_RULES, isRuledControl, judgeControls } from '../../../../domain/soa';
import {
  at,
  changeSignificant,
  DIGEST_A,
  given,
  qualityCheck,
  register,
  registered,
  submitIa,
  toProduction,
  toSignedOff,
  toValidation,
} from './rule-scenarios';

const production = (systemId = 'credit-scoring'): AiSystemRecord => registered(given(...toProduction({ systemId })));
const verdictOf = (controlId: string, systems: AiSystemRecord[], when = at(60)) => {
  const v = judgeControls(systems, when).find((x) => x.controlId === controlId);
  if (!v) throw new Error(`no verdict for ${controlId}`);
  return v;
};

describe('control rules over the evidence', () => {
  test('five controls are ruled; the others are attested', () => {
    expect(CONTROL_RULES.map((r) => r.controlId)).toEqual(['A.5.2', 'A.6.2.4', 'A.6.2.5', 'A.6.2.6', 'A.7.4']);
    expect(isRuledControl('A.6.2.4')).toBe(true);
    expect(isRuledControl('A.2.2')).toBe(false);
  });

  test('a system run by the book: every rule operates, each having checked it', () => {
    const verdicts = judgeControls([production()], at(60));
    expect(verdicts.map((v) => [v.controlId, v.status, v.checked, v.findings.length])).toEqual([
      ['A.5.2', 'operates', 1, 0],
      ['A.6.2.4', 'operates', 1, 0],
      ['A.6.2.5', 'operates', 1, 0],
      ['A.6.2.6', 'operates', 1, 0],
      ['A.7.4', 'operates', 1, 0],
    ]);
  });

  test('no systems: nothing checked, nothing broken', () => {
    expect(judgeControls([], at(0)).every((v) => v.status === 'operates' && v.checked === 0)).toBe(true);
  });

  describe('A.6.2.4: every version in production has a signed-off validation for its digest', () => {
    test('a version deployed without sign-off (as an older policy allowed) breaks it, naming version and digest', () => {
      const s = production();
      const unsigned: AiSystemRecord = { ...s, validations: s.validations.map((v) => ({ ...v, status: 'awaiting_sign_off' as const })) };
      const v = verdictOf('A.6.2.4', [production('loan-pricing'), unsigned]);
      expect(v.status).toBe('does_not_operate');
      expect(v.checked).toBe(2);
      expect(v.findings).toEqual([
        { systemId: 'credit-scoring', record: `1.0.0@${DIGEST_A}`, problem: expect.stringContaining('without a signed-off validation') },
      ]);
    });

    test('a sign-off of another digest of the same version does not count', () => {
      const s = production();
      const other: AiSystemRecord = { ...s, validations: s.validations.map((v) => ({ ...v, artifactDigest: `sha256:${'f'.repeat(64)}` })) };
      expect(A_6_2_4.check(other, at(60))).toHaveLength(1);
    });

    test('systems not in production are not concerned', () => {
      expect(A_6_2_4.check(registered(given(...toSignedOff())), at(60))).toBeNull();
    });
  });

  describe('A.5.2: every system past registration has a current approved impact assessment', () => {
    test('a system still in its first assessment is not concerned; one in validation is, and holds', () => {
      expect(A_5_2.check(registered(given(register(), submitIa())), at(5))).toBeNull();
      expect(A_5_2.check(registered(given(...toValidation())), at(10))).toEqual([]);
    });

    test('an assessment made outdated by a significant change breaks it while the system runs in production', () => {
      const s = registered(given(...toProduction(), changeSignificant(20)));
      const v = verdictOf('A.5.2', [s], at(30));
      expect(v.status).toBe('does_not_operate');
      expect(v.findings).toEqual([{ systemId: 'credit-scoring', record: 'IA-1', problem: expect.stringContaining('outdated') }]);
    });

    test('an approved assessment past its validity has expired', () => {
      const s = production();
      const expiresAfterAnHour: AiSystemRecord = { ...s, policy: { ...s.policy, impactAssessmentValidityMs: 3_600_000 } };
      expect(A_5_2.check(expiresAfterAnHour, at(30))).toEqual([]);
      expect(A_5_2.check(expiresAfterAnHour, at(120))).toEqual([
        { systemId: 'credit-scoring', record: 'IA-1', problem: expect.stringContaining('expired') },
      ]);
    });

    test('a system at validation without any approved assessment breaks it', () => {
      const s = registered(given(...toValidation()));
      const none: AiSystemRecord = { ...s, approvedImpactAssessmentId: null };
      expect(A_5_2.check(none, at(10))).toEqual([
        { systemId: 'credit-scoring', record: null, problem: expect.stringContaining('without an approved') },
      ]);
    });
  });

  describe('A.6.2.6: every production system has had a monitoring report within its review interval', () => {
    test('new to production: one interval from going live before the first report is due', () => {
      const s = production();
      const interval = s.policy.monitoringReviewIntervalMs;
      const live = s.production?.since ?? '';
      const justBefore = new Date(Date.parse(live) + interval - 1).toISOString();
      const atDue = new Date(Date.parse(live) + interval).toISOString();
      expect(A_6_2_6.check(s, justBefore)).toEqual([]);
      expect(A_6_2_6.check(s, atDue)).toEqual([
        { systemId: 'credit-scoring', record: null, problem: expect.stringContaining('no monitoring report') },
      ]);
    });

    test('a report resets the clock; an old last report is named', () => {
      const s = production();
      const reported: AiSystemRecord = {
        ...s,
        monitoring: { ...s.monitoring, reportCount: 1, lastReportId: 'R-7', lastReportAt: at(100) },
      };
      const interval = s.policy.monitoringReviewIntervalMs;
      expect(A_6_2_6.check(reported, new Date(Date.parse(at(100)) + interval - 1).toISOString())).toEqual([]);
      expect(A_6_2_6.check(reported, new Date(Date.parse(at(100)) + interval).toISOString())).toEqual([
        { systemId: 'credit-scoring', record: 'R-7', problem: expect.stringContaining('R-7') },
      ]);
    });

    test('a system not in production is not concerned', () => {
      expect(A_6_2_6.check(registered(given(...toSignedOff())), at(10_000_000))).toBeNull();
    });
  });

  describe('A.7.4: every dataset backing a validation has a passing quality check', () => {
    test('a later failing check of a dataset that backs a validation breaks it, naming the dataset and the validation', () => {
      const s = registered(given(...toSignedOff(), qualityCheck('QC-2', 'DS-1', false, 20)));
      expect(A_7_4.check(s, at(30))).toEqual([
        { systemId: 'credit-scoring', record: 'DS-1', problem: expect.stringMatching(/QC-2 failed.*validation V-1/) },
      ]);
    });

    test('a dataset the validation names but the evidence never recorded breaks it', () => {
      const s = registered(given(...toSignedOff()));
      const unrecorded: AiSystemRecord = { ...s, datasets: [] };
      expect(A_7_4.check(unrecorded, at(30))).toEqual([
        { systemId: 'credit-scoring', record: 'DS-1', problem: expect.stringContaining('not recorded') },
      ]);
    });

    test('no validation: not concerned', () => {
      expect(A_7_4.check(registered(given(register())), at(1))).toBeNull();
    });
  });

  describe('A.6.2.5: deployments only after approval', () => {
    test('a completed deployment without an approval breaks it, naming the request', () => {
      const s = production();
      const unapproved: AiSystemRecord = { ...s, deploymentRequests: s.deploymentRequests.map((r) => ({ ...r, approval: null })) };
      const v = verdictOf('A.6.2.5', [unapproved]);
      expect(v.findings).toEqual([{ systemId: 'credit-scoring', record: 'D-1', problem: expect.stringContaining('without an approval') }]);
    });

    test('an approval dated after the completion breaks it', () => {
      const s = production();
      const late: AiSystemRecord = {
        ...s,
        deploymentRequests: s.deploymentRequests.map((r) => ({ ...r, approval: r.approval && { ...r.approval, at: at(500) } })),
      };
      expect(A_6_2_5.check(late, at(600))).toEqual([
        { systemId: 'credit-scoring', record: 'D-1', problem: expect.stringContaining('before its approval') },
      ]);
    });

    test('a production version whose request is not on record breaks it', () => {
      const s = production();
      const orphan: AiSystemRecord = { ...s, deploymentRequests: [] };
      expect(A_6_2_5.check(orphan, at(60))).toEqual([
        { systemId: 'credit-scoring', record: 'D-1', problem: expect.stringContaining('no recorded approval') },
      ]);
    });
  });

  test('one failing system fails the control; every failing system is named', () => {
    const broken = (id: string): AiSystemRecord => {
      const s = production(id);
      return { ...s, validations: [] };
    };
    const v = verdictOf('A.6.2.4', [broken('a-1'), production('ok-1'), broken('b-2')]);
    expect(v.checked).toBe(3);
    expect(v.findings.map((f) => f.systemId)).toEqual(['a-1', 'b-2']);
  });
});
