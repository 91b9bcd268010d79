import { Controller, Get, Inject, Param, Res, StreamableFile } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { parseTilePath, readEntryBundle, readHashTile, TILE_WIDTH, TileRef } from '../../../../infra/event-store/tlog-tiles';
import { noteWithCosignatures } from '../../../../infra/event-store/witness-cosignatures';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { AUDIT_READERS, PublicWhen, Roles } from '../auth/roles.decorator';
import { problem } from '../common/problems';
import { EVENT_STORE } from '../stores/store.tokens';
import { asProofProblem, IMMUTABLE_CACHE, sendNote, SHORT_CACHE } from './evidence-answers';

const BINARY = { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
const TILE_PATH = {
  name: 'path',
  description:
    'C2SP tlog-tiles path after tile/ (or tile/entries/): <N> in 3-digit groups, "x"-prefixed but the last, then .p/<W> for a partial tile',
  example: 'x001/x234/067.p/5',
};
/** Hash tiles and the checkpoint are public when AIMS_EVIDENCE_TLOG_PUBLIC=true (docs/evidence-format.md §10). */
const TLOG_PUBLIC = PublicWhen((config) => config.checkpoints.tlogPublic === true);

/**
 * The evidence tree as a read-only C2SP tlog-tiles log (https://c2sp.org/tlog-tiles), at the prefix
 * /v1/evidence/tlog: any tlog client computes its own proofs from these static resources.
 */
@ApiTags('evidence')
@Controller('v1/evidence/tlog')
@Roles(...AUDIT_READERS)
export class TlogController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('checkpoint')
  @TLOG_PUBLIC
  @ApiOperation({ summary: 'The latest signed checkpoint, text/plain (C2SP tlog-tiles <prefix>/checkpoint)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The signed note', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'No checkpoint has been signed yet (problem+json)' })
  async checkpoint(@Res({ passthrough: true }) res: Response): Promise<string> {
    const checkpoint = await this.store.latestCheckpoint();
    if (!checkpoint) throw problem(404, 'CHECKPOINT_NOT_FOUND', 'No checkpoint has been signed yet (aims evidence checkpoint).');
    return sendNote(res, await noteWithCosignatures(this.store, checkpoint), SHORT_CACHE);
  }

  // Declared before tile/*path so that Express matches it first: entry bundles hold the events themselves.
  @Get('tile/entries/*path')
  @ApiOperation({ summary: 'An entry bundle: each event’s export line, uint16 length-prefixed (auditors only, never public)' })
  @ApiParam(TILE_PATH)
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The bundle', ...BINARY })
  @ApiNotFoundResponse({ description: 'The tree does not reach that bundle yet (problem+json, TILE_NOT_FOUND)' })
  @ApiUnprocessableEntityResponse({ description: 'An event in it is over 65535 bytes (problem+json, TILE_ENTRY_TOO_LARGE)' })
  async entries(@Param('path') path: string | string[], @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const ref = this.ref(`entries/${joined(path)}`);
    return binary(res, ref, await readEntryBundle(this.store, ref).catch(asProofProblem));
  }

  @Get('tile/*path')
  @TLOG_PUBLIC
  @ApiOperation({ summary: 'A hash tile: 256 (or W) consecutive subtree hashes at level 8·L' })
  @ApiParam({ ...TILE_PATH, description: `<L>/ then ${TILE_PATH.description}`, example: '0/x001/x234/067' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The tile', ...BINARY })
  @ApiNotFoundResponse({ description: 'The tree does not reach that tile yet (problem+json, TILE_NOT_FOUND)' })
  async tile(@Param('path') path: string | string[], @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const ref = this.ref(joined(path));
    return binary(res, ref, await readHashTile(this.store, ref).catch(asProofProblem));
  }

  private ref(path: string): TileRef {
    try {
      return parseTilePath(path);
    } catch (error) {
      return asProofProblem(error);
    }
  }
}

/** Express 5 hands a wildcard's segments as a list. */
function joined(path: string | string[]): string {
  return Array.isArray(path) ? path.join('/') : path;
}

function binary(res: Response, ref: TileRef, bytes: Buffer): StreamableFile {
  // A full tile never changes; a partial one is replaced by wider ones as the log grows.
  res.setHeader('Cache-Control', ref.width === TILE_WIDTH ? IMMUTABLE_CACHE : SHORT_CACHE);
  return new StreamableFile(bytes, { type: 'application/octet-stream', length: bytes.length });
}
