import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

const ENCODINGS = ['base64', 'hex'] as const;
const FORMATS = ['note', 'json'] as const;

export class HashEncodingQueryDto {
  @ApiPropertyOptional({ enum: ENCODINGS, default: 'base64', description: 'How hashes are written: base64 (as in checkpoints) or hex.' })
  @IsOptional()
  @IsIn(ENCODINGS)
  encoding?: (typeof ENCODINGS)[number];
}

export class CheckpointFormatQueryDto {
  @ApiPropertyOptional({
    enum: FORMATS,
    default: 'note',
    description: 'note: the signed note as text/plain, as a C2SP log serves it; json: the same with its parsed fields.',
  })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];
}

export class CheckpointSizeParamsDto {
  @ApiProperty({ minimum: 0, description: 'The tree size the checkpoint signs.' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  size!: number;
}

export class InclusionQueryDto extends HashEncodingQueryDto {
  @ApiPropertyOptional({ description: 'The event to prove (give this or position).', example: '3f0c9a52-7d1e-4b8a-9c61-2e5f7a8b9c0d' })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'eventId must be 1 to 200 printable ASCII characters' })
  eventId?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'The global position of the event to prove (give this or eventId).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  position?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'The tree to prove it in (default: the latest checkpoint’s size, else the whole tree).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  treeSize?: number;
}

export class ConsistencyQueryDto extends HashEncodingQueryDto {
  @ApiProperty({ minimum: 0, description: 'The smaller tree size.' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  first!: number;

  @ApiPropertyOptional({ minimum: 0, description: 'The larger tree size (default: the latest checkpoint’s size, else the whole tree).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  second?: number;
}

export class CheckpointDto {
  @ApiProperty() id!: number;
  @ApiProperty() origin!: string;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'Root hash, in the encoding asked (base64 by default).' }) rootHash!: string;
  @ApiProperty({ description: 'The name of the key that signed it.' }) keyName!: string;
  @ApiProperty({ description: 'When it was stored (ISO-8601).' }) signedAt!: string;
  @ApiProperty({ description: 'The signed note itself, byte for byte (C2SP tlog-checkpoint in a signed-note).' }) note!: string;
}

export class CosignatureDto {
  @ApiProperty({ description: 'The witness key name.' }) witness!: string;
  @ApiProperty({ description: 'Its key ID (C2SP tlog-cosignature).' }) keyId!: number;
  @ApiProperty({ description: 'When the witness cosigned (POSIX seconds).' }) timestamp!: number;
  @ApiProperty({ description: 'The signature line as it stands under the checkpoint.' }) line!: string;
}

export class CheckpointWithCosignaturesDto extends CheckpointDto {
  @ApiProperty({ type: [CosignatureDto], description: 'Witness cosignatures stored for it (their lines are also in note).' })
  cosignatures!: CosignatureDto[];
}

export class AddCosignatureDto {
  @ApiProperty({
    description: 'One cosignature/v1 signature line from a configured witness: "— <witness name> base64(key ID ‖ timestamp ‖ signature)".',
  })
  @IsString()
  @MaxLength(1000)
  cosignature!: string;
}

export class CosignatureAddedDto {
  @ApiProperty() treeSize!: number;
  @ApiProperty({ type: CosignatureDto }) cosignature!: CosignatureDto;
  @ApiProperty({ description: 'true when this line was stored already (nothing was written).' }) alreadyStored!: boolean;
}

export class CheckpointPageDto {
  @ApiProperty({ type: [CheckpointDto] }) items!: CheckpointDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class InclusionProofDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ description: '0-based leaf index (position − 1).' }) leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ enum: ENCODINGS }) encoding!: string;
  @ApiProperty({ description: 'SHA-256(0x00 ‖ the event’s export line without its line feed).' }) leafHash!: string;
  @ApiProperty({ description: 'Root of the tree of treeSize events.' }) rootHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 6962 audit path, leaf side first.' }) auditPath!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The stored signed checkpoint of treeSize, when there is one.' })
  checkpoint!: string | null;
}

export class ConsistencyProofDto {
  @ApiProperty() first!: number;
  @ApiProperty() second!: number;
  @ApiProperty({ enum: ENCODINGS }) encoding!: string;
  @ApiProperty() firstRootHash!: string;
  @ApiProperty() secondRootHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 6962 consistency proof.' }) proof!: string[];
  @ApiProperty({ type: String, nullable: true }) firstCheckpoint!: string | null;
  @ApiProperty({ type: String, nullable: true }) secondCheckpoint!: string | null;
}
