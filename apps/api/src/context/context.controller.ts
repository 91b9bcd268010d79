/**
 * The context of the organisation (4.1, 4.2) over HTTP: the registers of issues, interested parties and
 * obligations (as of any instant or position), each entry recorded, revised against its version, reviewed
 * and retired; and the changes since a position or a date, for the management review. Who may change them is
 * the domain's (domain/aims-context); the route roles only keep out those who never may.
 */
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CONTEXT_EDITOR_ROLES } from '../../../../domain/aims-context/model';
import type { Actor } from '../../../../domain/shared/roles';
import { CommandErrors } from '../ai-systems/ai-system-commands.controller';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import {
  ContextChangesDto,
  ContextChangesQueryDto,
  ContextEntryDto,
  ContextListDto,
  ContextListQueryDto,
  ContextRevisionDto,
  ContextStepAnswerDto,
  EntryParamsDto,
  REGISTER_PATHS,
  RegisterParamsDto,
  RetireContextEntryDto,
  ReviewContextEntryDto,
} from './context.dto';
import { ContextProcess } from './context.process';
import { ContextReader } from './context-reader';

@ApiTags('context')
@Controller('v1/context')
export class ContextController {
  constructor(
    private readonly reader: ContextReader,
    private readonly context: ContextProcess,
  ) {}

  @Get('changes')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Every change to the registers since an evidence position or a date (the management review input)' })
  @ApiOkResponse({ type: ContextChangesDto })
  changes(@Query() q: ContextChangesQueryDto): Promise<ContextChangesDto> {
    return this.reader.changesSince(q.since);
  }

  @Get(':register')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'A register (issues, interested-parties, obligations) as of an instant, date or position, each entry with its review date; dueForReview=true: only those due for review',
  })
  @ApiOkResponse({ type: ContextListDto })
  list(@Param() p: RegisterParamsDto, @Query() q: ContextListQueryDto): Promise<ContextListDto> {
    return this.reader.list(REGISTER_PATHS[p.register], q.asOf, q.includeRetired === true, q.dueForReview);
  }

  @Post(':register')
  @Roles(...CONTEXT_EDITOR_ROLES)
  @ApiOperation({ summary: 'Record a new entry of a register, with its owner and review date' })
  @ApiCreatedResponse({ type: ContextStepAnswerDto })
  @CommandErrors()
  record(@Acting() by: Actor, @Param() p: RegisterParamsDto, @Body() body: ContextEntryDto): Promise<ContextStepAnswerDto> {
    return this.context.record(body.toInput(by, REGISTER_PATHS[p.register]));
  }

  @Post(':register/:entryId/versions')
  @Roles(...CONTEXT_EDITOR_ROLES)
  @ApiOperation({ summary: 'Revise an entry: its next version, made against the version read (409 CONTEXT_ENTRY_CHANGED otherwise)' })
  @ApiCreatedResponse({ type: ContextStepAnswerDto })
  @CommandErrors()
  revise(@Acting() by: Actor, @Param() p: EntryParamsDto, @Body() body: ContextRevisionDto): Promise<ContextStepAnswerDto> {
    const { expectedVersion } = body;
    return this.context.record(body.toInput(by, REGISTER_PATHS[p.register], { entryId: p.entryId, expectedVersion }));
  }

  @Post(':register/:entryId/reviews')
  @Roles(...CONTEXT_EDITOR_ROLES)
  @ApiOperation({ summary: 'Confirm an entry still holds, with the next review date' })
  @ApiCreatedResponse({ type: ContextStepAnswerDto })
  @CommandErrors()
  review(@Acting() by: Actor, @Param() p: EntryParamsDto, @Body() body: ReviewContextEntryDto): Promise<ContextStepAnswerDto> {
    return this.context.review({ by, entryId: p.entryId, reviewBy: body.reviewBy, note: body.note });
  }

  @Post(':register/:entryId/retirement')
  @Roles(...CONTEXT_EDITOR_ROLES)
  @ApiOperation({ summary: 'Retire an entry that no longer applies (kept in the record)' })
  @ApiCreatedResponse({ type: ContextStepAnswerDto })
  @CommandErrors()
  retire(@Acting() by: Actor, @Param() p: EntryParamsDto, @Body() body: RetireContextEntryDto): Promise<ContextStepAnswerDto> {
    return this.context.retire({ by, entryId: p.entryId, reason: body.reason });
  }
}
