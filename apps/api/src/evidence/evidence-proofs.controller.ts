import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { proveConsistency, proveInclusion } from '../../../../infra/event-store/evidence-proofs';
import type { EventStore, StoredCheckpoint } from '../../../../infra/ports/event-store.port';
import { AUDIT_READERS, Roles } from '../auth/roles.decorator';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination';
import { invalidField, problem, validationFailed } from '../common/problems';
import { EVENT_STORE } from '../stores/store.tokens';
import { asProofProblem, checkpointJson, consistencyJson, inclusionJson, sendNote, SHORT_CACHE } from './evidence-answers';
import {
  CheckpointWithCosignaturesDto,
  CheckpointFormatQueryDto,
  CheckpointPageDto,
  CheckpointSizeParamsDto,
  ConsistencyProofDto,
  ConsistencyQueryDto,
  InclusionProofDto,
  InclusionQueryDto,
} from './evidence-proofs.dto';

const NOTE_OR_JSON = {
  description: 'format=note (default): the signed note, text/plain; format=json: the same with its fields and cosignatures',
  content: {
    'text/plain': { schema: { type: 'string' } },
    'application/json': { schema: { $ref: getSchemaPath(CheckpointWithCosignaturesDto) } },
  },
};

/** Signed checkpoints and Merkle proofs of the evidence (docs/evidence-format.md §9): read-only, for auditors. */
@ApiTags('evidence')
@ApiExtraModels(CheckpointWithCosignaturesDto)
@Controller('v1/evidence')
@Roles(...AUDIT_READERS)
export class EvidenceProofsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('checkpoint')
  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint in a signed-note)' })
  @ApiProduces('text/plain', 'application/json')
  @ApiOkResponse(NOTE_OR_JSON)
  @ApiNotFoundResponse({ description: 'No checkpoint has been signed yet (problem+json)' })
  async latest(
    @Query() query: CheckpointFormatQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckpointWithCosignaturesDto | string> {
    const checkpoint = await this.store.latestCheckpoint();
    if (!checkpoint) throw problem(404, 'CHECKPOINT_NOT_FOUND', 'No checkpoint has been signed yet (aims evidence checkpoint).');
    return this.answer(checkpoint, query, res, SHORT_CACHE);
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'Every stored checkpoint, newest first, paged' })
  @ApiOkResponse({ type: CheckpointPageDto })
  async list(@Query() query: PageQueryDto): Promise<CheckpointPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const items: StoredCheckpoint[] = [];
    for await (const c of this.store.listCheckpoints({ direction: 'backwards', afterId, pageSize: limit + 1, maxCount: limit + 1 })) {
      items.push(c);
    }
    const kept = items.slice(0, limit);
    const next = items.length > limit ? Buffer.from(JSON.stringify({ afterId: kept[kept.length - 1].id })).toString('base64url') : null;
    return { items: kept.map((c) => checkpointJson(c, 'base64')), nextCursor: next };
  }

  @Get('checkpoints/:size')
  @ApiOperation({ summary: 'The checkpoint signed for a tree size (the latest stored one of that size)' })
  @ApiProduces('text/plain', 'application/json')
  @ApiOkResponse(NOTE_OR_JSON)
  @ApiNotFoundResponse({ description: 'No checkpoint of that size is stored (problem+json)' })
  async bySize(
    @Param() params: CheckpointSizeParamsDto,
    @Query() query: CheckpointFormatQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckpointWithCosignaturesDto | string> {
    const checkpoint = await this.store.checkpoint({ treeSize: params.size });
    if (!checkpoint) throw problem(404, 'CHECKPOINT_NOT_FOUND', `No checkpoint of tree size ${params.size} is stored.`);
    // Not immutable: witnesses' cosignatures are added under a checkpoint after it is signed.
    return this.answer(checkpoint, query, res, SHORT_CACHE);
  }

  @Get('proofs/inclusion')
  @ApiOperation({ summary: 'RFC 6962 inclusion proof of an event (by id or position) in a tree size, with its checkpoint' })
  @ApiOkResponse({ type: InclusionProofDto })
  @ApiNotFoundResponse({ description: 'No such event (problem+json, code EVENT_NOT_FOUND)' })
  async inclusion(@Query() query: InclusionQueryDto): Promise<InclusionProofDto> {
    if ((query.eventId === undefined) === (query.position === undefined)) {
      throw validationFailed([
        { field: 'eventId', messages: ['give eventId or position, not both'] },
        { field: 'position', messages: ['give eventId or position, not both'] },
      ]);
    }
    const target = query.eventId !== undefined ? { eventId: query.eventId } : { position: query.position as number };
    const answer = await proveInclusion(this.store, target, query.treeSize).catch(asProofProblem);
    return inclusionJson(answer, query.encoding ?? 'base64');
  }

  @Get('proofs/consistency')
  @ApiOperation({ summary: 'RFC 6962 consistency proof between two tree sizes, with their checkpoints' })
  @ApiOkResponse({ type: ConsistencyProofDto })
  async consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyProofDto> {
    const answer = await proveConsistency(this.store, query.first, query.second).catch(asProofProblem);
    return consistencyJson(answer, query.encoding ?? 'base64');
  }

  private async answer(
    checkpoint: StoredCheckpoint,
    query: CheckpointFormatQueryDto,
    res: Response,
    cache: string,
  ): Promise<CheckpointWithCosignaturesDto | string> {
    const cosignatures = await this.store.cosignatures(checkpoint.id);
    const note = checkpoint.note + cosignatures.map((c) => `${c.line}\n`).join('');
    if (query.format === 'json') {
      res.setHeader('Cache-Control', cache);
      return {
        ...checkpointJson({ ...checkpoint, note }, 'base64'),
        cosignatures: cosignatures.map(({ witness, keyId, timestamp, line }) => ({ witness, keyId, timestamp, line })),
      };
    }
    return sendNote(res, note, cache);
  }
}

function decodeCursor(raw: string): number {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof value.afterId === 'number' && Number.isSafeInteger(value.afterId) && value.afterId >= 0) return value.afterId;
  } catch {
    // reported below
  }
  throw invalidField('cursor', 'is not a nextCursor of this listing');
}
