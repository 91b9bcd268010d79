/**
 * Controlled documents (7.5, A.2.2): the register with its filters (kind, status, owner, due for review)
 * and the master list of documented information (every published version, current and obsolete, with who
 * reviewed and approved it), each as of now or a date kept in the address (`?asOf=`). The API answers the
 * register whole (it does not page it); each document opens at /documents/:id.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox, Input, Label, TextField } from 'react-aria-components';
import { Link, useLocation } from 'wouter';
import { answer, api } from '../api/client';
import type { operations } from '../api/openapi';
import { words } from '../api/loose';
import { AsOfForm, asOfSearch, useAsOfParam } from '../components/as-of-form';
import { FilterSelect } from '../components/filter-select';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';

type Query = NonNullable<operations['DocumentsController_list']['parameters']['query']>;
type Kind = NonNullable<Query['kind']>;
type Status = NonNullable<Query['status']>;

/** The filters' values, checked against the contract's enums (a value the API drops fails the type check). */
const KINDS = [
  'ai_policy',
  'aims_scope',
  'risk_criteria',
  'procedure',
  'ai_system_user_information',
  'other',
] as const satisfies readonly Kind[];
const STATUSES = ['draft', 'in_review', 'awaiting_approval', 'published', 'review_due'] as const satisfies readonly Status[];

const STATUS_LABEL: Record<string, string> = { published: 'in force', review_due: 'review due', awaiting_approval: 'awaiting approval' };
const STATUS_BADGE: Record<string, string> = { published: 'badge ok', review_due: 'badge warn' };

/** A document's status (the register's words: `published` is the version in force). */
export function DocumentStatus({ status }: { status: string }) {
  return <span className={STATUS_BADGE[status] ?? 'badge'}>{STATUS_LABEL[status] ?? words(status)}</span>;
}

export const documentHref = (documentId: string, asOf?: string): string =>
  `/documents/${encodeURIComponent(documentId)}${asOfSearch(asOf)}`;

/** Register and master list, each at its own address. */
function DocumentsTabs() {
  const [location] = useLocation();
  const tabs = [
    { href: '/documents', label: 'Register' },
    { href: '/documents/master-list', label: 'Master list' },
  ];
  return (
    <nav aria-label="Documents" className="subnav">
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

export function DocumentsPage() {
  const [kind, setKind] = useState<Kind>();
  const [status, setStatus] = useState<Status>();
  const [owner, setOwner] = useState('');
  const [dueForReview, setDueForReview] = useState(false);
  const [asOf, setAsOf] = useAsOfParam();
  const query: Query = { kind, status, owner: owner.trim() || undefined, dueForReview: dueForReview ? true : undefined, asOf };
  const documents = useQuery({
    queryKey: ['documents', query],
    queryFn: () => answer(api.GET('/v1/documents', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h1>Documents</h1>
      <DocumentsTabs />
      <div className="filters" role="group" aria-label="Filters">
        <FilterSelect label="Kind" values={KINDS} value={kind} onChange={(v) => setKind(v as Kind | undefined)} />
        <FilterSelect label="Status" values={STATUSES} value={status} onChange={(v) => setStatus(v as Status | undefined)} />
        <TextField className="filter" value={owner} onChange={setOwner}>
          <Label>Owner</Label>
          <Input placeholder="person id" />
        </TextField>
        <Checkbox className="checkbox" isSelected={dueForReview} onChange={setDueForReview}>
          <span className="box" aria-hidden="true">
            {dueForReview ? '✓' : ''}
          </span>
          Due for review only
        </Checkbox>
        <AsOfForm value={asOf} onChange={setAsOf} label="The register as of a date" />
      </div>
      {documents.isPending ? (
        <Loading what="the documents" />
      ) : documents.error ? (
        <ProblemNotice error={documents.error} />
      ) : documents.data.items.length === 0 ? (
        <Empty>No document matches.</Empty>
      ) : (
        <>
          <p className="muted">
            {documents.data.items.length} documents as of <Time at={documents.data.at} />.
          </p>
          <table>
            <caption className="visually-hidden">Controlled documents</caption>
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">In force</th>
                <th scope="col">Owner</th>
                <th scope="col">Review due</th>
                <th scope="col">Acknowledgements outstanding</th>
              </tr>
            </thead>
            <tbody>
              {documents.data.items.map((d) => (
                <tr key={d.documentId}>
                  <th scope="row">
                    <Link href={documentHref(d.documentId, asOf)}>{d.title}</Link>
                    <div className="muted small">{d.documentId}</div>
                  </th>
                  <td>{words(d.kind)}</td>
                  <td>
                    <DocumentStatus status={d.status} />
                  </td>
                  <td>{d.publishedVersion === null ? 'none' : `version ${d.publishedVersion}`}</td>
                  <td>{d.owner}</td>
                  <td>
                    <Time at={d.reviewDueAt} />
                  </td>
                  <td>{d.acknowledgementsOutstanding}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

export function MasterListPage() {
  const [asOf, setAsOf] = useAsOfParam();
  const list = useQuery({
    queryKey: ['documents', 'master-list', asOf],
    queryFn: () => answer(api.GET('/v1/documents/master-list', { params: { query: { asOf } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h1>Documents</h1>
      <DocumentsTabs />
      <div className="filters">
        <AsOfForm value={asOf} onChange={setAsOf} label="The master list as of a date" />
      </div>
      {list.isPending ? (
        <Loading what="the master list" />
      ) : list.error ? (
        <ProblemNotice error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>No version has been published yet.</Empty>
      ) : (
        <>
          <p className="muted">
            Every published version, current and obsolete, as of <Time at={list.data.at} />.
          </p>
          <table>
            <caption className="visually-hidden">Master list of documented information</caption>
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Change</th>
                <th scope="col">Reviewed by</th>
                <th scope="col">Approved by</th>
                <th scope="col">Published</th>
                <th scope="col">Obsolete since</th>
                <th scope="col">Retention</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={`${r.documentId}-${r.version}`}>
                  <th scope="row">
                    <Link href={documentHref(r.documentId, asOf)}>{r.title}</Link>
                    <div className="muted small">
                      {words(r.kind)} · {r.classification} · owner {r.owner}
                    </div>
                  </th>
                  <td>{r.version}</td>
                  <td>{r.status === 'published' ? <span className="badge ok">in force</span> : <span className="badge">obsolete</span>}</td>
                  <td>{r.changeSummary}</td>
                  <td>{r.reviewedBy || '—'}</td>
                  <td>{r.approvedBy || '—'}</td>
                  <td>
                    <Time at={r.publishedAt || null} />
                  </td>
                  <td>
                    <Time at={r.obsoleteAt} />
                  </td>
                  <td>{r.retention}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
