/** Typed errors of the read-model store and projector. */

/** The stored checkpoint is not where this projector left it: the projections were reset (rebuild). */
export class ProjectionCheckpointMovedError extends Error {
  readonly code = 'projection-checkpoint-moved' as const;
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the projection checkpoint is ${actual}, not ${expected}: the projections were reset; resuming from the stored checkpoint`);
    this.name = 'ProjectionCheckpointMovedError';
  }
}

/** This projector no longer holds the lease (it expired and another took it, or the connection dropped). */
export class ProjectorLeaseLostError extends Error {
  readonly code = 'projector-lease-lost' as const;
  constructor(readonly holder: string) {
    super(`projector ${holder} no longer holds the projection lease`);
    this.name = 'ProjectorLeaseLostError';
  }
}

/** A query the read model cannot answer as asked (a caller's mistake, e.g. a tampered cursor). */
export class InvalidReadModelQueryError extends Error {
  readonly code = 'invalid-read-model-query' as const;
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'InvalidReadModelQueryError';
  }
}

/** A read-model definition that cannot be stored (bad name, unknown column in an index...). */
export class InvalidReadModelDefinitionError extends Error {
  readonly code = 'invalid-read-model-definition' as const;
  constructor(
    readonly model: string,
    problem: string,
  ) {
    super(`read model ${model}: ${problem}`);
    this.name = 'InvalidReadModelDefinitionError';
  }
}
