import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { AimsConfig } from '../../../../infra/config/config';
import { CosignatureError } from '../../../../infra/event-store/cosignature';
import { addWitnessCosignature, CheckpointNotFoundError, loadWitnesses } from '../../../../infra/event-store/witness-cosignatures';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { Roles } from '../auth/roles.decorator';
import { problem } from '../common/problems';
import { EVENT_STORE } from '../stores/store.tokens';
import { AIMS_CONFIG } from '../temporal-client.provider';
import { AddCosignatureDto, CheckpointSizeParamsDto, CosignatureAddedDto } from './evidence-proofs.dto';

/**
 * Witnesses' cosignatures of checkpoints (C2SP tlog-cosignature; docs/evidence-format.md §11). The operator
 * relays what a witness returned; the cosignature itself is what is trusted, so it is verified against the
 * stored checkpoint and AIMS_WITNESS_KEYS before it is stored (append-only).
 */
@ApiTags('evidence')
@Controller('v1/evidence/checkpoints')
@Roles('aims_owner', 'admin')
export class WitnessController {
  private readonly witnesses;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AIMS_CONFIG) config: AimsConfig,
  ) {
    this.witnesses = loadWitnesses(config.checkpoints);
  }

  @Post(':size/cosignatures')
  @ApiOperation({ summary: 'Add a witness’s cosignature of the checkpoint of a tree size, once verified' })
  @ApiCreatedResponse({ type: CosignatureAddedDto, description: 'Stored (or already stored: alreadyStored)' })
  @ApiNotFoundResponse({ description: 'No checkpoint of that size is stored (problem+json, CHECKPOINT_NOT_FOUND)' })
  @ApiUnprocessableEntityResponse({
    description:
      'Refused, nothing stored (problem+json): COSIGNATURE_UNKNOWN_WITNESS (not a key of AIMS_WITNESS_KEYS), COSIGNATURE_INVALID (does not verify over this checkpoint), COSIGNATURE_IN_FUTURE',
  })
  async add(@Param() params: CheckpointSizeParamsDto, @Body() body: AddCosignatureDto): Promise<CosignatureAddedDto> {
    try {
      const { cosignature, alreadyStored } = await addWitnessCosignature(this.store, this.witnesses, params.size, body.cosignature);
      const { witness, keyId, timestamp, line } = cosignature;
      return { treeSize: params.size, cosignature: { witness, keyId, timestamp, line }, alreadyStored };
    } catch (error) {
      if (error instanceof CheckpointNotFoundError) throw problem(404, error.code, `No checkpoint of tree size ${params.size} is stored.`);
      if (error instanceof CosignatureError) throw problem(error.code === 'COSIGNATURE_MALFORMED' ? 400 : 422, error.code, error.message);
      throw error;
    }
  }
}
