/**
 * The evidence log (GET /v1/audit/events): every stream's events in the order the store recorded them,
 * filtered by stream, type or a point in time, with the chain's verification on request.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { eventLabel } from '../components/evidence-timeline';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { VerifyBadge } from '../components/verify-badge';

interface Filters {
  stream?: string;
  type?: string;
  asOf?: string;
}

export function EvidencePage() {
  const [draft, setDraft] = useState<Filters>({});
  const [filters, setFilters] = useState<Filters>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const query = {
    limit: 100,
    cursor: cursors.at(-1),
    stream: filters.stream,
    type: filters.type === undefined ? undefined : [filters.type],
    asOf: filters.asOf,
  };
  const log = useQuery({
    queryKey: ['evidence', 'log', query],
    queryFn: () => answer(api.GET('/v1/audit/events', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const clean = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
    setCursors([]);
    setFilters({ stream: clean(draft.stream), type: clean(draft.type), asOf: clean(draft.asOf) });
  };
  return (
    <>
      <h1>Evidence</h1>
      <VerifyBadge />
      <Form className="filters" onSubmit={apply} aria-label="Filter the evidence">
        <TextField className="filter" value={draft.stream ?? ''} onChange={(stream) => setDraft({ ...draft, stream })}>
          <Label>Stream</Label>
          <Input placeholder="ai-system-credit-scoring" />
        </TextField>
        <TextField className="filter" value={draft.type ?? ''} onChange={(type) => setDraft({ ...draft, type })}>
          <Label>Event type</Label>
          <Input placeholder="DeploymentApproved" />
        </TextField>
        <TextField className="filter" value={draft.asOf ?? ''} onChange={(asOf) => setDraft({ ...draft, asOf })}>
          <Label>As of</Label>
          <Input placeholder="2026-03-31 or a position" />
          <Text slot="description">A date, a date and time, or a position.</Text>
        </TextField>
        <Button type="submit">Apply</Button>
      </Form>
      {log.isPending ? (
        <Loading what="the evidence log" />
      ) : log.error ? (
        <ProblemNotice error={log.error} />
      ) : log.data.items.length === 0 ? (
        <Empty>No evidence matches.</Empty>
      ) : (
        <table>
          <caption className="visually-hidden">Evidence events, in recorded order</caption>
          <thead>
            <tr>
              <th scope="col">Position</th>
              <th scope="col">Recorded</th>
              <th scope="col">Stream</th>
              <th scope="col">Event</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {log.data.items.map((e) => {
              const actor = e.metadata.actor as { id?: string; role?: string } | undefined;
              return (
                <tr key={e.id}>
                  <th scope="row">{e.position}</th>
                  <td>
                    <Time at={e.recordedAt} />
                  </td>
                  <td>
                    <Link href={`/evidence/streams/${encodeURIComponent(e.stream)}`}>{e.stream}</Link>
                  </td>
                  <td>{eventLabel(e.type)}</td>
                  <td>{actor?.id ? `${actor.id} (${actor.role ?? ''})` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="buttons">
        {cursors.length > 0 && <Button onPress={() => setCursors(cursors.slice(0, -1))}>Previous page</Button>}
        {log.data?.nextCursor && <Button onPress={() => setCursors([...cursors, log.data.nextCursor ?? ''])}>Next page</Button>}
      </div>
    </>
  );
}
