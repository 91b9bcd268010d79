/** Server paging by cursor: the cursors of the pages passed so far, and the next page's cursor when there is one. */
import { Button } from 'react-aria-components';

export function Pager({
  cursors,
  next,
  onChange,
}: {
  cursors: string[];
  next: string | null | undefined;
  onChange: (cursors: string[]) => void;
}) {
  return (
    <div className="buttons">
      {cursors.length > 0 && <Button onPress={() => onChange(cursors.slice(0, -1))}>Previous page</Button>}
      {next && <Button onPress={() => onChange([...cursors, next])}>Next page</Button>}
    </div>
  );
}
