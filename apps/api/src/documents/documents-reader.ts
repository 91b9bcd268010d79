/**
 * Controlled documents as their evidence records them: each folded from its own stream (`document-<id>`),
 * now or as the evidence stood at an instant; the list, one document with its versions, and the master
 * list of documented information (every published version, current and obsolete, with its approvals).
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  DOCUMENT_CATEGORY,
  documentStatus,
  documentWorkflowId,
  evolveRecorded,
  type DocumentRecord,
  type DocumentState,
} from '../../../../domain/document';
import type { ContentStore } from '../../../../infra/ports/content-store.port';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import type { ReadModelCondition, ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { DOCUMENTS, type DocumentRow } from '../../../../infra/projections/read-models';
import { parseAsOf } from '../common/ids';
import { invalidField, notFound } from '../common/problems';
import { CONTENT_STORE, EVENT_STORE, READ_MODEL_STORE } from '../stores/store.tokens';
import type { DocumentDto, DocumentListQueryDto, DocumentSummaryDto, MasterListRowDto } from './documents.dto';

/** `asOf` as an instant (dates mean the end of that day, UTC). */
export function instantOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseAsOf(raw);
  if (parsed === null || !('time' in parsed)) throw invalidField('asOf', 'must be an ISO 8601 instant or a date (YYYY-MM-DD)');
  return parsed.time;
}

export function summaryOf(d: DocumentRecord, at: string): DocumentSummaryDto {
  const status = documentStatus(d, at);
  return {
    documentId: d.documentId,
    kind: d.kind,
    title: d.title,
    owner: d.owner,
    classification: d.classification,
    status,
    publishedVersion: d.publishedVersion,
    reviewDueAt: d.reviewDueAt,
    dueForReview: status === 'review_due',
    versions: d.versions.length,
    acknowledgementsOutstanding: d.acknowledgements.filter((a) => a.version === d.publishedVersion && a.acknowledgedAt === null).length,
  };
}

/** A read-model row as the list shows it, its status judged at `at`. */
export function rowSummary(r: DocumentRow, at: string): DocumentSummaryDto {
  const due = r.stage === 'published' && r.reviewDueAt !== null && r.reviewDueAt <= at;
  return {
    documentId: r.documentId,
    kind: r.kind,
    title: r.title,
    owner: r.owner,
    classification: r.classification,
    status: due ? 'review_due' : r.stage,
    publishedVersion: r.publishedVersion,
    reviewDueAt: r.reviewDueAt,
    dueForReview: due,
    versions: r.versions,
    acknowledgementsOutstanding: r.acknowledgementsOutstanding,
  };
}

export function documentView(d: DocumentRecord, at: string): DocumentDto {
  return {
    ...summaryOf(d, at),
    retention: d.retention,
    acknowledgementRoles: [...d.acknowledgementRoles],
    reviewInterval: d.reviewInterval,
    versionHistory: d.versions.map((v) => ({ ...v })),
    acknowledgements: d.acknowledgements.map((a) => ({ ...a })),
    reviews: d.reviews.map((r) => ({ ...r })),
    tasks: d.tasks.map((t) => ({ ...t })),
  };
}

export function masterListRows(documents: readonly DocumentRecord[]): MasterListRowDto[] {
  return documents.flatMap((d) =>
    d.versions
      .filter((v) => v.status === 'published' || v.status === 'obsolete')
      .map((v) => ({
        documentId: d.documentId,
        kind: d.kind,
        title: d.title,
        owner: d.owner,
        classification: d.classification,
        retention: d.retention,
        version: v.version,
        status: v.status,
        changeSummary: v.changeSummary,
        markdownDigest: v.markdownDigest,
        reviewedBy: v.review?.by.id ?? '',
        approvedBy: v.approval?.by.id ?? '',
        publishedAt: v.publishedAt ?? '',
        obsoleteAt: v.obsoleteAt,
      })),
  );
}

