/** One audit programme (/audits/programmes/:period, 9.2.2): its areas, methods, responsibilities and schedule. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { AreaLabel, AreaList, auditHref, ScheduleBadge, words } from './audits';

export function AuditProgrammePage({ period }: { period: string }) {
  const programme = useQuery({
    queryKey: ['audit-programme', period],
    queryFn: () => answer(api.GET('/v1/audit-programmes/{period}', { params: { path: { period } } })),
  });
  if (programme.isPending) return <Loading what={`audit programme ${period}`} />;
  if (programme.error) return <ProblemNotice error={programme.error} />;
  const p = programme.data;
  return (
    <>
      <p className="crumbs">
        <Link href="/audits">Internal audits</Link> / programme {p.period}
      </p>
      <h1>Audit programme {p.period}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{p.status}</dd>
        <dt>Drafted by</dt>
        <dd>{p.draftedBy.id}</dd>
        <dt>Approved by</dt>
        <dd>{p.approvedBy?.id ?? <span className="muted">not yet approved</span>}</dd>
        <dt>Methods</dt>
        <dd>{p.methods.join('; ') || '—'}</dd>
      </dl>
      <section aria-labelledby="areas-heading">
        <h2 id="areas-heading">Areas</h2>
        {p.areas.length === 0 ? (
          <Empty>No area in this programme.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Area</th>
                <th scope="col">Importance</th>
                <th scope="col">Previous result</th>
                <th scope="col">Responsible</th>
              </tr>
            </thead>
            <tbody>
              {p.areas.map((a) => (
                <tr key={`${a.area.kind}:${a.area.id}`}>
                  <th scope="row">
                    <AreaLabel area={a.area} />
                  </th>
                  <td>{a.importance}</td>
                  <td>{words(a.previousResult)}</td>
                  <td>
                    {p.responsibilities
                      .filter((r) => r.area.kind === a.area.kind && r.area.id === a.area.id)
                      .flatMap((r) => r.personIds)
                      .join(', ') || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">Programmed audits</h2>
        {p.audits.length === 0 ? (
          <Empty>No audit is programmed.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Audit</th>
                <th scope="col">Areas</th>
                <th scope="col">Lead auditor</th>
                <th scope="col">Planned</th>
                <th scope="col">Schedule</th>
              </tr>
            </thead>
            <tbody>
              {p.audits.map((a) => (
                <tr key={a.auditId}>
                  <th scope="row">
                    <Link href={auditHref(a.auditId)}>{a.auditId}</Link>
                  </th>
                  <td>
                    <AreaList areas={a.areas} />
                  </td>
                  <td>{a.leadAuditor}</td>
                  <td>
                    <Time at={a.plannedStart} /> to <Time at={a.plannedEnd} />
                  </td>
                  <td>
                    <ScheduleBadge status={p.schedule[a.auditId]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
