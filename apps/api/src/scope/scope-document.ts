/**
 * The controlled document (kind `aims_scope`) a scope statement rests on, read from the document's own
 * evidence: a proposal may only name the version in force when it is proposed (so the record ties the
 * statement to text that was reviewed, approved by top management and published, 7.5.2); and the view says
 * whether the version the statement in force names is still the document's version in force.
 */
import { Injectable } from '@nestjs/common';
import type { ScopeDocumentRef } from '../../../../domain/aims-scope/model';
import { versionInForceAt } from '../../../../domain/document/queries';
import { notFound, problem } from '../common/problems';
import { DocumentsReader } from '../documents/documents-reader';

/** What the view says about the document the statement in force rests on. */
export type ScopeDocumentStanding = ScopeDocumentRef & {
  /** The document's version in force at the instant viewed (null: none, e.g. withdrawn). */
  versionInForce: number | null;
  /** The statement rests on the version in force; false: the document moved on, the statement should follow (6.3). */
  current: boolean;
};

@Injectable()
export class ScopeDocuments {
  constructor(private readonly documents: DocumentsReader) {}

  /** The version a proposal names, resolved from the evidence: it must be an AIMS scope document's version in force. */
  async resolve(name: { documentId: string; version: number }): Promise<ScopeDocumentRef> {
    const d = await this.documents.state(name.documentId);
    if (d === null) throw notFound('document', name.documentId);
    if (d.kind !== 'aims_scope')
      throw problem(
        422,
        'SCOPE_DOCUMENT_WRONG_KIND',
        `Document ${d.documentId} is a ${d.kind} document, not the AIMS scope (aims_scope).`,
        {
          documentId: d.documentId,
          kind: d.kind,
        },
      );
    const v = d.versions.find((x) => x.version === name.version);
    if (d.publishedVersion !== name.version || v === undefined || v.publishedAt === null)
      throw problem(
        409,
        'SCOPE_DOCUMENT_NOT_IN_FORCE',
        `Version ${name.version} of ${d.documentId} is not the version in force (${d.publishedVersion === null ? 'none is published' : `v${d.publishedVersion} is`}).`,
        { documentId: d.documentId, version: name.version, versionInForce: d.publishedVersion },
      );
    return { documentId: d.documentId, version: v.version, title: d.title, markdownDigest: v.markdownDigest, publishedAt: v.publishedAt };
  }

  /** How the named version stands at `at`: still the one in force, or superseded. */
  async standing(ref: ScopeDocumentRef | null | undefined, at: string): Promise<ScopeDocumentStanding | null> {
    if (ref === null || ref === undefined) return null;
    const d = await this.documents.state(ref.documentId, at);
    const inForce = d === null ? null : (versionInForceAt(d, at)?.version ?? null);
    return { ...ref, versionInForce: inForce, current: inForce === ref.version };
  }
}
