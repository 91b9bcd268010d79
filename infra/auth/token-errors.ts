/** Typed refusals of the token store; `code` is stable for callers (CLI exit messages, API problems). */
export abstract class TokenStoreError extends Error {
  abstract readonly code: 'invalid-token-input' | 'token-name-taken' | 'token-not-found';
}

export class InvalidTokenInputError extends TokenStoreError {
  readonly code = 'invalid-token-input' as const;
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly problem: string,
  ) {
    super(`${field} ${problem} (got ${JSON.stringify(value)})`);
    this.name = 'InvalidTokenInputError';
  }
}

export class TokenNameTakenError extends TokenStoreError {
  readonly code = 'token-name-taken' as const;
  constructor(readonly tokenName: string) {
    super(`an active token is already named "${tokenName}"; revoke it first or choose another name`);
    this.name = 'TokenNameTakenError';
  }
}

export class TokenNotFoundError extends TokenStoreError {
  readonly code = 'token-not-found' as const;
  constructor(readonly nameOrId: string) {
    super(`no active token named "${nameOrId}" and no token with that id`);
    this.name = 'TokenNotFoundError';
  }
}
