/** Evidence events as a timeline: who (and under which role), when, what, and the artifact digest when there is one. */
import type { Schemas } from '../api/client';
import { InclusionProof } from './inclusion-proof';
import { Empty } from './states';
import { Time } from './time';

type EvidenceEvent = Schemas['EvidenceEventDto'];

/** "DeploymentApproved" → "Deployment approved". */
export function eventLabel(type: string): string {
  const words = type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function actorOf(event: EvidenceEvent): { id: string; role: string } | null {
  const actor = event.metadata.actor as { id?: unknown; role?: unknown } | undefined;
  return actor !== undefined && typeof actor.id === 'string'
    ? { id: actor.id, role: typeof actor.role === 'string' ? actor.role : '' }
    : null;
}

/** A few plain values of the event's data, for a line of text (the full record is in the log). */
function whatOf(event: EvidenceEvent): string {
  return Object.entries(event.data)
    .filter(([k, v]) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && k !== 'at' && k !== 'artifactDigest')
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

/** `proofs`: offer each event's inclusion proof (for those who may read proofs: the API's AUDIT_READERS). */
export function EvidenceTimeline({ events, label, proofs = false }: { events: EvidenceEvent[]; label: string; proofs?: boolean }) {
  if (events.length === 0) return <Empty>No evidence recorded yet.</Empty>;
  return (
    <ol className="timeline" aria-label={label}>
      {events.map((event) => {
        const actor = actorOf(event);
        const digest = typeof event.data.artifactDigest === 'string' ? event.data.artifactDigest : null;
        return (
          <li key={event.id} data-position={event.position}>
            <div className="when">
              <Time at={event.recordedAt} />
            </div>
            <div>
              <strong>{eventLabel(event.type)}</strong>
              {actor !== null && (
                <span className="muted">
                  {' '}
                  by {actor.id}
                  {actor.role ? ` as ${actor.role}` : ''}
                </span>
              )}
              <div className="what">{whatOf(event)}</div>
              {digest !== null && (
                <div className="digest">
                  artifact <code>{digest}</code>
                </div>
              )}
              <div className="muted small">
                position {event.position} · revision {event.revision} · hash <code>{event.hash.slice(0, 12)}</code>
              </div>
              {proofs && <InclusionProof event={event} />}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
