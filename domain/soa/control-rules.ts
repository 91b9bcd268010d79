/**
 * Whether a control operates, judged from what the evidence records rather than from what someone says
 * (issue 14 item 4). Each rule is a pure function of one AI system's folded lifecycle (the fold state the
 * `ai_systems` read model keeps: domain/ai-system/model.ts) and an instant; it names what breaks the
 * control, or says the system is not concerned. `judgeControls` folds every system once through every
 * rule, so memory grows with the findings, never with the systems.
 *
 * Controls without a rule here are judged by people (an attestation on the SoA process).
 */
import { addMilliseconds, isAtOrAfter } from '../shared/iso-time';
import type { AiSystemRecord, LifecycleStage } from '../ai-system/model';
import { datasetQualityProblem, impactAssessmentCurrency } from '../ai-system/queries';

/** One thing that keeps a control from operating: the system and the record that break it. */
export type ControlFinding = {
  systemId: string;
  /** The offending record (a version@digest, a deployment request, an assessment, a dataset), when there is one. */
  record: string | null;
  problem: string;
};

export type RuleStatus = 'operates' | 'does_not_operate';

export type RuleVerdict = {
  controlId: string;
  status: RuleStatus;
  /** What the rule checks, in words. */
  rule: string;
  /** How many systems the rule concerned (0: nothing to check, and nothing broke it). */
  checked: number;
  findings: ControlFinding[];
};

/** One rule: findings for a system it concerns (empty when it holds), null when the system is not concerned. */
export type ControlRule = {
  controlId: string;
  rule: string;
  check(system: AiSystemRecord, at: string): ControlFinding[] | null;
};

const RETIRED_STAGES: readonly LifecycleStage[] = ['decommissioned'];
/** Stages a system is in once its impact assessment has let it move on (and before it is retired). */
const PAST_IMPACT_ASSESSMENT: readonly LifecycleStage[] = ['validation', 'deployment_approval', 'in_production', 'decommissioning'];

const inProduction = (s: AiSystemRecord): boolean => s.production !== null && !RETIRED_STAGES.includes(s.stage);

export const A_5_2: ControlRule = {
  controlId: 'A.5.2',
  rule: 'every system past its impact assessment (or running in production) has a current approved impact assessment',
  check(s, at) {
    if (RETIRED_STAGES.includes(s.stage) || (!PAST_IMPACT_ASSESSMENT.includes(s.stage) && s.production === null)) return null;
    const ia = impactAssessmentCurrency(s, at);
    if (ia.current) return [];
    const problem =
      ia.why === 'missing'
        ? `is at stage ${s.stage} without an approved impact assessment`
        : ia.why === 'expired'
          ? `its approved impact assessment expired (approved ${ia.assessment?.decidedAt ?? 'at an unknown time'}, valid ${String(s.policy.impactAssessmentValidityMs)} ms)`
          : `its impact assessment is ${ia.assessment?.status ?? 'not current'} since a significant change`;
    return [{ systemId: s.profile.systemId, record: ia.assessment?.assessmentId ?? null, problem }];
  },
};

export const A_6_2_4: ControlRule = {
  controlId: 'A.6.2.4',
  rule: 'every version in production has a signed-off validation for its exact artifact digest',
  check(s) {
    if (!inProduction(s) || s.production === null) return null;
    const p = s.production;
    const signed = s.validations.some(
      (v) => v.modelVersion === p.modelVersion && v.artifactDigest === p.artifactDigest && v.status === 'signed_off',
    );
    if (signed) return [];
    return [
      {
        systemId: s.profile.systemId,
        record: `${p.modelVersion}@${p.artifactDigest}`,
        problem: `version ${p.modelVersion} runs in ${p.environment} (deployment ${p.requestId}) without a signed-off validation of digest ${p.artifactDigest}`,
      },
    ];
  },
};

