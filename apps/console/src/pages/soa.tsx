/**
 * The Statement of Applicability in force (6.1.3): each Annex A control with its applicability and status
 * (judged from evidence by a rule, attested, or manual), as of now or a date; each control opens at
 * /soa/controls/:id with its evidence.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import { Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';

type Status = Schemas['ControlStatusDto']['status'];

const STATUS_BADGE: Record<Status, string> = {
  operates: 'badge ok',
  does_not_operate: 'badge danger',
  manual: 'badge',
  not_applicable: 'badge',
};

export function StatusBadge({ status }: { status: Status }) {
  return <span className={STATUS_BADGE[status]}>{status.replace(/_/g, ' ')}</span>;
}

export function SoaPage() {
  const [draft, setDraft] = useState('');
  const [asOf, setAsOf] = useState<string | undefined>();
  const soa = useQuery({
    queryKey: ['soa', asOf],
    queryFn: () => answer(api.GET('/v1/soa', { params: { query: { asOf } } })),
    placeholderData: keepPreviousData,
  });
  const pick = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setAsOf(draft.trim() === '' ? undefined : draft.trim());
  };
  return (
    <>
      <h1>Statement of Applicability</h1>
      <Form className="filters" onSubmit={pick} aria-label="The statement as of a date">
        <TextField className="filter" value={draft} onChange={setDraft}>
          <Label>As of</Label>
          <Input placeholder="2026-03-31" />
          <Text slot="description">A date (its end, UTC) or an instant; empty: now.</Text>
        </TextField>
        <Button type="submit">Show</Button>
      </Form>
      {soa.isPending ? (
        <Loading what="the statement" />
      ) : soa.error ? (
        <ProblemNotice error={soa.error} />
      ) : (
        <>
          <p>
            Version {soa.data.version}
            {soa.data.approvedBy !== null && (
              <>
                , approved by {soa.data.approvedBy} <Time at={soa.data.approvedAt} />
              </>
            )}
            ; judged as of <Time at={soa.data.at} />.
          </p>
          <table>
            <caption className="visually-hidden">Controls of the statement</caption>
            <thead>
              <tr>
                <th scope="col">Control</th>
                <th scope="col">Applicable</th>
                <th scope="col">Status</th>
                <th scope="col">How judged</th>
                <th scope="col">Owner</th>
                <th scope="col">Missing</th>
              </tr>
            </thead>
            <tbody>
              {soa.data.controls.map((c) => (
                <tr key={c.controlId}>
                  <th scope="row">
                    <Link href={`/soa/controls/${encodeURIComponent(c.controlId)}`}>{c.controlId}</Link> {c.title}
                  </th>
                  <td>{c.applicable ? 'yes' : 'no'}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>{c.method}</td>
                  <td>{c.owner ?? '—'}</td>
                  <td>{c.missing.join('; ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
