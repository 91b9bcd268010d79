/** One control of the statement (/soa/controls/:id): its status, why, and the evidence it rests on. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { eventLabel } from '../components/evidence-timeline';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { StatusBadge } from './soa';

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export function SoaControlPage({ controlId }: { controlId: string }) {
  const control = useQuery({
    queryKey: ['soa', 'control', controlId],
    queryFn: () => answer(api.GET('/v1/controls/{id}', { params: { path: { id: controlId } } })),
  });
  if (control.isPending) return <Loading what={`control ${controlId}`} />;
  if (control.error) return <ProblemNotice error={control.error} />;
  const c = control.data;
  return (
    <>
      <p className="crumbs">
        <Link href="/soa">Statement of Applicability</Link> / {c.controlId}
      </p>
      <h1>
        {c.controlId} {c.title}
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={c.status} /> (judged by {c.method} as of <Time at={c.at} />)
        </dd>
        <dt>Applicable</dt>
        <dd>{c.applicable ? 'yes' : 'no'}</dd>
        <dt>Owner</dt>
        <dd>{c.owner ?? '—'}</dd>
        <dt>Implementation</dt>
        <dd>{c.implementation ?? '—'}</dd>
        <dt>Missing</dt>
        <dd>{c.missing.join('; ') || '—'}</dd>
      </dl>
      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading">What breaks it</h2>
        {c.findings.length === 0 ? (
          <Empty>No finding.</Empty>
        ) : (
          <ul>
            {c.findings.map((f, i) => (
              <li key={i}>
                {text(f.systemId)} {text(f.problem)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">Evidence</h2>
        {c.evidence.length === 0 ? (
          <Empty>No evidence for this control yet.</Empty>
        ) : (
          <ul>
            {c.evidence.map((e, i) => (
              <li key={text(e.id) || i}>
                {eventLabel(text(e.type))} <span className="muted">{text(e.stream)}</span> <Time at={text(e.recordedAt)} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
