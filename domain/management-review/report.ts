/**
 * A management review's record as a report (domain/report/model.ts): the plan, the input pack item by item
 * (with its gaps shown as gaps), the minutes, the decisions with the actions that carry them, and the
 * sign-off. Pure: the same review, pack and basis give the same document (the caller names generatedAt).
 */
import type { ReportBasis, ReportDocument, ReportSection, ReportStatement } from '../report/model';
import type { ReviewInputPack } from './inputs';
import type { ManagementReview } from './model';

/** Ids of the review's own events, when the caller has them (each step's evidence id), else none. */
export interface ReviewEvidenceIds {
  planned?: string[];
  inputs?: string[];
  minutes?: string[];
  /** Per decision id. */
  decisions?: Record<string, string[]>;
  signedOff?: string[];
}

export function managementReviewReport(
  review: ManagementReview,
  inputs: ReviewInputPack | null,
  basis: ReportBasis,
  options: { generatedAt?: string; evidence?: ReviewEvidenceIds } = {},
): ReportDocument {
  const ids = options.evidence ?? {};
  const fact = (text: string, evidence: readonly string[] = [], clause?: string): ReportStatement => ({
    text,
    evidence: [...evidence],
    tone: 'fact',
    ...(clause === undefined ? {} : { clause }),
  });
  const sections: ReportSection[] = [
    {
      id: 'plan',
      title: 'Plan',
      clause: '9.3.1',
      statements: [
        fact(
          `${review.plan.title}: planned for ${review.plan.plannedFor}, chaired by ${review.plan.chair}, every ${review.plan.interval} (review ${review.plan.sequence} of series ${review.plan.series}).`,
          ids.planned,
          '9.3.1',
        ),
        fact(`Status: ${review.status.replace(/_/g, ' ')}.`),
      ],
    },
  ];
  if (inputs === null) {
    sections.push({
      id: 'inputs',
      title: 'Inputs',
      clause: '9.3.2',
      statements: [{ text: 'The input pack is not compiled yet.', evidence: [], tone: 'gap', clause: '9.3.2' }],
    });
  } else {
    const head = fact(
      `Input pack compiled at log position ${inputs.position}${review.inputs === null ? '' : `, SHA-256 ${review.inputs.packHash}`}${
        inputs.previousReview === null
          ? '; no earlier review was signed off'
          : `; changes counted since review ${inputs.previousReview.reviewId}`
      }.`,
      ids.inputs,
      '9.3.2',
    );
    sections.push({ id: 'inputs', title: 'Inputs', clause: '9.3.2', statements: [head] });
    for (const it of inputs.items) {
      const statements: ReportStatement[] = it.summary.map((t) => fact(t, it.evidence, it.clause));
      if (it.gap !== null) statements.push({ text: it.gap, evidence: [], tone: 'gap', clause: it.clause });
      sections.push({
        id: `input-${it.key.replace(/_/g, '-')}`,
        title: it.title,
        clause: it.clause,
        statements,
        ...(it.entries.length === 0
          ? {}
          : { table: { columns: ['Record'], rows: it.entries.map((e) => ({ cells: [e.text], evidence: e.evidence })) } }),
      });
    }
  }
  sections.push({
    id: 'minutes',
    title: 'Minutes',
    clause: '9.3.3',
    statements:
      review.minutes === null
        ? [{ text: 'No minutes are recorded yet.', evidence: [], tone: 'gap', clause: '9.3.3' }]
        : [
            fact(`Attendees: ${review.minutes.attendees.join(', ')} (recorded by ${review.minutes.by.id}).`, ids.minutes, '9.3.1'),
            fact(review.minutes.minutes, ids.minutes, '9.3.3'),
          ],
  });
  sections.push({
    id: 'decisions',
    title: 'Decisions',
    clause: '9.3.3',
    statements:
      review.decisions.length === 0
        ? [fact('No decision is recorded.', [], '9.3.3')]
        : [fact(`${review.decisions.length} decision(s), each carried by an improvement action (10.1).`)],
    table: {
      columns: ['Decision', 'Kind', 'Owner', 'Due', 'Action', 'Text'],
      rows: review.decisions.map((d) => ({
        cells: [d.decisionId, d.kind.replace(/_/g, ' '), d.owner, d.dueDate, `improvement ${d.actionId}`, d.text],
        evidence: ids.decisions?.[d.decisionId] ?? [],
      })),
    },
  });
  sections.push({
    id: 'sign-off',
    title: 'Sign-off',
    clause: '9.3.3',
    statements:
      review.signedOff === null
        ? [{ text: 'Not signed off by top management yet.', evidence: [], tone: 'gap', clause: '9.3.3' }]
        : [
            {
              text: `Signed off by ${review.signedOff.by.id} (${review.signedOff.by.role.replace(/_/g, ' ')}) at ${review.signedOff.at}.`,
              evidence: ids.signedOff ?? [],
              tone: 'ok',
              clause: '9.3.3',
            },
            ...(review.nextReview === null
              ? []
              : [fact(`Next review ${review.nextReview.reviewId} planned for ${review.nextReview.plannedFor}.`, ids.signedOff, '9.3.1')]),
          ],
  });
  return {
    kind: 'management-review',
    title: `Management review ${review.reviewId}`,
    subject: review.reviewId,
    basis,
    // No clock in the domain: the caller names the instant, else the basis's (so two renderings agree).
    generatedAt: options.generatedAt ?? basis.recordedAt ?? review.plannedAt,
    sections,
  };
}
