/**
 * One person (/people/:id): their record, the roles they act with now (each with the appointment granting
 * it, or why it does not count), every appointment (role, coverage, term, by whom and when, revoked or
 * ended and why; each at #appointment-<id>), their competence records and the gaps between what their
 * roles require and what the records show (7.2).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import type { operations } from '../api/openapi';
import { bool, obj, objects, str, words } from '../api/loose';
import { Actor } from '../components/actor';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { AppointmentStatusBadge, Coverage } from './people';

type CompetenceQuery = NonNullable<operations['CompetenceController_records']['parameters']['query']>;

const GAP_REASON: Record<string, string> = {
  no_record: 'no record',
  not_approved: 'record not approved',
  expired: 'record expired',
  too_old: 'record older than the role allows',
  not_yet_obtained: 'not obtained yet',
};

const appointmentAnchor = (appointmentId: string): string => `appointment-${appointmentId}`;

export function PersonPage({ personId }: { personId: string }) {
  const person = useQuery({
    queryKey: ['person', personId],
    queryFn: () => answer(api.GET('/v1/people/{id}', { params: { path: { id: personId } } })),
  });
  const competenceQuery: CompetenceQuery = { person: personId, limit: 1 };
  const records = useQuery({
    queryKey: ['competence', 'records', competenceQuery],
    queryFn: () => answer(api.GET('/v1/competence/records', { params: { query: competenceQuery } })),
  });
  const gaps = useQuery({
    queryKey: ['competence', 'gaps', competenceQuery],
    queryFn: () => answer(api.GET('/v1/competence/gaps', { params: { query: competenceQuery } })),
  });
  if (person.isPending) return <Loading what={`person ${personId}`} />;
  if (person.error) return <ProblemNotice error={person.error} />;
  const p = person.data;
  const grants = objects(p.acting, 'grants');
  const refused = objects(p.acting, 'refused');
  return (
    <>
      <p className="crumbs">
        <Link href="/people">People</Link> / {p.personId}
      </p>
      <h1>{p.name}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{p.status === 'left' ? <span className="badge">left</span> : 'active'}</dd>
        <dt>Unit</dt>
        <dd>{p.unit}</dd>
        <dt>Contact</dt>
        <dd>{p.contact}</dd>
        <dt>Acts as</dt>
        <dd>{p.identities.join(', ') || '—'}</dd>
        <dt>Acting roles</dt>
        <dd>
          {grants.length === 0
            ? 'none'
            : grants.map((g) => {
                const appointmentId = str(g, 'appointmentId');
                return (
                  <span key={str(g, 'role')} className="chip">
                    {words(str(g, 'role') ?? '')}
                    {appointmentId !== null && (
                      <>
                        {' '}
                        (<a href={`#${appointmentAnchor(appointmentId)}`}>{appointmentId}</a>)
                      </>
                    )}
                  </span>
                );
              })}
          <div className="muted small">
            as of <Time at={p.actingRolesAt} />
          </div>
        </dd>
        {refused.length > 0 && (
          <>
            <dt>Not counting</dt>
            <dd>{refused.map((r) => `${words(str(r, 'role') ?? '')} (${words(str(r, 'reason') ?? '')})`).join(', ')}</dd>
          </>
        )}
      </dl>

      <section aria-labelledby="appointments-heading">
        <h2 id="appointments-heading">Appointments</h2>
        {p.appointments.length === 0 ? (
          <Empty>Not appointed to any role.</Empty>
        ) : (
          <table>
            <caption className="visually-hidden">Appointments of {p.name}</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Covers</th>
                <th scope="col">Term</th>
                <th scope="col">Appointed by</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {p.appointments.map((a) => {
                const appointmentId = str(a, 'appointmentId') ?? '';
                return (
                  <tr key={appointmentId} id={appointmentAnchor(appointmentId)}>
                    <th scope="row">
                      {words(str(a, 'role') ?? '')}
                      <div className="muted small">{appointmentId}</div>
                      <div className="small">{str(a, 'responsibilities')}</div>
                    </th>
                    <td>
                      <Coverage covers={obj(a, 'covers')} />
                    </td>
                    <td>
                      from <Time at={str(a, 'from')} />
                      <div>
                        {str(a, 'until') === null ? (
                          'until revoked'
                        ) : (
                          <>
                            until <Time at={str(a, 'until')} />
                          </>
                        )}
                      </div>
                    </td>
                    <td>
                      <Actor actor={obj(a, 'appointedBy')} />
                      <div className="muted small">
                        <Time at={str(a, 'appointedAt')} />
                      </div>
                    </td>
                    <td>
                      <AppointmentStatusBadge status={str(a, 'status')} />
                      {str(a, 'endedAt') !== null && (
                        <div className="small">
                          <Time at={str(a, 'endedAt')} /> by <Actor actor={obj(a, 'endedBy')} />
                          {str(a, 'endReason') ? `: ${str(a, 'endReason')}` : ''}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="competence-heading">
        <h2 id="competence-heading">Competence records</h2>
        {records.isPending ? (
          <Loading what="competence records" />
        ) : records.error ? (
          <ProblemNotice error={records.error} />
        ) : records.data.items.length === 0 ? (
          <Empty>No competence recorded.</Empty>
        ) : (
          <table>
            <caption className="visually-hidden">Competence records of {p.name}</caption>
            <thead>
              <tr>
                <th scope="col">Competence</th>
                <th scope="col">Kind</th>
                <th scope="col">Obtained</th>
                <th scope="col">Expires</th>
                <th scope="col">Proof</th>
                <th scope="col">Approved by</th>
                <th scope="col">Current</th>
              </tr>
            </thead>
            <tbody>
              {records.data.items.map((r) => (
                <tr key={str(r, 'recordId')}>
                  <th scope="row">
                    {str(r, 'competence')}
                    <div className="muted small">{str(r, 'recordId')}</div>
                  </th>
                  <td>{str(r, 'kind')}</td>
                  <td>
                    <Time at={str(r, 'obtainedAt')} />
                  </td>
                  <td>{str(r, 'expiresAt') === null ? 'does not expire' : <Time at={str(r, 'expiresAt')} />}</td>
                  <td>{str(r, 'evidenceRef')}</td>
                  <td>
                    <Actor actor={obj(r, 'approvedBy')} />
                  </td>
                  <td>
                    {bool(r, 'current') ? <span className="badge ok">current</span> : <span className="badge warn">not current</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="gaps-heading">
        <h2 id="gaps-heading">Competence gaps</h2>
        {gaps.isPending ? (
          <Loading what="competence gaps" />
        ) : gaps.error ? (
          <ProblemNotice error={gaps.error} />
        ) : gaps.data.items.length === 0 ? (
          <Empty>No gap: the records meet what the roles require.</Empty>
        ) : (
          <ul>
            {gaps.data.items.map((g, i) => (
              <li key={i}>
                {words(str(g, 'role') ?? '')} requires <strong>{str(g, 'competence')}</strong>:{' '}
                {GAP_REASON[str(g, 'reason') ?? ''] ?? words(str(g, 'reason') ?? '')}
                {bool(g, 'enforced') && <span className="badge danger">enforced</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
