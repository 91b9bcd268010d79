import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { AimsConfig } from '../../../../infra/config/config';
import { verifyEvidence } from '../../../../infra/event-store/evidence-checkpoints';
import type { EventStore, VerifyReport } from '../../../../infra/ports/event-store.port';
import { AUDIT_READERS, ReadsOnly, Roles } from '../auth/roles.decorator';
import { parseAsOf } from '../common/ids';
import { DEFAULT_PAGE_LIMIT } from '../common/pagination';
import { invalidField, notFound } from '../common/problems';
import { EVENT_STORE } from '../stores/store.tokens';
import { ConcurrencyLimit, tooManyRequests, VERIFY_LIMIT } from '../edge/throttling';
import { AIMS_CONFIG } from '../temporal-client.provider';
import {
  AuditEventsQueryDto,
  EvidencePageDto,
  StreamHistoryDto,
  StreamHistoryQueryDto,
  StreamParamsDto,
  VerifyChainDto,
  VerifyReportDto,
} from './audit.dto';
import { asBadRequest, EvidenceReader } from './evidence-reader';

/** The audit trail itself (clause 9.2 internal audit, 7.5 documented information): read-only. */
@ApiTags('audit')
@Controller('v1/audit')
@Roles(...AUDIT_READERS)
export class AuditController {
  constructor(
    private readonly evidence: EvidenceReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VERIFY_LIMIT) private readonly verifications: ConcurrencyLimit,
    @Inject(AIMS_CONFIG) private readonly config: AimsConfig,
  ) {}

  @Get('events')
  @ApiOperation({ summary: 'Evidence across streams, in global order, with filters and as-of' })
  @ApiOkResponse({ type: EvidencePageDto })
  async events(@Query() query: AuditEventsQueryDto): Promise<EvidencePageDto> {
    if (query.control !== undefined && query.clause !== undefined) throw invalidField('clause', 'give control or clause, not both');
    return this.evidence
      .events({
        categories: query.category,
        types: query.type,
        reference: query.control ?? query.clause,
        stream: query.stream,
        fromPosition: query.fromPosition,
        asOf: query.asOf === undefined ? undefined : (parseAsOf(query.asOf) ?? undefined),
        limit: query.limit ?? DEFAULT_PAGE_LIMIT,
        cursor: query.cursor,
      })
      .catch(asBadRequest);
  }

  @Get('streams/:stream')
  @ApiOperation({ summary: "A stream's history, optionally as it was at a position or time" })
  @ApiOkResponse({ type: StreamHistoryDto })
  async stream(@Param() params: StreamParamsDto, @Query() query: StreamHistoryQueryDto): Promise<StreamHistoryDto> {
    return streamHistory(this.evidence, params.stream, query, 'stream');
  }

  @Post('verify')
  @HttpCode(200)
  @ReadsOnly()
  @ApiOperation({
    summary:
      'Recompute the hash chain (optionally a range, or against an anchor noted earlier) and report; without an anchor, from position 1, against the latest signed checkpoint when one is stored and a verifier key is configured',
  })
  @ApiOkResponse({ type: VerifyReportDto, description: 'The report: intact, or the first broken position and why' })
  @ApiTooManyRequestsResponse({
    description:
      'As many verifications as AIMS_VERIFY_MAX_CONCURRENT allows are running (each reads and hashes the chain), or too many failed authentications from this address: problem+json, with Retry-After in seconds',
  })
  async verify(@Body() body: VerifyChainDto): Promise<VerifyReport> {
    const ran = await this.verifications.tryRun(() =>
      verifyEvidence(this.store, this.config.checkpoints, {
        fromPosition: body.fromPosition,
        toPosition: body.toPosition,
        anchor: body.anchor ? { position: body.anchor.position, hash: body.anchor.hash } : undefined,
      }).catch(asBadRequest),
    );
    if (ran === null) {
      throw tooManyRequests('VERIFY_BUSY', `${this.verifications.max} verification(s) of the chain are running; try again shortly.`, 5);
    }
    return ran.value;
  }
}

/** A stream's history page, 404 when the stream had no events at that point. */
export async function streamHistory(
  evidence: EvidenceReader,
  stream: string,
  query: StreamHistoryQueryDto,
  what: string,
  id = stream,
): Promise<StreamHistoryDto> {
  const asOf = query.asOf === undefined ? undefined : (parseAsOf(query.asOf) ?? undefined);
  const revision = await evidence.streamRevision(stream, asOf).catch(asBadRequest);
  if (revision === null) throw notFound(what, id, query.asOf === undefined ? '' : ` as of ${query.asOf}`);
  const page = await evidence
    .streamEvents(stream, { asOf, limit: query.limit ?? DEFAULT_PAGE_LIMIT, cursor: query.cursor })
    .catch(asBadRequest);
  return { stream, asOf: query.asOf ?? null, revision, ...page };
}
