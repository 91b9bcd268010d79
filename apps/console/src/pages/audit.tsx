/**
 * One internal audit (/audits/:id, 9.2.1) as its evidence records it: plan (scope, criteria, auditors),
 * samples of the evidence (each record links to its stream for the roles that may read the evidence log),
 * checklist, findings with their nonconformities, report and closure. Steps are taken in the task inbox.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import { eventLabel } from '../components/evidence-timeline';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { AUDIT_READERS, holdsAny, useMe } from '../me';
import { AreaLabel, AreaList, programmeHref, words } from './audits';

type Audit = Schemas['InternalAuditDto'];
type Sampled = Schemas['SampledRecordDto'];

const streamHref = (stream: string): string => `/evidence/streams/${encodeURIComponent(stream)}`;

export function AuditPage({ auditId }: { auditId: string }) {
  const audit = useQuery({
    queryKey: ['internal-audit', auditId],
    queryFn: () => answer(api.GET('/v1/internal-audits/{id}', { params: { path: { id: auditId } } })),
  });
  const me = useMe();
  if (audit.isPending) return <Loading what={`internal audit ${auditId}`} />;
  if (audit.error) return <ProblemNotice error={audit.error} />;
  const a = audit.data;
  // The evidence pages are the audit trail's readers' (the API refuses the others): only they get the links.
  const readsEvidence = holdsAny(me, AUDIT_READERS);
  const sampled = new Map(a.samples.flatMap((s) => s.records.map((r) => [r.eventId, r] as const)));
  return (
    <>
      <p className="crumbs">
        <Link href="/audits">Internal audits</Link> / {a.auditId}
      </p>
      <h1>{a.plan.title}</h1>
      <dl className="facts">
        <dt>Audit</dt>
        <dd>{a.auditId}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`badge ${a.status === 'closed' ? 'ok' : ''}`}>{words(a.status)}</span>
        </dd>
        <dt>Programme</dt>
        <dd>{a.plan.programmeId === null ? '—' : <Link href={programmeHref(a.plan.programmeId)}>{a.plan.programmeId}</Link>}</dd>
        <dt>Scope</dt>
        <dd>
          <AreaList areas={a.plan.scope} />
        </dd>
        <dt>Lead auditor</dt>
        <dd>{a.plan.leadAuditor}</dd>
        <dt>Audit team</dt>
        <dd>{a.plan.team.join(', ') || '—'}</dd>
        <dt>Planned</dt>
        <dd>
          <Time at={a.plan.plannedStart} /> to <Time at={a.plan.plannedEnd} /> (by {a.plannedBy.id}, <Time at={a.plannedAt} />)
        </dd>
        <dt>Responsible for the areas</dt>
        <dd>
          {a.plan.responsibilities.length === 0
            ? '—'
            : a.plan.responsibilities.map((r) => (
                <div key={`${r.area.kind}:${r.area.id}`}>
                  <AreaLabel area={r.area} />: {r.personIds.join(', ') || '—'}
                </div>
              ))}
        </dd>
        <dt>Fieldwork started</dt>
        <dd>
          <Time at={a.fieldworkStartedAt} />
        </dd>
      </dl>
      <Criteria audit={a} />
      <Samples audit={a} readsEvidence={readsEvidence} />
      <Findings audit={a} sampled={sampled} readsEvidence={readsEvidence} />
      <Report audit={a} />
    </>
  );
}

function EvidenceRef({ id, record, readsEvidence }: { id: string; record: Sampled | undefined; readsEvidence: boolean }) {
  const label = record === undefined ? id : `${eventLabel(record.type)} (position ${record.position})`;
  if (record === undefined || !readsEvidence) return <span title={id}>{label}</span>;
  return (
    <Link href={streamHref(record.stream)} title={id}>
      {label}
    </Link>
  );
}

function Criteria({ audit }: { audit: Audit }) {
  return (
    <section aria-labelledby="criteria-heading">
      <h2 id="criteria-heading">Criteria and checklist</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Result</th>
            <th scope="col">Note</th>
            <th scope="col">Recorded</th>
          </tr>
        </thead>
        <tbody>
          {audit.plan.criteria.map((c) => {
            const result = audit.checklist.find((r) => r.criterionId === c.criterionId);
            return (
              <tr key={c.criterionId}>
                <th scope="row">
                  {c.criterionId} <div className="muted small">{c.text}</div>
                </th>
                <td>
                  {result === undefined ? (
                    <span className="muted">not checked yet</span>
                  ) : (
                    <span className={`badge ${result.result === 'conforms' ? 'ok' : result.result === 'does_not_conform' ? 'danger' : ''}`}>
                      {words(result.result)}
                    </span>
                  )}
                </td>
                <td>{result?.note || '—'}</td>
                <td>
                  {result === undefined ? (
                    '—'
                  ) : (
                    <>
                      {result.by.id}, <Time at={result.at} />
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Samples({ audit, readsEvidence }: { audit: Audit; readsEvidence: boolean }) {
  return (
    <section aria-labelledby="samples-heading">
      <h2 id="samples-heading">Samples</h2>
      {audit.samples.length === 0 ? (
        <Empty>No evidence sampled yet.</Empty>
      ) : (
        audit.samples.map((s) => (
          <table key={s.sampleId}>
            <caption>
              Sample {s.sampleId}: the evidence as of position {s.asOfPosition}, taken by {s.takenBy.id} <Time at={s.takenAt} />
            </caption>
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Stream</th>
                <th scope="col">Position</th>
                <th scope="col">Author</th>
              </tr>
            </thead>
            <tbody>
              {s.records.map((r) => (
                <tr key={r.eventId}>
                  <th scope="row">
                    {eventLabel(r.type)}
                    <div className="muted small">
                      <code>{r.eventId}</code>
                    </div>
                  </th>
                  <td>{readsEvidence ? <Link href={streamHref(r.stream)}>{r.stream}</Link> : r.stream}</td>
                  <td>{r.position}</td>
                  <td>{r.authorId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))
      )}
    </section>
  );
}

function Findings({ audit, sampled, readsEvidence }: { audit: Audit; sampled: Map<string, Sampled>; readsEvidence: boolean }) {
  return (
    <section aria-labelledby="findings-heading">
      <h2 id="findings-heading">Findings</h2>
      {audit.findings.length === 0 ? (
        <Empty>No finding recorded.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Findings</caption>
          <thead>
            <tr>
              <th scope="col">Finding</th>
              <th scope="col">Kind</th>
              <th scope="col">Criterion and area</th>
              <th scope="col">Evidence</th>
              <th scope="col">Nonconformity</th>
            </tr>
          </thead>
          <tbody>
            {audit.findings.map((f) => (
              <tr key={f.findingId}>
                <th scope="row">
                  {f.findingId}
                  <div>{f.statement}</div>
                  <div className="muted small">
                    {f.recordedBy.id}, <Time at={f.recordedAt} />
                  </div>
                </th>
                <td>
                  <span className={`badge ${f.type.endsWith('nonconformity') ? 'danger' : ''}`}>{words(f.type)}</span>
                </td>
                <td>
                  {f.criterionId ?? '—'}
                  {f.area !== null && (
                    <div>
                      <AreaLabel area={f.area} />
                    </div>
                  )}
                </td>
                <td>
                  {f.evidenceRefs.length === 0
                    ? '—'
                    : f.evidenceRefs.map((id) => (
                        <div key={id}>
                          <EvidenceRef id={id} record={sampled.get(id)} readsEvidence={readsEvidence} />
                        </div>
                      ))}
                </td>
                <td>
                  {f.nonconformityId === null ? (
                    '—'
                  ) : (
                    <>
                      <Link href={`/nonconformities/${encodeURIComponent(f.nonconformityId)}`}>{f.nonconformityId}</Link>
                      {f.correctiveAction !== null && <div className="muted small">corrective action {words(f.correctiveAction)}</div>}
                    </>
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

function Report({ audit }: { audit: Audit }) {
  const [open, setOpen] = useState(false);
  const text = useQuery({
    queryKey: ['internal-audit', audit.auditId, 'report'],
    queryFn: () => answer(api.GET('/v1/internal-audits/{id}/report', { params: { path: { id: audit.auditId } }, parseAs: 'text' })),
    enabled: open,
  });
  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">Report and closure</h2>
      {audit.report === null ? (
        <Empty>No report issued yet.</Empty>
      ) : (
        <dl className="facts">
          <dt>Summary</dt>
          <dd>{audit.report.summary}</dd>
          <dt>Conclusion</dt>
          <dd>{audit.report.conclusion}</dd>
          <dt>Issued</dt>
          <dd>
            by {audit.report.issuedBy.id}, <Time at={audit.report.issuedAt} />
          </dd>
          <dt>Closed</dt>
          <dd>{audit.closedAt === null ? <span className="muted">not yet</span> : <Time at={audit.closedAt} />}</dd>
        </dl>
      )}
      <details className="report" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>The audit report as the evidence gives it (Markdown)</summary>
        {!open ? null : text.isPending ? (
          <Loading what="the report" />
        ) : text.error ? (
          <ProblemNotice error={text.error} />
        ) : (
          <pre className="report-text">{text.data}</pre>
        )}
      </details>
    </section>
  );
}
