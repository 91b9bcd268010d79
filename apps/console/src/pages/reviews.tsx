/** Management reviews (9.3), in the order they were planned, with server paging; each opens at /reviews/:id. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { words } from './audits';

export const reviewHref = (reviewId: string): string => `/reviews/${encodeURIComponent(reviewId)}`;

export function ReviewsPage() {
  const [cursors, setCursors] = useState<string[]>([]);
  const query = { limit: 50, cursor: cursors.at(-1) };
  const reviews = useQuery({
    queryKey: ['management-reviews', query],
    queryFn: () => answer(api.GET('/v1/management-reviews', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h1>Management reviews</h1>
      {reviews.isPending ? (
        <Loading what="the management reviews" />
      ) : reviews.error ? (
        <ProblemNotice error={reviews.error} />
      ) : reviews.data.items.length === 0 ? (
        <Empty>No management review has been planned.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Management reviews</caption>
          <thead>
            <tr>
              <th scope="col">Review</th>
              <th scope="col">Planned for</th>
              <th scope="col">Chair</th>
              <th scope="col">Status</th>
              <th scope="col">Decisions</th>
              <th scope="col">Signed off</th>
            </tr>
          </thead>
          <tbody>
            {reviews.data.items.map((r) => (
              <tr key={r.reviewId}>
                <th scope="row">
                  <Link href={reviewHref(r.reviewId)}>{r.reviewId}</Link>
                  <div className="muted small">{r.plan.title}</div>
                </th>
                <td>
                  <Time at={r.plan.plannedFor} />
                </td>
                <td>{r.plan.chair}</td>
                <td>{words(r.status)}</td>
                <td>{r.decisions.length}</td>
                <td>
                  {r.signedOff === null ? (
                    <span className="muted">not yet</span>
                  ) : (
                    <>
                      {r.signedOff.by.id}, <Time at={r.signedOff.at} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} next={reviews.data?.nextCursor} onChange={setCursors} />
    </>
  );
}
