/** A labelled choice among a filter's values, with "any" first (react-aria's Select: keyboard and screen readers). */
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

const ANY = '__any';

export function FilterSelect({
  label,
  values,
  value,
  onChange,
  anyLabel = 'any',
}: {
  label: string;
  values: readonly string[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  anyLabel?: string;
}) {
  return (
    <Select
      className="filter"
      selectedKey={value ?? ANY}
      onSelectionChange={(key) => onChange(key === ANY || key === null ? undefined : String(key))}
    >
      <Label>{label}</Label>
      <Button>
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Popover>
        <ListBox>
          <ListBoxItem id={ANY}>{anyLabel}</ListBoxItem>
          {values.map((v) => (
            <ListBoxItem key={v} id={v}>
              {v.replace(/_/g, ' ')}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
