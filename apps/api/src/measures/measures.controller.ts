/** Performance evaluation (9.1) over HTTP: every measure as of a date, with its trend. Read-only. */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { parseAsOf } from '../common/ids';
import { invalidField } from '../common/problems';
import { MeasuresDto, MeasuresQueryDto } from './measures.dto';
import { MeasuresReader } from './measures.reader';

/** The instant a validated asOf names; an evidence position is refused (the figures are for a date). */
export function measuresInstant(asOf: string | undefined): string {
  if (asOf === undefined) return new Date().toISOString();
  const parsed = parseAsOf(asOf);
  if (parsed === null || !('time' in parsed))
    throw invalidField('asOf', 'measures are asked for as of a date or time, not an evidence position');
  return parsed.time;
}

@ApiTags('measures')
@Controller('v1/measures')
export class MeasuresController {
  constructor(private readonly reader: MeasuresReader) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Every AIMS measure as of a date (default now), computed from the evidence, with its trend over the last N measurements',
  })
  @ApiOkResponse({ type: MeasuresDto })
  @ApiBadRequestResponse({ description: 'asOf is not a date or time, or last is out of range (problem+json)' })
  measures(@Query() q: MeasuresQueryDto): Promise<MeasuresDto> {
    return this.reader.asOf(measuresInstant(q.asOf), q.last ?? 5);
  }
}
