/**
 * People and their appointments (5.3, 7.2, A.3.2): the person register (unit, status, appointed role; as
 * of a date) and the role assignments (who holds which role, over what, appointed by whom, revoked or
 * ended), both paged by the API; the RACI view is at /people/raci. Each person opens at /people/:id.
 * Read-only: appointments are made and revoked through the API by those who may (the AIMS owner, top management).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Input, Label, TextField } from 'react-aria-components';
import { Link, useLocation } from 'wouter';
import { answer, api } from '../api/client';
import type { operations } from '../api/openapi';
import { bool, obj, str, strings, words, type Loose } from '../api/loose';
import { Actor } from '../components/actor';
import { AsOfForm, useAsOfParam } from '../components/as-of-form';
import { FilterSelect } from '../components/filter-select';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Pager } from '../components/pager';
import { Time } from '../components/time';

type PeopleQuery = NonNullable<operations['PeopleController_list']['parameters']['query']>;
type AssignmentQuery = NonNullable<operations['PeopleController_assignments']['parameters']['query']>;
export type Role = NonNullable<PeopleQuery['role']>;
type PersonStatus = NonNullable<PeopleQuery['status']>;
type AppointmentStatus = NonNullable<AssignmentQuery['status']>;

/** The roles, checked against the contract's enum (a role the API drops fails the type check). */
export const ROLES = [
  'admin',
  'top_management',
  'aims_owner',
  'risk_owner',
  'approver',
  'validator',
  'engineer',
  'auditor',
  'internal_auditor',
  'ci',
] as const satisfies readonly Role[];
const PERSON_STATUSES = ['active', 'left'] as const satisfies readonly PersonStatus[];
const APPOINTMENT_STATUSES = ['active', 'revoked', 'ended'] as const satisfies readonly AppointmentStatus[];
const PAGE = 50;

export const personHref = (personId: string): string => `/people/${encodeURIComponent(personId)}`;

/** What an appointment covers: the whole AIMS, or named AI systems and units. */
export function Coverage({ covers }: { covers: Loose | null }) {
  if (covers === null) return <span className="muted">—</span>;
  if (bool(covers, 'wholeAims') === true) return <span>the whole AIMS</span>;
  const systems = strings(covers, 'systemIds');
  const units = strings(covers, 'units');
  return (
    <span>
      {systems.map((id) => (
        <Link key={id} className="chip" href={`/ai-systems/${encodeURIComponent(id)}`}>
          {id}
        </Link>
      ))}
      {units.length > 0 && `units ${units.join(', ')}`}
      {systems.length === 0 && units.length === 0 && '—'}
    </span>
  );
}

export function AppointmentStatusBadge({ status }: { status: string | null }) {
  const badge = status === 'active' ? 'badge ok' : status === 'revoked' ? 'badge danger' : 'badge';
  return <span className={badge}>{words(status ?? 'unknown')}</span>;
}

