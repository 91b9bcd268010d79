/**
 * Internal audits (9.2): the audit programmes with each programmed audit's schedule (9.2.2), and the audits
 * themselves with a status filter and server paging (9.2.1); each programme and audit opens at a deep link.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import type { operations } from '../api/openapi';
import { FilterSelect } from '../components/filter-select';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Pager } from '../components/pager';
import { Time } from '../components/time';

type Status = NonNullable<NonNullable<operations['InternalAuditsController_list']['parameters']['query']>['status']>;
const STATUSES = ['planned', 'fieldwork', 'follow_up', 'closed'] as const satisfies readonly Status[];

/** "follow_up" → "follow up". */
export const words = (value: string): string => value.replace(/_/g, ' ');

export const auditHref = (auditId: string): string => `/audits/${encodeURIComponent(auditId)}`;
export const programmeHref = (period: string): string => `/audits/programmes/${encodeURIComponent(period)}`;

/** An audited area: an AI system or an Annex A control links to its page; a clause or a process is named. */
export function AreaLabel({ area }: { area: Schemas['AuditAreaDto'] }) {
  if (area.kind === 'ai_system') return <Link href={`/ai-systems/${encodeURIComponent(area.id)}`}>{area.id}</Link>;
  if (area.kind === 'control') return <Link href={`/soa/controls/${encodeURIComponent(area.id)}`}>control {area.id}</Link>;
  return (
    <span>
      {area.kind} {area.id}
    </span>
  );
}

export function AreaList({ areas }: { areas: Schemas['AuditAreaDto'][] }) {
  if (areas.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {areas.map((a) => (
        <span key={`${a.kind}:${a.id}`} className="chip">
          <AreaLabel area={a} />
        </span>
      ))}
    </>
  );
}

export function AuditsPage() {
  return (
    <>
      <h1>Internal audits</h1>
      <Programmes />
      <Audits />
    </>
  );
}

function Programmes() {
  const [cursors, setCursors] = useState<string[]>([]);
  const query = { limit: 20, cursor: cursors.at(-1) };
  const programmes = useQuery({
    queryKey: ['audit-programmes', query],
    queryFn: () => answer(api.GET('/v1/audit-programmes', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="programmes-heading">
      <h2 id="programmes-heading">Audit programmes</h2>
      {programmes.isPending ? (
        <Loading what="the audit programmes" />
      ) : programmes.error ? (
        <ProblemNotice error={programmes.error} />
      ) : programmes.data.items.length === 0 ? (
        <Empty>No audit programme has been drafted.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Audit programmes</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Status</th>
              <th scope="col">Areas</th>
              <th scope="col">Audits</th>
              <th scope="col">Approved by</th>
            </tr>
          </thead>
          <tbody>
            {programmes.data.items.map((p) => (
              <tr key={p.period}>
                <th scope="row">
                  <Link href={programmeHref(p.period)}>{p.period}</Link>
                </th>
                <td>{p.status}</td>
                <td>
                  <AreaList areas={p.areas.map((a) => a.area)} />
                </td>
                <td>
                  {p.audits.length === 0
                    ? '—'
                    : p.audits.map((a) => (
                        <div key={a.auditId}>
                          <Link href={auditHref(a.auditId)}>{a.auditId}</Link> <ScheduleBadge status={p.schedule[a.auditId]} />
                        </div>
                      ))}
                </td>
                <td>{p.approvedBy?.id ?? <span className="muted">not yet</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="buttons">
        {cursors.length > 0 && <Button onPress={() => setCursors(cursors.slice(0, -1))}>Previous programmes</Button>}
        {programmes.data?.nextCursor && (
          <Button onPress={() => setCursors([...cursors, programmes.data.nextCursor ?? ''])}>Next programmes</Button>
        )}
      </div>
    </section>
  );
}

/** Where a programmed audit stands on the programme's timers: late is escalated, so it shows as danger. */
export function ScheduleBadge({ status }: { status: string | undefined }) {
  if (status === undefined) return null;
  const tone = status === 'late' ? 'danger' : status === 'due' ? 'warn' : status === 'started' ? 'ok' : '';
  return <span className={`badge ${tone}`}>{status}</span>;
}

function Audits() {
  const [status, setStatus] = useState<Status>();
  const [cursors, setCursors] = useState<string[]>([]);
  const query = { status, limit: 50, cursor: cursors.at(-1) };
  const audits = useQuery({
    queryKey: ['internal-audits', query],
    queryFn: () => answer(api.GET('/v1/internal-audits', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="audits-heading">
      <h2 id="audits-heading">Audits</h2>
      <div className="filters" role="group" aria-label="Filters">
        <FilterSelect
          label="Status"
          values={STATUSES}
          value={status}
          onChange={(v) => {
            setCursors([]);
            setStatus(v as Status | undefined);
          }}
        />
      </div>
      {audits.isPending ? (
        <Loading what="the internal audits" />
      ) : audits.error ? (
        <ProblemNotice error={audits.error} />
      ) : audits.data.items.length === 0 ? (
        <Empty>No internal audit matches.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Internal audits</caption>
          <thead>
            <tr>
              <th scope="col">Audit</th>
              <th scope="col">Scope</th>
              <th scope="col">Lead auditor</th>
              <th scope="col">Status</th>
              <th scope="col">Planned</th>
              <th scope="col">Findings</th>
            </tr>
          </thead>
          <tbody>
            {audits.data.items.map((a) => (
              <tr key={a.auditId}>
                <th scope="row">
                  <Link href={auditHref(a.auditId)}>{a.auditId}</Link>
                  <div className="muted small">{a.plan.title}</div>
                </th>
                <td>
                  <AreaList areas={a.plan.scope} />
                </td>
                <td>{a.plan.leadAuditor}</td>
                <td>{words(a.status)}</td>
                <td>
                  <Time at={a.plan.plannedStart} /> to <Time at={a.plan.plannedEnd} />
                </td>
                <td>{a.findings.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} next={audits.data?.nextCursor} onChange={setCursors} />
    </section>
  );
}
