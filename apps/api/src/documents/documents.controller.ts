/**
 * Controlled documents (7.5, 5.2, 6.3, 7.3) over HTTP: create a document, upload content by digest,
 * submit a version, list (kind, status, owner, due for review, as of a date), one document with its
 * versions, a version's Markdown, content by digest, and the master list of documented information.
 * Review, approval, periodic review and acknowledgement are decided in the task inbox. Who may do each is
 * the domain's (domain/document); the route roles only keep out those who never may.
 */
import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../../../../domain/shared/roles';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { invalidField } from '../common/problems';
import { DocumentProcess } from './document.process';
import { DocumentsReader } from './documents-reader';
import {
  AsOfQueryDto,
  CreateDocumentDto,
  DigestParamsDto,
  DocumentCreatedDto,
  DocumentDto,
  DocumentIdParamsDto,
  DocumentListDto,
  DocumentListQueryDto,
  DocumentStepAnswerDto,
  MasterListDto,
  StoredContentDto,
  SubmitDocumentVersionDto,
} from './documents.dto';

/** Who may write documents of some kind; the domain narrows it by the document's kind. */
const AUTHOR_ROLES = ['aims_owner', 'top_management', 'risk_owner', 'engineer'] as const;

@ApiTags('documents')
@Controller('v1/documents')
export class DocumentsController {
  constructor(
    private readonly reader: DocumentsReader,
    private readonly documents: DocumentProcess,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Controlled documents, filtered by kind, status, owner and whether they are due for review (as of a date)' })
  @ApiOkResponse({ type: DocumentListDto })
  list(@Query() q: DocumentListQueryDto): Promise<DocumentListDto> {
    return this.reader.list(q);
  }

  @Get('master-list')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'The master list of documented information: every published version, current and obsolete, with its approvals' })
  @ApiOkResponse({ type: MasterListDto })
  masterList(@Query() q: AsOfQueryDto): Promise<MasterListDto> {
    return this.reader.masterList(q.asOf);
  }

  @Get('content/:digest')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Content by its SHA-256 digest (Markdown of a version, an attachment), as stored' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The bytes, with the content type they were stored with' })
  @Header('Cache-Control', 'private, max-age=31536000, immutable')
  async content(@Param() p: DigestParamsDto): Promise<StreamableFile> {
    const found = await this.reader.content(p.digest);
    return new StreamableFile(found.bytes, { type: found.contentType, length: found.bytes.byteLength });
  }

  @Post('content')
  @HttpCode(201)
  @Roles(...AUTHOR_ROLES)
  @ApiOperation({
    summary: 'Upload content (raw bytes, its Content-Type) to reference by digest; checked before anything is stored',
    description:
      'Size limit and content-type allow-list are checked first (413, 415); with `digest`, bytes that do not hash to it are refused (422 DIGEST_MISMATCH). Nothing is stored on a refusal.',
  })
  @ApiConsumes('application/pdf', 'text/markdown', 'text/plain', 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'digest', required: false, description: 'The sha256: digest the bytes must have' })
  @ApiCreatedResponse({ type: StoredContentDto })
  @ApiPayloadTooLargeResponse({ description: 'CONTENT_TOO_LARGE' })
  @ApiUnsupportedMediaTypeResponse({ description: 'CONTENT_TYPE_NOT_ALLOWED' })
  upload(@Req() req: Request, @Query('digest') digest?: string): Promise<StoredContentDto> {
    if (!Buffer.isBuffer(req.body)) throw invalidField('body', 'must be the raw bytes, with their Content-Type');
    return this.documents.upload(req.body, req.headers['content-type'] ?? '', typeof digest === 'string' ? digest : undefined);
  }

  @Get(':id')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'One document with every version (current and obsolete), approvals, acknowledgements and reviews (as of a date)',
  })
  @ApiOkResponse({ type: DocumentDto })
  get(@Param() p: DocumentIdParamsDto, @Query() q: AsOfQueryDto): Promise<DocumentDto> {
    return this.reader.get(p.id, q.asOf);
  }

  @Post()
  @Roles(...AUTHOR_ROLES)
  @ApiOperation({ summary: 'Create a controlled document (starts document-<id>); its versions follow' })
  @ApiCreatedResponse({ type: DocumentCreatedDto })
  @CommandErrors()
  create(@Acting() by: Actor, @Body() body: CreateDocumentDto): Promise<DocumentCreatedDto> {
    return this.documents.create(by, body);
  }

  @Post(':id/versions')
  @Roles(...AUTHOR_ROLES)
  @ApiOperation({
    summary: 'Submit a version (Markdown and/or attachments by digest, a change summary; reason and consequences for a planned change)',
    description: 'Opens its review in the task inbox. A version the rules refuse stores nothing, its Markdown included.',
  })
  @ApiCreatedResponse({ type: DocumentStepAnswerDto })
  @CommandErrors()
  submit(@Acting() by: Actor, @Param() p: DocumentIdParamsDto, @Body() body: SubmitDocumentVersionDto): Promise<DocumentStepAnswerDto> {
    return this.documents.submit(p.id, by, body);
  }
}
