import { ValidationError, ValidationPipe } from '@nestjs/common';
import { validationFailed, type FieldErrors } from './problems';

/** Every failing field of a validated body, nested ones by their path (`provider.kind`, `metrics.0.value`). */
export function fieldErrorsOf(errors: ValidationError[], prefix = ''): FieldErrors {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}

/** Strict input: unknown fields are rejected, types are converted, and every failing field is named. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed(fieldErrorsOf(errors)),
  });
}
