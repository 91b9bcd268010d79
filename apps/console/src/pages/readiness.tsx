/**
 * Certification readiness (clauses 4.3 to 10.2): each check met or a gap, what it needs and where the
 * evidence is, for Stage 1 or Stage 2, as of now or a date. For the roles the API lets read it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Radio, RadioGroup, Text, TextField } from 'react-aria-components';
import { answer, api } from '../api/client';
import type { operations } from '../api/openapi';
import { Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';

type Query = NonNullable<operations['ReadinessController_check']['parameters']['query']>;

/** Who may read readiness (the API's @Roles on GET /v1/readiness). */
export const READINESS_READERS = ['auditor', 'internal_auditor', 'aims_owner', 'top_management'];

export function ReadinessPage() {
  const [stage, setStage] = useState<'1' | '2'>('1');
  const [draft, setDraft] = useState('');
  const [asOf, setAsOf] = useState<string | undefined>();
  const query: Query = { stage, asOf };
  const readiness = useQuery({
    queryKey: ['readiness', query],
    queryFn: () => answer(api.GET('/v1/readiness', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const pick = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setAsOf(draft.trim() === '' ? undefined : draft.trim());
  };
  return (
    <>
      <h1>Certification readiness</h1>
      <div className="filters">
        <RadioGroup className="radios" value={stage} onChange={(v) => setStage(v === '2' ? '2' : '1')} orientation="horizontal">
          <Label>Stage</Label>
          <Radio value="1">Stage 1</Radio>
          <Radio value="2">Stage 2</Radio>
        </RadioGroup>
        <Form className="inline" onSubmit={pick} aria-label="Readiness as of a date">
          <TextField className="filter" value={draft} onChange={setDraft}>
            <Label>As of</Label>
            <Input placeholder="2026-03-31" />
            <Text slot="description">A date (its end, UTC) or an instant; empty: now.</Text>
          </TextField>
          <Button type="submit">Show</Button>
        </Form>
      </div>
      {readiness.isPending ? (
        <Loading what="readiness" />
      ) : readiness.error ? (
        <ProblemNotice error={readiness.error} />
      ) : (
        <>
          <p role="status">
            {readiness.data.ready ? <span className="badge ok">ready</span> : <span className="badge danger">not ready</span>} for stage{' '}
            {readiness.data.stage}: {readiness.data.met} met, {readiness.data.gaps} gaps, as of <Time at={readiness.data.asOf} />.
          </p>
          <table>
            <caption className="visually-hidden">Readiness checks</caption>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Clause</th>
                <th scope="col">Status</th>
                <th scope="col">What it needs</th>
                <th scope="col">Where</th>
              </tr>
            </thead>
            <tbody>
              {readiness.data.checks.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.title}</th>
                  <td>{c.clause}</td>
                  <td>{c.status === 'met' ? <span className="badge ok">met</span> : <span className="badge danger">gap</span>}</td>
                  <td>{c.what}</td>
                  <td>{c.where}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
