/** Nonconformities (10.2) as a board by status; each opens at /nonconformities/:id. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';

type Status = Schemas['NonconformityDto']['status'];

/** The board's columns, in the corrective-action workflow's order (checked against the contract's enum). */
const COLUMNS = [
  'raised',
  'containment',
  'root_cause_analysis',
  'plan_approval',
  'actions_in_progress',
  'effectiveness_review',
  'closed',
] as const satisfies readonly Status[];

export function NonconformitiesPage() {
  const list = useQuery({
    queryKey: ['nonconformities', 'board'],
    queryFn: () => answer(api.GET('/v1/nonconformities', { params: { query: { limit: 200 } } })),
  });
  if (list.isPending) return <Loading what="nonconformities" />;
  if (list.error) return <ProblemNotice error={list.error} />;
  const items = list.data.items;
  return (
    <>
      <h1>Nonconformities</h1>
      {items.length === 0 && <Empty>No nonconformity has been raised.</Empty>}
      {list.data.nextCursor !== null && <p className="note">Showing the first {items.length}; filter by system from its page.</p>}
      <div className="board">
        {COLUMNS.map((status) => {
          const inColumn = items.filter((nc) => nc.status === status);
          return (
            <section key={status} className="column" aria-labelledby={`col-${status}`}>
              <h2 id={`col-${status}`}>
                {status.replace(/_/g, ' ')} <span className="muted">({inColumn.length})</span>
              </h2>
              <ul>
                {inColumn.map((nc) => (
                  <li key={nc.nonconformityId} className="card">
                    <Link href={`/nonconformities/${encodeURIComponent(nc.nonconformityId)}`}>{nc.title}</Link>
                    <div className="muted small">
                      {nc.nonconformityId} · {nc.severity}
                      {nc.aiSystemIds.length > 0 && <> · {nc.aiSystemIds.join(', ')}</>}
                    </div>
                    {nc.nextActionDueAt !== null && (
                      <div className="small">
                        next action due <Time at={nc.nextActionDueAt} />
                      </div>
                    )}
                    {nc.overdue && <span className="badge danger">overdue</span>}
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </>
  );
}
