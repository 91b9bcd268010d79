/** Reading a document's record: the version in force, as of an instant, its approvals and acknowledgements. */
import type { DocumentRecord, DocumentVersion } from './model';

export type DocumentStatus = 'draft' | 'in_review' | 'awaiting_approval' | 'published' | 'review_due';

/** Where the document stands: in force (or due for review), or the stage of its first version. */
export function documentStatus(d: DocumentRecord, nowIso: string): DocumentStatus {
  if (d.publishedVersion === null) {
    const last = d.versions.at(-1);
    return last?.status === 'in_review' || last?.status === 'awaiting_approval' ? last.status : 'draft';
  }
  return d.reviewDueAt !== null && Date.parse(d.reviewDueAt) <= Date.parse(nowIso) ? 'review_due' : 'published';
}

/** The version in force at an instant (the last published at or before it), or null. */
export function versionInForceAt(d: DocumentRecord, at: string): DocumentVersion | null {
  const t = Date.parse(at);
  return (
    [...d.versions]
      .filter((v) => v.publishedAt !== null && Date.parse(v.publishedAt) <= t)
      .sort((a, b) => Date.parse(b.publishedAt ?? '') - Date.parse(a.publishedAt ?? ''))[0] ?? null
  );
}

/** Every version as it stood at an instant: later versions left out, statuses as they were then. */
export function documentAsOf(d: DocumentRecord, at: string): DocumentRecord | null {
  const t = Date.parse(at);
  if (Date.parse(d.createdAt) > t) return null;
  const inForce = versionInForceAt(d, at);
  const versions = d.versions
    .filter((v) => Date.parse(v.submittedAt) <= t)
    .map((v): DocumentVersion => {
      if (v.publishedAt !== null && Date.parse(v.publishedAt) <= t)
        return {
          ...v,
          status: v.version === inForce?.version ? 'published' : 'obsolete',
          obsoleteAt: v.version === inForce?.version ? null : v.obsoleteAt,
        };
      const returned = v.returned !== null && Date.parse(v.returned.at) <= t;
      const reviewed = v.review !== null && Date.parse(v.review.at) <= t;
      return {
        ...v,
        status: returned
          ? v.returned?.outcome === 'rejected'
            ? 'rejected'
            : 'changes_requested'
          : reviewed
            ? 'awaiting_approval'
            : 'in_review',
        review: reviewed ? v.review : null,
        returned: returned ? v.returned : null,
        approval: null,
        publishedAt: null,
        obsoleteAt: null,
      };
    });
  return {
    ...d,
    versions,
    publishedVersion: inForce?.version ?? null,
    reviews: d.reviews.filter((r) => Date.parse(r.at) <= t),
    acknowledgements: d.acknowledgements
      .filter((a) => Date.parse(a.requestedAt) <= t)
      .map((a) => (a.acknowledgedAt !== null && Date.parse(a.acknowledgedAt) > t ? { ...a, acknowledgedAt: null } : a)),
    tasks: d.tasks.filter((x) => Date.parse(x.openedAt) <= t),
  };
}