/** Register, role assignments and RACI, each at its own address. */
export function PeopleTabs() {
  const [location] = useLocation();
  const tabs = [
    { href: '/people', label: 'Register' },
    { href: '/people/role-assignments', label: 'Role assignments' },
    { href: '/people/raci', label: 'RACI' },
  ];
  return (
    <nav aria-label="People" className="subnav">
      <ul>
        {tabs.map((t) => (
          <li key={t.href}>
            <Link href={t.href} aria-current={location === t.href ? 'page' : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Previous and next page of a list the API pages by cursor (the cursors walked so far kept for going back). */
export function PeoplePage() {
  const [unit, setUnit] = useState('');
  const [status, setStatus] = useState<PersonStatus>();
  const [role, setRole] = useState<Role>();
  const [asOf, setAsOf] = useAsOfParam();
  const [cursors, setCursors] = useState<string[]>([]);
  const query: PeopleQuery = { unit: unit.trim() || undefined, status, role, asOf, limit: PAGE, cursor: cursors.at(-1) };
  const people = useQuery({
    queryKey: ['people', query],
    queryFn: () => answer(api.GET('/v1/people', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setCursors([]);
      set(v);
    };
  return (
    <>
      <h1>People</h1>
      <PeopleTabs />
      <div className="filters" role="group" aria-label="Filters">
        <TextField className="filter" value={unit} onChange={reset(setUnit)}>
          <Label>Unit</Label>
          <Input placeholder="model-risk" />
        </TextField>
        <FilterSelect
          label="Status"
          values={PERSON_STATUSES}
          value={status}
          onChange={reset((v) => setStatus(v as PersonStatus | undefined))}
        />
        <FilterSelect label="Appointed role" values={ROLES} value={role} onChange={reset((v) => setRole(v as Role | undefined))} />
        <AsOfForm value={asOf} onChange={reset(setAsOf)} label="The register as of a date" />
      </div>
      {people.isPending ? (
        <Loading what="the people" />
      ) : people.error ? (
        <ProblemNotice error={people.error} />
      ) : people.data.items.length === 0 ? (
        <Empty>Nobody matches.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">People</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Unit</th>
              <th scope="col">Status</th>
              <th scope="col">Appointed roles</th>
              <th scope="col">Acts as (identities)</th>
            </tr>
          </thead>
          <tbody>
            {people.data.items.map((p) => {
              const personId = str(p, 'personId') ?? '';
              return (
                <tr key={personId}>
                  <th scope="row">
                    <Link href={personHref(personId)}>{str(p, 'name') ?? personId}</Link>
                    <div className="muted small">{personId}</div>
                  </th>
                  <td>{str(p, 'unit')}</td>
                  <td>{str(p, 'status') === 'left' ? <span className="badge">left</span> : 'active'}</td>
                  <td>{strings(p, 'appointedRoles').map(words).join(', ') || '—'}</td>
                  <td>{strings(p, 'identities').join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} next={people.data?.nextCursor} onChange={setCursors} />
    </>
  );
}

export function RoleAssignmentsPage() {
  const [person, setPerson] = useState('');
  const [role, setRole] = useState<Role>();
  const [status, setStatus] = useState<AppointmentStatus>();
  const [asOf, setAsOf] = useAsOfParam();
  const [cursors, setCursors] = useState<string[]>([]);
  const query: AssignmentQuery = { person: person.trim() || undefined, role, status, asOf, limit: PAGE, cursor: cursors.at(-1) };
  const assignments = useQuery({
    queryKey: ['role-assignments', query],
    queryFn: () => answer(api.GET('/v1/role-assignments', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setCursors([]);
      set(v);
    };
  return (
    <>
      <h1>People</h1>
      <PeopleTabs />
      <div className="filters" role="group" aria-label="Filters">
        <TextField className="filter" value={person} onChange={reset(setPerson)}>
          <Label>Person</Label>
          <Input placeholder="person id" />
        </TextField>
        <FilterSelect label="Role" values={ROLES} value={role} onChange={reset((v) => setRole(v as Role | undefined))} />
        <FilterSelect
          label="Status"
          values={APPOINTMENT_STATUSES}
          value={status}
          onChange={reset((v) => setStatus(v as AppointmentStatus | undefined))}
        />
        <AsOfForm value={asOf} onChange={reset(setAsOf)} label="Appointments in force at a date" />
      </div>
      {assignments.isPending ? (
        <Loading what="the role assignments" />
      ) : assignments.error ? (
        <ProblemNotice error={assignments.error} />
      ) : assignments.data.items.length === 0 ? (
        <Empty>No appointment matches.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Role assignments</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Person</th>
              <th scope="col">Covers</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th scope="col">Appointed by</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {assignments.data.items.map((a) => {
              const personId = str(a, 'personId') ?? '';
              return (
                <tr key={str(a, 'appointmentId')}>
                  <th scope="row">
                    {words(str(a, 'role') ?? '')}
                    <div className="muted small">{str(a, 'responsibilities')}</div>
                  </th>
                  <td>
                    <Link href={personHref(personId)}>{str(a, 'personName') ?? personId}</Link>
                    <div className="muted small">{personId}</div>
                  </td>
                  <td>
                    <Coverage covers={obj(a, 'covers')} />
                  </td>
                  <td>
                    <Time at={str(a, 'from')} />
                  </td>
                  <td>{str(a, 'until') === null ? 'until revoked' : <Time at={str(a, 'until')} />}</td>
                  <td>
                    <Actor actor={obj(a, 'appointedBy')} />
                    <div className="muted small">
                      <Time at={str(a, 'appointedAt')} />
                    </div>
                  </td>
                  <td>
                    <AppointmentStatusBadge status={str(a, 'status')} />
                    {str(a, 'endedAt') !== null && (
                      <div className="muted small">
                        <Time at={str(a, 'endedAt')} />
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
      <Pager cursors={cursors} next={assignments.data?.nextCursor} onChange={setCursors} />
    </>
  );
}