export const A_6_2_5: ControlRule = {
  controlId: 'A.6.2.5',
  rule: 'every completed deployment was approved (by a person or the policy) before it was completed',
  check(s) {
    const completed = s.deploymentRequests.filter((r) => r.status === 'completed');
    const unapprovedProduction =
      s.production !== null && !s.deploymentRequests.some((r) => r.requestId === s.production?.requestId && r.approval !== null);
    if (completed.length === 0 && s.production === null) return null;
    const findings: ControlFinding[] = completed
      .filter((r) => r.approval === null || (r.completedAt !== null && !isAtOrAfter(r.completedAt, r.approval.at)))
      .map((r) => ({
        systemId: s.profile.systemId,
        record: r.requestId,
        problem:
          r.approval === null
            ? `deployment ${r.requestId} of ${r.modelVersion} to ${r.environment} was completed without an approval`
            : `deployment ${r.requestId} was completed at ${r.completedAt ?? '?'}, before its approval at ${r.approval.at}`,
      }));
    if (unapprovedProduction && s.production !== null && !findings.some((f) => f.record === s.production?.requestId)) {
      findings.push({
        systemId: s.profile.systemId,
        record: s.production.requestId,
        problem: `version ${s.production.modelVersion} is in production through ${s.production.requestId}, which has no recorded approval`,
      });
    }
    return findings;
  },
};

export const A_6_2_6: ControlRule = {
  controlId: 'A.6.2.6',
  rule: "every production system has had a monitoring report within its policy's review interval",
  check(s, at) {
    if (!inProduction(s) || s.production === null) return null;
    const interval = s.policy.monitoringReviewIntervalMs;
    // A system new to production has one interval from going live before its first report is due.
    const since = s.monitoring.lastReportAt ?? s.production.since;
    const dueBy = addMilliseconds(since, interval);
    if (!isAtOrAfter(at, dueBy)) return [];
    return [
      {
        systemId: s.profile.systemId,
        record: s.monitoring.lastReportId,
        problem:
          s.monitoring.lastReportAt === null
            ? `no monitoring report since it went into production at ${s.production.since} (one was due by ${dueBy})`
            : `last monitoring report ${s.monitoring.lastReportId ?? ''} at ${s.monitoring.lastReportAt}; the next was due by ${dueBy}`,
      },
    ];
  },
};

export const A_7_4: ControlRule = {
  controlId: 'A.7.4',
  rule: 'every dataset backing a validation has a passing latest data-quality check',
  check(s) {
    const live = s.validations.filter((v) => v.status !== 'superseded');
    if (live.length === 0) return null;
    const findings: ControlFinding[] = [];
    const reported = new Set<string>();
    for (const v of live) {
      for (const datasetId of v.datasetIds) {
        if (reported.has(datasetId)) continue;
        const d = s.datasets.find((x) => x.datasetId === datasetId);
        const problem = d === undefined ? `dataset ${datasetId} is not recorded` : datasetQualityProblem(d);
        if (problem === null) continue;
        reported.add(datasetId);
        findings.push({ systemId: s.profile.systemId, record: datasetId, problem: `${problem} (backs validation ${v.validationId})` });
      }
    }
    return findings;
  },
};

/** Every rule, by control id. */
export const CONTROL_RULES: readonly ControlRule[] = [A_5_2, A_6_2_4, A_6_2_5, A_6_2_6, A_7_4];

const RULED = new Set(CONTROL_RULES.map((r) => r.controlId));

/** True when a rule over the evidence judges the control (it then takes no attestation). */
export function isRuledControl(controlId: string): boolean {
  return RULED.has(controlId);
}

export function ruleFor(controlId: string): ControlRule | undefined {
  return CONTROL_RULES.find((r) => r.controlId === controlId);
}

/**
 * Folds systems one at a time through the rules; `verdicts()` says each rule's status. At most
 * `maxFindings` findings are kept per rule (the count of every one is kept), so an answer stays readable.
 */
export function controlJudge(at: string, rules: readonly ControlRule[] = CONTROL_RULES, maxFindings = 1000) {
  const acc = rules.map((r) => ({ rule: r, checked: 0, failing: 0, findings: [] as ControlFinding[] }));
  return {
    add(system: AiSystemRecord): void {
      for (const a of acc) {
        const found = a.rule.check(system, at);
        if (found === null) continue;
        a.checked += 1;
        if (found.length > 0) a.failing += 1;
        for (const f of found) if (a.findings.length < maxFindings) a.findings.push(f);
      }
    },
    verdicts(): RuleVerdict[] {
      return acc.map((a) => ({
        controlId: a.rule.controlId,
        status: a.failing === 0 ? 'operates' : 'does_not_operate',
        rule: a.rule.rule,
        checked: a.checked,
        findings: a.findings,
      }));
    },
  };
}

/** Every rule's verdict over these systems at `at`. */
export function judgeControls(systems: Iterable<AiSystemRecord>, at: string, rules: readonly ControlRule[] = CONTROL_RULES): RuleVerdict[] {
  const judge = controlJudge(at, rules);
  for (const s of systems) judge.add(s);
  return judge.verdicts();
}
