/**
 * One evidence stream as of a point (/evidence/streams/:stream): a slider over its events (keyboard:
 * arrows, Home, End) or a date picks the point; the stream is then read as it stood there (asOf).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Slider, SliderOutput, SliderThumb, SliderTrack, Text, TextField } from 'react-aria-components';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { EvidenceTimeline } from '../components/evidence-timeline';
import { Loading, ProblemNotice } from '../components/states';
import { Time } from '../components/time';

type AsOf = { kind: 'event'; index: number } | { kind: 'date'; value: string } | { kind: 'now' };

export function StreamPage({ stream }: { stream: string }) {
  const path = { stream };
  const whole = useQuery({
    queryKey: ['evidence', 'stream', stream, 'now'],
    queryFn: () => answer(api.GET('/v1/audit/streams/{stream}', { params: { path, query: { limit: 500 } } })),
  });
  const [asOf, setAsOf] = useState<AsOf>({ kind: 'now' });
  const [slider, setSlider] = useState(0);
  const [date, setDate] = useState('');
  const events = whole.data?.items ?? [];
  useEffect(() => setSlider(events.length), [events.length]);
  const point = asOf.kind === 'event' ? String(events[asOf.index - 1]?.position ?? '') : asOf.kind === 'date' ? asOf.value : undefined;
  const past = useQuery({
    queryKey: ['evidence', 'stream', stream, point],
    queryFn: () => answer(api.GET('/v1/audit/streams/{stream}', { params: { path, query: { limit: 500, asOf: point } } })),
    enabled: point !== undefined && point !== '',
    placeholderData: keepPreviousData,
  });
  if (whole.isPending) return <Loading what={`stream ${stream}`} />;
  if (whole.error) return <ProblemNotice error={whole.error} />;
  const shown = point === undefined ? whole.data : past.data;
  const atIndex = asOf.kind === 'event' ? asOf.index : events.length;
  const pickDate = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (date.trim() !== '') setAsOf({ kind: 'date', value: date.trim() });
  };
  return (
    <>
      <p className="crumbs">
        <Link href="/evidence">Evidence</Link> / {stream}
      </p>
      <h1>Stream {stream}</h1>
      <div className="as-of">
        <Slider
          className="slider"
          minValue={events.length > 0 ? 1 : 0}
          maxValue={events.length}
          value={slider}
          onChange={setSlider}
          onChangeEnd={(index) => setAsOf(index === events.length ? { kind: 'now' } : { kind: 'event', index })}
          isDisabled={events.length < 2}
        >
          <Label>As of event</Label>
          <SliderOutput>{({ state }) => `${state.getThumbValue(0)} of ${events.length}`}</SliderOutput>
          <SliderTrack>
            <SliderThumb aria-label="As of event" />
          </SliderTrack>
        </Slider>
        <Form className="inline" onSubmit={pickDate} aria-label="As of a date">
          <TextField value={date} onChange={setDate}>
            <Label>As of date</Label>
            <Input placeholder="2026-03-31T12:00:00Z" />
            <Text slot="description">A date or date and time (UTC unless it names its zone).</Text>
          </TextField>
          <Button type="submit">Show</Button>
          <Button
            onPress={() => {
              setDate('');
              setSlider(events.length);
              setAsOf({ kind: 'now' });
            }}
          >
            Now
          </Button>
        </Form>
      </div>
      <p role="status" aria-live="polite" className="as-of-status">
        {asOf.kind === 'now' ? (
          <>As it stands now: revision {whole.data.revision}.</>
        ) : shown === undefined ? (
          'Reading…'
        ) : (
          <>
            As of {asOf.kind === 'event' ? `event ${atIndex} (position ${point})` : <Time at={asOf.value} />}: revision {shown.revision},{' '}
            {shown.items.length} events.
          </>
        )}
      </p>
      <ProblemNotice error={past.error} />
      {shown !== undefined && <EvidenceTimeline events={shown.items} label={`Evidence of ${stream}, oldest first`} proofs />}
    </>
  );
}
