/**
 * One management review (/reviews/:id, 9.3) as its evidence records it: the plan, the input pack (9.3.2 a–g)
 * with its check against the evidence, the minutes, the decisions (9.3.3) and the sign-off. Before the pack
 * is compiled the page shows it as the evidence gives it now, said to be a preview. Steps are taken in the
 * task inbox.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { AUDIT_READERS, holdsAny, useMe } from '../me';
import { words } from './audits';
import { reviewHref } from './reviews';

type Review = Schemas['ManagementReviewDto'];
type Pack = Schemas['ReviewInputPackDto'];
type DecisionKind = Schemas['RecordedReviewDecisionDto']['kind'];

/** 9.3.3's words for what a review may decide. */
const DECISION_LABELS: { [K in DecisionKind]: string } = {
  continual_improvement_opportunity: 'Improvement opportunity',
  change_to_the_aims: 'Change to the AIMS',
  resource_need: 'Resource need',
};

/** A due date is a calendar date (shown as written, no zone shift) or an instant. */
function Due({ at }: { at: string }) {
  return /^\d{4}-\d{2}-\d{2}$/.test(at) ? <span>{at}</span> : <Time at={at} />;
}

export function ReviewPage({ reviewId }: { reviewId: string }) {
  const review = useQuery({
    queryKey: ['management-review', reviewId],
    queryFn: () => answer(api.GET('/v1/management-reviews/{id}', { params: { path: { id: reviewId } } })),
  });
  if (review.isPending) return <Loading what={`management review ${reviewId}`} />;
  if (review.error) return <ProblemNotice error={review.error} />;
  const r = review.data;
  return (
    <>
      <p className="crumbs">
        <Link href="/reviews">Management reviews</Link> / {r.reviewId}
      </p>
      <h1>{r.plan.title}</h1>
      <dl className="facts">
        <dt>Review</dt>
        <dd>{r.reviewId}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`badge ${r.status === 'signed_off' ? 'ok' : r.status === 'cancelled' ? 'danger' : ''}`}>{words(r.status)}</span>
        </dd>
        <dt>Planned for</dt>
        <dd>
          <Time at={r.plan.plannedFor} /> (by {r.plannedBy.id}, <Time at={r.plannedAt} />)
        </dd>
        <dt>Chair</dt>
        <dd>{r.plan.chair}</dd>
        <dt>Interval</dt>
        <dd>
          {r.plan.interval} (series {r.plan.series}, review {r.plan.sequence})
        </dd>
        <dt>Previous review</dt>
        <dd>
          {r.plan.previousReviewId === null ? '—' : <Link href={reviewHref(r.plan.previousReviewId)}>{r.plan.previousReviewId}</Link>}
        </dd>
      </dl>
      <Inputs review={r} />
      <Minutes review={r} />
      <Decisions review={r} />
      <SignOff review={r} />
    </>
  );
}

function Inputs({ review }: { review: Review }) {
  const preview = useQuery({
    queryKey: ['management-review', review.reviewId, 'inputs-preview'],
    queryFn: () => answer(api.GET('/v1/management-reviews/inputs', { params: { query: { reviewId: review.reviewId } } })),
    enabled: review.inputs === null && review.status !== 'cancelled',
  });
  const recorded = review.inputs;
  return (
    <section aria-labelledby="inputs-heading">
      <h2 id="inputs-heading">Inputs (9.3.2)</h2>
      {recorded !== null ? (
        <>
          <p>
            Compiled from the evidence up to position {recorded.position} by {recorded.by.id}, <Time at={recorded.at} />. SHA-256{' '}
            <code>{recorded.packHash}</code>
          </p>
          <InputsVerifyBadge reviewId={review.reviewId} />
          <PackItems pack={recorded.pack} />
        </>
      ) : review.status === 'cancelled' ? (
        <Empty>The review was cancelled before its inputs were compiled.</Empty>
      ) : preview.isPending ? (
        <Loading what="the inputs as the evidence gives them now" />
      ) : preview.error ? (
        <ProblemNotice error={preview.error} />
      ) : (
        <>
          <p className="note">
            Not compiled yet: this is the pack as the evidence gives it now (position {preview.data.position}), a preview that records
            nothing.
          </p>
          <PackItems pack={preview.data.pack} />
        </>
      )}
    </section>
  );
}

