/**
 * The impact assessment gate (6.1.4, 8.4, A.5): a submission opens a review task; approval lets validation
 * begin, rejection or changes requested send it back for resubmission. A review task whose assessment is
 * no longer under review (withdrawn by a significant change) is closed.
 */
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { aiSystemError, incompleteImpactAssessment, invalid } from '../errors';
import { impactAssessmentIssues } from '../input-checks';
import { SEVERITIES_REQUIRING_MITIGATION, type AiSystemRecord } from '../model';
import { findImpactAssessment, impactAssessmentCurrency, underReviewImpactAssessment } from '../queries';
import { actorOf, duplicate, openTask, stageChange, supersede, supersededSubject, taskIdProblem, updateAssessment } from './common';
import type { DecideResult, Feature, TaskDecision, TaskOf } from './feature';
import { riskTierConfirmation } from './policy-governance';

function submitImpactAssessment(c: C.SubmitImpactAssessment, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('assessmentId', c.assessmentId);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (findImpactAssessment(s, c.assessmentId)) return err(duplicate('impact assessment', c.assessmentId));
  const taskProblem = taskIdProblem(s, c.type, c.reviewTaskId, 'reviewTaskId');
  if (taskProblem) return err(taskProblem);
  const underReview = underReviewImpactAssessment(s);
  if (underReview) {
    return err(
      aiSystemError(
        'IMPACT_ASSESSMENT_UNDER_REVIEW',
        `Impact assessment ${underReview.assessmentId} is still under review; wait for its decision before submitting another.`,
        { assessmentId: underReview.assessmentId, reviewTaskId: underReview.reviewTaskId },
      ),
    );
  }
  const currency = impactAssessmentCurrency(s, c.at);
  if (currency.current) {
    return err(
      aiSystemError(
        'IMPACT_ASSESSMENT_ALREADY_CURRENT',
        `Impact assessment ${currency.assessment.assessmentId} is approved and current; record a significant change to reassess.`,
        { assessmentId: currency.assessment.assessmentId },
      ),
    );
  }
  const structural = impactAssessmentIssues(c.content);
  if (structural.length > 0) return err(incompleteImpactAssessment(structural));
  const unmitigated = c.content.impacts
    .filter((im) => SEVERITIES_REQUIRING_MITIGATION.includes(im.severity))
    .filter((im) => !c.content.mitigations.some((m) => m.addressesImpactIds.includes(im.impactId)))
    .map((im) => im.impactId);
  if (unmitigated.length > 0) {
    return err(
      aiSystemError(
        'IMPACT_WITHOUT_MITIGATION',
        `Impacts of ${SEVERITIES_REQUIRING_MITIGATION.join(' or ')} severity need a mitigation: ${unmitigated.join(', ')}.`,
        { impactIds: unmitigated },
      ),
    );
  }
  const by = actorOf(c);
  const revision = s.impactAssessments.length + 1;
  const content = {
    affectedParties: { ...c.content.affectedParties },
    impacts: c.content.impacts.map((im) => ({ ...im })),
    mitigations: c.content.mitigations.map((m) => ({ ...m, owner: m.owner ?? null, addressesImpactIds: [...m.addressesImpactIds] })),
  };
  return ok([
    { type: 'ImpactAssessmentSubmitted', assessmentId: c.assessmentId, revision, content, reviewTaskId: c.reviewTaskId, by, at: c.at },
    openTask(
      s,
      {
        taskId: c.reviewTaskId,
        kind: 'impact_assessment_review',
        subject: { type: 'impact_assessment', assessmentId: c.assessmentId, revision },
        requestedBy: c.by.id,
      },
      by,
      c.at,
    ),
    ...stageChange(s, 'impact_assessment', 'ImpactAssessmentSubmitted', by, c.at),
  ]);
}

function reviewDecided(t: TaskOf<'impact_assessment'>, decision: TaskDecision, s: AiSystemRecord): DecideResult {
  const { outcome, reasons, by, at } = decision;
  const subject = t.subject;
  const ia = findImpactAssessment(s, subject.assessmentId);
  if (!ia || ia.status !== 'under_review')
    return err(supersededSubject(t, `impact assessment ${subject.assessmentId} is ${ia?.status ?? 'unknown'}`));
  const ref = { assessmentId: ia.assessmentId, revision: ia.revision, by, at };
  if (outcome === 'approved') {
    const confirmed = riskTierConfirmation(s, ia.assessmentId, decision);
    if (!confirmed.ok) return confirmed;
    return ok([
      ...confirmed.value,
      { type: 'ImpactAssessmentApproved', ...ref },
      ...(s.stage === 'impact_assessment' ? stageChange(s, 'validation', 'ImpactAssessmentApproved', by, at) : []),
    ]);
  }
  if (outcome === 'rejected') return ok([{ type: 'ImpactAssessmentRejected', ...ref, reasons }]);
  return ok([{ type: 'ImpactAssessmentChangesRequested', ...ref, reasons }]);
}

export const impactAssessment = {
  decide: { SubmitImpactAssessment: submitImpactAssessment },
  evolve: {
    ImpactAssessmentSubmitted: (s, e) => ({
      ...s,
      impactAssessments: [
        ...s.impactAssessments,
        {
          assessmentId: e.assessmentId,
          revision: e.revision,
          content: e.content,
          submittedBy: e.by,
          submittedAt: e.at,
          reviewTaskId: e.reviewTaskId,
          status: 'under_review',
          decidedBy: null,
          decidedAt: null,
          reasons: [],
        },
      ],
    }),
    ImpactAssessmentApproved: (s, e) => ({
      ...updateAssessment(s, e.assessmentId, (a) => ({ ...a, status: 'approved', decidedBy: e.by, decidedAt: e.at, reasons: [] })),
      approvedImpactAssessmentId: e.assessmentId,
    }),
    ImpactAssessmentRejected: (s, e) =>
      updateAssessment(s, e.assessmentId, (a) => ({ ...a, status: 'rejected', decidedBy: e.by, decidedAt: e.at, reasons: e.reasons })),
    ImpactAssessmentChangesRequested: (s, e) =>
      updateAssessment(s, e.assessmentId, (a) => ({
        ...a,
        status: 'changes_requested',
        decidedBy: e.by,
        decidedAt: e.at,
        reasons: e.reasons,
      })),
  },
  onTaskDecided: { impact_assessment: reviewDecided },
  reconcileTask: {
    // A review of an assessment no longer under review (withdrawn, or decided another way) has nothing left to decide.
    impact_assessment: (t, s, at) => {
      const ia = findImpactAssessment(s, t.subject.assessmentId);
      if (!ia || ia.status === 'under_review') return [];
      return [supersede(t.taskId, `impact assessment ${ia.assessmentId} is ${ia.status}`, at)];
    },
  },
} satisfies Feature;
