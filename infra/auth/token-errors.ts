/** Typed refusals of the token store; `code` is stable for callers (CLI exit messages, API problems). */
export abstract class TokenStoreError extends Error {
  abstract readonly code: 'invalid-token-input' | 'token-name-taken' | 'token-not-found' | 'token-name-ambiguous';
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

/**
 * A name names one person forever: once issued (whether that token is now active, revoked or expired) it
 * is not issued again, or a newcomer would inherit someone else's history and segregation of duties.
 */
export class TokenNameTakenError extends TokenStoreError {
  readonly code = 'token-name-taken' as const;
  constructor(
    readonly tokenName: string,
    readonly existingIds: readonly string[] = [],
  ) {
    super(
      `the name "${tokenName}" was already issued${existingIds.length ? ` (token ${existingIds.join(', ')})` : ''}: a name is one person's ` +
        `for good. Choose another name, or replace that person's active token with: aims tokens rotate ${tokenName}`,
    );
    this.name = 'TokenNameTakenError';
  }
}

/** A name that (from before names were normalised) has several active tokens: revoke by id. */
export class TokenNameAmbiguousError extends TokenStoreError {
  readonly code = 'token-name-ambiguous' as const;
  constructor(
    readonly tokenName: string,
    readonly ids: readonly string[],
  ) {
    super(`several active tokens are named "${tokenName}" (ids ${ids.join(', ')}): name one by its id`);
    this.name = 'TokenNameAmbiguousError';
  }
}

export class TokenNotFoundError extends TokenStoreError {
  readonly code = 'token-not-found' as const;
  constructor(readonly nameOrId: string) {
    super(`no token with the id "${nameOrId}" and no active token named so`);
    this.name = 'TokenNotFoundError';
  }
}
