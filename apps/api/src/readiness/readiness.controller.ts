/**
 * Certification readiness (issue 17 item 5): what a certification auditor will ask for at Stage 1 or Stage 2,
 * checked against the evidence as of a date; each gap names where, what and the clause. Read-only.
 */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ReadinessDto, ReadinessQueryDto } from './readiness.dto';
import { ReadinessReader } from './readiness-reader';

@ApiTags('readiness')
@Controller('v1/readiness')
export class ReadinessController {
  constructor(private readonly reader: ReadinessReader) {}

  @Get()
  @Roles('auditor', 'internal_auditor', 'aims_owner', 'top_management')
  @ApiOperation({
    summary: 'Certification readiness at Stage 1 or 2 as of a date: every check met or each gap with where, what and the clause',
  })
  @ApiOkResponse({ type: ReadinessDto, description: 'The checks (200 whether ready or not: `ready` says which)' })
  check(@Query() query: ReadinessQueryDto): Promise<ReadinessDto> {
    return this.reader.check(query);
  }
}
