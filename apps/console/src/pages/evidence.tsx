/**
 * The evidence log (GET /v1/audit/events): every stream's events in the order the store recorded them,
 * filtered by stream, type or a point in time, with the chain's verification on request and the latest
 * signed checkpoint of the evidence tree. The server sends it a page at a time (the next page read as the
 * reader nears the end, or on "More events"); the table renders only the rows near the viewport, so a log
 * of thousands of events stays fast.
 */
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api, type Schemas } from '../api/client';
import { CheckpointPanel } from '../components/checkpoint-panel';
import { eventLabel } from '../components/evidence-timeline';
import { Empty, Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';
import { VerifyBadge } from '../components/verify-badge';
import { spacedRows, useVirtualRows } from '../components/virtual-rows';

interface Filters {
  stream?: string;
  type?: string;
  asOf?: string;
}

export function EvidencePage() {
  const [draft, setDraft] = useState<Filters>({});
  const [filters, setFilters] = useState<Filters>({});
  const query = {
    limit: 100,
    stream: filters.stream,
    type: filters.type === undefined ? undefined : [filters.type],
    asOf: filters.asOf,
  };
  const log = useInfiniteQuery({
    queryKey: ['evidence', 'log', query],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => answer(api.GET('/v1/audit/events', { params: { query: { ...query, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = log;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const events = log.data?.pages.flatMap((p) => p.items) ?? [];
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const clean = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
    setFilters({ stream: clean(draft.stream), type: clean(draft.type), asOf: clean(draft.asOf) });
  };
  return (
    <>
      <h1>Evidence</h1>
      <VerifyBadge />
      <CheckpointPanel />
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
      ) : events.length === 0 ? (
        <Empty>No evidence matches.</Empty>
      ) : (
        <EventTable events={events} more={hasNextPage} loadMore={loadMore} />
      )}
      {hasNextPage && (
        <div className="buttons">
          <Button isDisabled={isFetchingNextPage} onPress={loadMore}>
            More events
          </Button>
        </div>
      )}
    </>
  );
}

const COLUMNS = [
  ['Position', '8%'],
  ['Recorded', '16%'],
  ['Stream', '32%'],
  ['Event', '20%'],
  ['By', '24%'],
] as const;

/**
 * The events, a row for each near the viewport (fixed column widths: rows coming and going do not move the
 * columns). aria-rowcount says how many rows are loaded (-1 while the server holds more) and aria-rowindex
 * where each shown row stands, the heading row being the first.
 */
function EventTable({ events, more, loadMore }: { events: Schemas['EvidenceEventDto'][]; more: boolean; loadMore: () => void }) {
  const rows = useVirtualRows<HTMLTableSectionElement>({ count: events.length, estimateSize: 44, onNearEnd: more ? loadMore : undefined });
  return (
    <table className="virtual" aria-rowcount={more ? -1 : events.length + 1}>
      <caption className="visually-hidden">Evidence events, in recorded order</caption>
      <thead>
        <tr aria-rowindex={1}>
          {COLUMNS.map(([label, width]) => (
            <th key={label} scope="col" style={{ width }}>
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody ref={rows.container} {...rows.focusHandlers}>
        {spacedRows(rows.items, rows.totalSize, rows.offset, COLUMNS.length, (item) => {
          const e = events[item.index];
          const actor = e.metadata.actor as { id?: string; role?: string } | undefined;
          return (
            <tr key={e.id} ref={rows.measure} data-index={item.index} aria-rowindex={item.index + 2}>
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
  );
}
