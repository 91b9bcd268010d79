/**
 * Well-formed Unicode at the edge (issue 11, finding 9): a body, path parameter or query value holding a
 * lone surrogate (JSON `"\ud800"`) is refused with 400 naming the field, before validation and before any
 * process sees it. Such text passes "not blank" checks but cannot be stored as UTF-8; it once took an AI
 * system's id for good (registration started, its first evidence failed, and the id can never be reused).
 * A global pipe, so it runs after the AuthGuard: strangers still learn nothing from input checks.
 * (Header values cannot hold surrogates: Node reads them as Latin-1.)
 */
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { firstMalformedText } from '../../../../domain/shared/well-formed-text';
import { invalidField } from '../common/problems';

@Injectable()
export class WellFormedTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'param' && metadata.type !== 'query') return value;
    // A whole body / params / query object names its fields; a single @Param('id') is named by its key.
    const field = firstMalformedText(value, metadata.data ?? '');
    if (field !== null) {
      throw invalidField(field === '' ? metadata.type : field, 'must be well-formed Unicode text (it holds a lone surrogate)');
    }
    return value;
  }
}
