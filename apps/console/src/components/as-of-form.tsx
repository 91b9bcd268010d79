/** "As of a date": typed, then applied on submit (so each keystroke does not ask the API). Empty: now. */
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { useSearchParams } from 'wouter';

export function AsOfForm({
  value,
  onChange,
  label,
}: {
  value: string | undefined;
  onChange: (asOf: string | undefined) => void;
  label: string;
}) {
  const [draft, setDraft] = useState(value ?? '');
  // A value changed from outside (a deep link followed, the back button) shows in the field.
  useEffect(() => setDraft(value ?? ''), [value]);
  const pick = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onChange(draft.trim() === '' ? undefined : draft.trim());
  };
  return (
    <Form className="inline" onSubmit={pick} aria-label={label}>
      <TextField className="filter" value={draft} onChange={setDraft}>
        <Label>As of</Label>
        <Input placeholder="2026-03-31" />
        <Text slot="description">A date (its end, UTC) or an instant; empty: now.</Text>
      </TextField>
      <Button type="submit">Show</Button>
    </Form>
  );
}

/** The page's `?asOf=` (so "as of" is part of its deep link), and a setter that keeps the other parameters. */
export function useAsOfParam(): [string | undefined, (asOf: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const set = (next: string | undefined) =>
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      if (next === undefined) out.delete('asOf');
      else out.set('asOf', next);
      return out;
    });
  return [asOf === '' ? undefined : asOf, set];
}

/** `?asOf=…` to carry the same point in time into a link, or nothing. */
export const asOfSearch = (asOf: string | undefined): string => (asOf === undefined ? '' : `?asOf=${encodeURIComponent(asOf)}`);