/** Recomputes the recorded pack from the evidence at its position, on request, and says whether the hashes match. */
function InputsVerifyBadge({ reviewId }: { reviewId: string }) {
  const verify = useMutation({
    mutationFn: () => answer(api.GET('/v1/management-reviews/{id}/inputs/verification', { params: { path: { id: reviewId } } })),
  });
  const result = verify.data;
  return (
    <div className="verify">
      <Button isDisabled={verify.isPending} onPress={() => verify.mutate()}>
        {verify.isPending ? 'Verifying…' : 'Verify the inputs'}
      </Button>
      <span role="status" aria-live="polite">
        {result === undefined ? null : result.matches ? (
          <span className="badge ok" title={`SHA-256 ${result.recomputedHash}`}>
            Inputs match the evidence at position {result.position}
          </span>
        ) : (
          <span className="badge danger" title={`recorded ${result.recordedHash}, recomputed ${result.recomputedHash}`}>
            Inputs differ from the evidence at position {result.position}
          </span>
        )}
      </span>
      <ProblemNotice error={verify.error} />
    </div>
  );
}

function PackItems({ pack }: { pack: Pack }) {
  return (
    <>
      {pack.previousReview !== null && (
        <p className="muted">
          Changes are counted since <Link href={reviewHref(pack.previousReview.reviewId)}>{pack.previousReview.reviewId}</Link> (position{' '}
          {pack.previousReview.position}).
        </p>
      )}
      <ul className="cards" aria-label="Inputs">
        {pack.items.map((item) => (
          <li key={item.key}>
            <h3>
              <span className="muted">{item.clause}</span> {item.title} {item.gap !== null && <span className="badge warn">gap</span>}
            </h3>
            {item.summary.map((line, i) => (
              <p key={i}>{line}</p>
            ))}
            {item.gap !== null && <p className="note">{item.gap}</p>}
            {item.entries.length > 0 && (
              <details>
                <summary>
                  {item.entries.length} {item.entries.length === 1 ? 'entry' : 'entries'}, resting on {item.evidence.length} evidence{' '}
                  {item.evidence.length === 1 ? 'record' : 'records'}
                </summary>
                <ul>
                  {item.entries.map((entry, i) => (
                    <li key={i}>{entry.text}</li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function Minutes({ review }: { review: Review }) {
  const m = review.minutes;
  return (
    <section aria-labelledby="minutes-heading">
      <h2 id="minutes-heading">Minutes</h2>
      {m === null ? (
        <Empty>No minutes recorded yet.</Empty>
      ) : (
        <>
          <dl className="facts">
            <dt>Attendees</dt>
            <dd>{m.attendees.join(', ')}</dd>
            <dt>Recorded</dt>
            <dd>
              by {m.by.id}, <Time at={m.at} />
            </dd>
          </dl>
          <p className="minutes">{m.minutes}</p>
        </>
      )}
    </section>
  );
}

function Decisions({ review }: { review: Review }) {
  const me = useMe();
  // Each decision's action is an improvement process; its evidence stream is for the audit trail's readers.
  const readsEvidence = holdsAny(me, AUDIT_READERS);
  return (
    <section aria-labelledby="decisions-heading">
      <h2 id="decisions-heading">Decisions (9.3.3)</h2>
      {review.decisions.length === 0 ? (
        <Empty>No decision recorded.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Decisions</caption>
          <thead>
            <tr>
              <th scope="col">Decision</th>
              <th scope="col">Kind</th>
              <th scope="col">Owner</th>
              <th scope="col">Due</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {review.decisions.map((d) => (
              <tr key={d.decisionId}>
                <th scope="row">
                  {d.text}
                  <div className="muted small">
                    {d.decisionId}, by {d.by.id}, <Time at={d.at} />
                  </div>
                </th>
                <td>{DECISION_LABELS[d.kind]}</td>
                <td>{d.owner}</td>
                <td>
                  <Due at={d.dueDate} />
                </td>
                <td>
                  {readsEvidence ? (
                    <Link href={`/evidence/streams/${encodeURIComponent(`improvement-${d.actionId}`)}`}>improvement {d.actionId}</Link>
                  ) : (
                    `improvement ${d.actionId}`
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SignOff({ review }: { review: Review }) {
  return (
    <section aria-labelledby="sign-off-heading">
      <h2 id="sign-off-heading">Sign-off</h2>
      {review.cancelled !== null ? (
        <p>
          Cancelled by {review.cancelled.by.id}, <Time at={review.cancelled.at} />: {review.cancelled.reason}
        </p>
      ) : review.signedOff === null ? (
        <Empty>Not signed off yet.</Empty>
      ) : (
        <p>
          Signed off by {review.signedOff.by.id}, <Time at={review.signedOff.at} />.
        </p>
      )}
      {review.nextReview !== null && (
        <p>
          Next review: <Link href={reviewHref(review.nextReview.reviewId)}>{review.nextReview.reviewId}</Link>, planned for{' '}
          <Time at={review.nextReview.plannedFor} />.
        </p>
      )}
    </section>
  );
}