@Injectable()
export class DocumentsReader {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CONTENT_STORE) private readonly contents: ContentStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  /** One document as its evidence stands (at `asOf`), or null when it did not exist. */
  async state(documentId: string, asOf?: string): Promise<DocumentRecord | null> {
    let s: DocumentState = null;
    for await (const e of this.events.readStream(documentWorkflowId(documentId), asOf === undefined ? {} : { asOf: { time: asOf } }))
      s = evolveRecorded(s, e);
    return s;
  }

  async get(documentId: string, asOfRaw: string | undefined): Promise<DocumentDto> {
    const asOf = instantOf(asOfRaw);
    const d = await this.state(documentId, asOf);
    if (d === null) throw notFound('document', documentId, asOf === undefined ? '' : ` as of ${asOfRaw}`);
    return documentView(d, asOf ?? new Date().toISOString());
  }

  /** Every document folded from the evidence (up to `asOf`), oldest stream first. */
  async all(asOf?: string): Promise<DocumentRecord[]> {
    const states = new Map<string, DocumentState>();
    for await (const e of this.events.readAll({ categories: [DOCUMENT_CATEGORY] })) {
      // recordedAt never decreases along positions.
      if (asOf !== undefined && e.recordedAt > asOf) break;
      states.set(e.stream, evolveRecorded(states.get(e.stream) ?? null, e));
    }
    return [...states.values()].filter((d): d is DocumentRecord => d !== null);
  }

  /** Now: from the `documents` read model, filtered by its columns; as of an earlier instant: folded from the evidence. */
  async list(q: DocumentListQueryDto): Promise<{ items: DocumentSummaryDto[]; at: string }> {
    const asOf = instantOf(q.asOf);
    if (asOf === undefined) return this.listNow(q);
    const items = (await this.all(asOf))
      .map((d) => summaryOf(d, asOf))
      .filter(
        (d) =>
          (q.kind === undefined || d.kind === q.kind) &&
          (q.status === undefined || d.status === q.status) &&
          (q.owner === undefined || d.owner.toLowerCase() === q.owner.toLowerCase()) &&
          (q.dueForReview === undefined || d.dueForReview === q.dueForReview),
      );
    return { items, at: asOf };
  }

  private async listNow(q: DocumentListQueryDto): Promise<{ items: DocumentSummaryDto[]; at: string }> {
    const at = new Date().toISOString();
    const where: ReadModelCondition[] = [];
    const due: ReadModelCondition[] = [
      { column: 'stage', op: 'eq', value: 'published' },
      { column: 'review_due_at', op: 'lte', value: at },
    ];
    const notDue: ReadModelCondition = {
      op: 'or',
      conditions: [
        { column: 'stage', op: 'in', values: ['draft', 'in_review', 'awaiting_approval'] },
        { column: 'review_due_at', op: 'gt', value: at },
      ],
    };
    if (q.kind !== undefined) where.push({ column: 'kind', op: 'eq', value: q.kind });
    if (q.owner !== undefined) where.push({ column: 'owner', op: 'eq', value: q.owner.toLowerCase() });
    if (q.status === 'review_due') where.push(...due);
    else if (q.status === 'published')
      where.push({ column: 'stage', op: 'eq', value: 'published' }, { column: 'review_due_at', op: 'gt', value: at });
    else if (q.status !== undefined) where.push({ column: 'stage', op: 'eq', value: q.status });
    if (q.dueForReview === true) where.push(...due);
    if (q.dueForReview === false) where.push(notDue);
    const rows: DocumentRow[] = [];
    for await (const p of this.readModels.scan(DOCUMENTS, { where })) rows.push(p.row);
    rows.sort((a, b) => a.createdPosition - b.createdPosition);
    return { items: rows.map((r) => rowSummary(r, at)), at };
  }

  async masterList(asOfRaw: string | undefined): Promise<{ items: MasterListRowDto[]; at: string }> {
    const asOf = instantOf(asOfRaw);
    return { items: masterListRows(await this.all(asOf)), at: asOf ?? new Date().toISOString() };
  }

  async content(digest: string): Promise<{ contentType: string; bytes: Buffer }> {
    const found = await this.contents.get(digest);
    if (found === null) throw notFound('content', digest);
    return { contentType: found.content.contentType, bytes: found.bytes };
  }
}
