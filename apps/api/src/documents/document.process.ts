/**
 * The API's side of the `document` workflow (one per document, `document-<id>`): creating a document
 * starts it (after the domain's own `decide` accepted the creation, so bad input starts nothing); a
 * version's content is checked by the domain against the document as its evidence stands, then stored by
 * digest in the content store, then submitted: a refused version stores nothing. Decisions and
 * acknowledgements are Updates sent from the task inbox.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import { decide, documentWorkflowId, type DocumentAttachment } from '../../../../domain/document';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { Actor } from '../../../../domain/shared/roles';
import { ContentRefusedError, sha256Digest } from '../../../../infra/content-store/content-rules';
import type { ContentStore, StoredContent } from '../../../../infra/ports/content-store.port';
import {
  acknowledgeDocumentUpdate,
  decideDocumentTaskUpdate,
  submitDocumentVersionUpdate,
  type DocumentStepResult,
  type DocumentWorkflowInput,
  type SubmitDocumentVersionInput,
} from '../../../../workflows/document.messages';
import { CommandSender, type ProcessAddress, type Started } from '../common/command-sender';
import { refusalProblem, type RefusalContext } from '../common/problem-mapper';
import { problem } from '../common/problems';
import { CONTENT_STORE } from '../stores/store.tokens';
import { DocumentsReader, documentView } from './documents-reader';
import type { CreateDocumentDto, DocumentStepAnswerDto, SubmitDocumentVersionDto } from './documents.dto';

const CONTENT_STATUS: Record<ContentRefusedError['code'], number> = {
  CONTENT_TOO_LARGE: 413,
  CONTENT_TYPE_NOT_ALLOWED: 415,
  DIGEST_MISMATCH: 422,
  INVALID_DIGEST: 400,
  CONTENT_EMPTY: 400,
};

/** A content refusal as problem+json: nothing was stored. */
export function contentProblem(error: unknown): unknown {
  if (!(error instanceof ContentRefusedError)) return error;
  return problem(CONTENT_STATUS[error.code], error.code, error.message, { details: error.details });
}

@Injectable()
export class DocumentProcess {
  constructor(
    private readonly sender: CommandSender,
    private readonly reader: DocumentsReader,
    @Inject(CONTENT_STORE) private readonly contents: ContentStore,
  ) {}

  address(documentId: string): ProcessAddress {
    return {
      workflowId: documentWorkflowId(documentId),
      evidencePath: `/v1/audit/streams/${documentWorkflowId(documentId)}`,
      notRunning: () =>
        Promise.resolve(problem(404, 'DOCUMENT_NOT_CREATED', `There is no document ${documentId}.`, { details: { documentId } })),
    };
  }

  async create(by: Actor, body: CreateDocumentDto): Promise<Started & { documentId: string }> {
    const input: DocumentWorkflowInput = {
      documentId: body.documentId,
      kind: body.kind,
      title: body.title,
      owner: body.owner,
      classification: body.classification,
      retention: body.retention,
      acknowledgementRoles: body.acknowledgementRoles ?? [],
      reviewInterval: body.reviewInterval ?? null,
      decisionTime: body.decisionTime ?? null,
      acknowledgementTime: body.acknowledgementTime ?? null,
      by,
    };
    const decided = decide({ type: 'CreateDocument', ...input, by, at: new Date().toISOString() }, null);
    if (!decided.ok) throw refusalProblem(decided.error);
    const started = await this.sender.start({
      workflowType: 'document',
      to: this.address(body.documentId),
      args: [input],
      stream: documentWorkflowId(body.documentId),
      alreadyStarted: () =>
        problem(409, 'DOCUMENT_EXISTS', `Document ${body.documentId} already exists`, { details: { documentId: body.documentId } }),
    });
    return { documentId: body.documentId, ...started };
  }

  /** Stores raw bytes by digest (checked first: size, type, a claimed digest); nothing is stored on refusal. */
  async upload(bytes: Buffer, contentType: string, claimed: string | undefined): Promise<StoredContent & { created: boolean }> {
    return this.contents.put({ bytes, contentType, ...(claimed === undefined ? {} : { digest: claimed }) }).catch((e: unknown) => {
      throw contentProblem(e);
    });
  }

  async submit(documentId: string, by: Actor, body: SubmitDocumentVersionDto): Promise<DocumentStepAnswerDto> {
    const markdown = body.markdown ?? null;
    const attachments: DocumentAttachment[] = [];
    for (const [i, a] of (body.attachments ?? []).entries()) {
      const stored = await this.contents.head(a.digest);
      if (stored === null)
        throw problem(
          422,
          'CONTENT_NOT_STORED',
          `attachments[${i}]: no content has the digest ${a.digest}; upload it first (POST /v1/documents/content).`,
          {
            details: { digest: a.digest },
          },
        );
      attachments.push({ name: a.name, digest: a.digest, contentType: stored.contentType, size: stored.size });
    }
    const markdownBytes = markdown === null ? null : Buffer.from(markdown, 'utf8');
    const input: SubmitDocumentVersionInput = {
      by,
      markdown,
      markdownDigest: markdownBytes === null ? null : sha256Digest(markdownBytes),
      attachments,
      changeSummary: body.changeSummary,
      change: body.change ?? null,
    };
    // The domain judges the version against the document as its evidence stands before any byte is stored.
    const current = await this.reader.state(documentId);
    if (current === null) throw problem(404, 'DOCUMENT_NOT_CREATED', `There is no document ${documentId}.`, { details: { documentId } });
    const version = current.versions.length + 1;
    const decided = decide(
      { type: 'SubmitDocumentVersion', version, reviewTaskId: 'pending', ...input, at: new Date().toISOString() },
      current,
    );
    if (!decided.ok) throw refusalProblem(decided.error);
    if (markdownBytes !== null) await this.upload(markdownBytes, 'text/markdown', input.markdownDigest ?? undefined);
    return this.send(documentId, submitDocumentVersionUpdate, input);
  }

  decideTask(
    documentId: string,
    by: Actor,
    taskId: string,
    outcome: HumanTaskOutcome,
    reasons: string[],
    note: string | null,
  ): Promise<DocumentStepAnswerDto> {
    return this.send(documentId, decideDocumentTaskUpdate, { by, taskId, outcome, reasons, note }, { notFound: ['HUMAN_TASK_UNKNOWN'] });
  }

  acknowledge(documentId: string, by: Actor, taskId: string): Promise<DocumentStepAnswerDto> {
    return this.send(documentId, acknowledgeDocumentUpdate, { by, taskId }, { notFound: ['HUMAN_TASK_UNKNOWN'] });
  }

  private async send<A>(
    documentId: string,
    update: UpdateDefinition<DocumentStepResult, [A]>,
    arg: A,
    context: RefusalContext = {},
  ): Promise<DocumentStepAnswerDto> {
    const answer = await this.sender.update(this.address(documentId), update, arg, context);
    return { ...answer, document: documentView(answer.document, new Date().toISOString()) };
  }
}
