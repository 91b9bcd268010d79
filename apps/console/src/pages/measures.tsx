/**
 * Performance evaluation (9.1): every AIMS measure as of now or a date, computed from the evidence, with the
 * nonconformity figures (10.2) beside them; each measure opens at /measures/:id with its trend and the
 * objectives that use it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { plainNumber } from '../components/trend';
import { measureHref } from './objective-view';

export const UNIT_WORDS: Record<string, string> = {
  share: 'share (0 to 1)',
  hours: 'hours',
  count: 'count',
  manual: 'entered by people',
};

/** A measure's figure, or why it has none. */
export function FigureValue({ m }: { m: Pick<Schemas['MeasureFigureDto'], 'value' | 'reason'> }) {
  return m.value === null ? <span className="muted">no value: {m.reason ?? 'not given'}</span> : <>{plainNumber(m.value)}</>;
}

export function MeasuresPage() {
  const [draft, setDraft] = useState('');
  const [asOf, setAsOf] = useState<string | undefined>();
  const measures = useQuery({
    queryKey: ['measures', asOf],
    queryFn: () => answer(api.GET('/v1/measures', { params: { query: { asOf, last: 5 } } })),
    placeholderData: keepPreviousData,
  });
  const pick = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setAsOf(draft.trim() === '' ? undefined : draft.trim());
  };
  return (
    <>
      <p className="crumbs">
        <Link href="/objectives">AI objectives</Link> / Measures
      </p>
      <h1>Measures</h1>
      <Form className="filters" onSubmit={pick} aria-label="The measures as of a date">
        <TextField className="filter" value={draft} onChange={setDraft}>
          <Label>As of</Label>
          <Input placeholder="2026-03-31" />
          <Text slot="description">A date (its end, UTC) or an instant; empty: now.</Text>
        </TextField>
        <Button type="submit">Show</Button>
      </Form>
      {measures.isPending ? (
        <Loading what="the measures" />
      ) : measures.error ? (
        <ProblemNotice error={measures.error} />
      ) : measures.data.measures.length === 0 ? (
        <Empty>No measure yet.</Empty>
      ) : (
        <>
          <p>
            As of <Time at={measures.data.asOf} /> (evidence position {measures.data.position}).
          </p>
          <table>
            <caption className="visually-hidden">Measures</caption>
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">Value</th>
                <th scope="col">Unit</th>
                <th scope="col">Recent measurements by objectives</th>
              </tr>
            </thead>
            <tbody>
              {measures.data.measures.map((m) => (
                <tr key={m.measureId}>
                  <th scope="row">
                    <Link href={measureHref(m.measureId)}>{m.measureId}</Link>
                    <div className="muted small">{m.title}</div>
                  </th>
                  <td>
                    <FigureValue m={m} />
                  </td>
                  <td>{UNIT_WORDS[m.unit] ?? m.unit}</td>
                  <td>
                    {m.trend.length === 0 ? '—' : m.trend.map((p) => (p.value === null ? 'no value' : plainNumber(p.value))).join(' → ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <NonconformityFigures asOf={asOf} />
    </>
  );
}

/** The measures take a date as its end (UTC); the nonconformity figures take an instant: the same end of day. */
const instantOf = (asOf: string | undefined): string | undefined =>
  asOf !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? `${asOf}T23:59:59.999Z` : asOf;
const count = (v: unknown): string => (typeof v === 'number' ? plainNumber(v) : '—');
const field = (v: unknown, key: string): unknown => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined);

/** The nonconformity measures (10.2 via 9.1): open, by status and severity, time to close, overdue actions. */
function NonconformityFigures({ asOf }: { asOf: string | undefined }) {
  const figures = useQuery({
    queryKey: ['nonconformities', 'measures', asOf],
    queryFn: () => answer(api.GET('/v1/nonconformities/measures', { params: { query: { at: instantOf(asOf) } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="nc-figures-heading">
      <h2 id="nc-figures-heading">Nonconformities</h2>
      {figures.isPending ? (
        <Loading what="the nonconformity figures" />
      ) : figures.error ? (
        <ProblemNotice error={figures.error} />
      ) : (
        <dl className="facts">
          <dt>Open</dt>
          <dd>
            {figures.data.open} of {figures.data.total}
          </dd>
          <dt>By status</dt>
          <dd>{countsWords(figures.data.byStatus)}</dd>
          <dt>By severity</dt>
          <dd>{countsWords(figures.data.bySeverity)}</dd>
          <dt>Mean time to close</dt>
          <dd>
            {field(figures.data.timeToClose, 'meanDays') === null || field(figures.data.timeToClose, 'meanDays') === undefined
              ? 'none closed yet'
              : `${count(field(figures.data.timeToClose, 'meanDays'))} days over ${count(field(figures.data.timeToClose, 'closedCount'))} closed`}
          </dd>
          <dt>Overdue actions</dt>
          <dd>{count(field(figures.data.overdueActions, 'count'))}</dd>
          <dt>Reopened after an ineffective correction</dt>
          <dd>{count(field(figures.data.reopenedCorrections, 'reopenedNonconformityCount'))}</dd>
        </dl>
      )}
    </section>
  );
}

function countsWords(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k.replace(/_/g, ' ')}: ${n}`).join(', ');
}
