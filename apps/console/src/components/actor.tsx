/** Who did something, as the evidence records them: their id and the role they acted in. */
import { str, words, type Loose } from '../api/loose';

export function Actor({ actor }: { actor: Loose | null }) {
  const id = str(actor, 'id');
  if (id === null) return <span className="muted">—</span>;
  const role = str(actor, 'role');
  return (
    <span>
      {id}
      {role !== null && <span className="muted"> as {words(role)}</span>}
    </span>
  );
}
