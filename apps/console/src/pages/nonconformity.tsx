/** One nonconformity (/nonconformities/:id): its record, open actions with due dates, and its history. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { EvidenceTimeline } from '../components/evidence-timeline';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';

export function NonconformityPage({ nonconformityId }: { nonconformityId: string }) {
  const nc = useQuery({
    queryKey: ['nonconformity', nonconformityId],
    queryFn: () => answer(api.GET('/v1/nonconformities/{id}', { params: { path: { id: nonconformityId }, query: { limit: 500 } } })),
  });
  if (nc.isPending) return <Loading what={`nonconformity ${nonconformityId}`} />;
  if (nc.error) return <ProblemNotice error={nc.error} />;
  const n = nc.data;
  return (
    <>
      <p className="crumbs">
        <Link href="/nonconformities">Nonconformities</Link> / {n.nonconformityId}
      </p>
      <h1>{n.title}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          {n.status.replace(/_/g, ' ')} {n.overdue && <span className="badge danger">overdue</span>}
        </dd>
        <dt>Severity</dt>
        <dd>{n.severity}</dd>
        <dt>Source</dt>
        <dd>
          {n.source}
          {n.sourceReference ? ` (${n.sourceReference})` : ''}
        </dd>
        <dt>AI systems</dt>
        <dd>
          {n.aiSystemIds.length === 0
            ? '—'
            : n.aiSystemIds.map((id) => (
                <Link key={id} className="chip" href={`/ai-systems/${encodeURIComponent(id)}`}>
                  {id}
                </Link>
              ))}
        </dd>
        <dt>Raised</dt>
        <dd>
          <Time at={n.raisedAt} /> by {String(n.raisedBy.id)}
        </dd>
        <dt>Description</dt>
        <dd>{n.description}</dd>
      </dl>
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">Open corrective actions</h2>
        {n.openActions.length === 0 ? (
          <Empty>No action is open.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {n.openActions.map((a) => (
                <tr key={`${a.round}-${a.actionId}`}>
                  <th scope="row">{a.description}</th>
                  <td>{a.owner}</td>
                  <td>
                    <Time at={a.dueAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <EvidenceTimeline events={n.history.items} label="Evidence of this nonconformity, oldest first" />
      </section>
    </>
  );
}
