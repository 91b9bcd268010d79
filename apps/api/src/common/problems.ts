import { BadRequestException, NotFoundException } from '@nestjs/common';

/** A 400 problem naming the field at fault, in the same shape as validation failures. */
export function invalidField(field: string, message: string): BadRequestException {
  return new BadRequestException({
    type: 'urn:aims:problem:validation-failed',
    title: 'Bad Request',
    status: 400,
    detail: `${field}: ${message}`,
    errors: [{ field, messages: [message] }],
  });
}

export function notFound(what: string, id: string, qualifier = ''): NotFoundException {
  return new NotFoundException({ type: 'urn:aims:problem:not-found', title: 'Not Found', status: 404, detail: `There is no ${what} ${id}${qualifier}.` });
}
