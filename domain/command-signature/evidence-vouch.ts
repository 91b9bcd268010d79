import type { JsonObject } from '../shared/json';

/**
 * What vouches for a step that something outside the workflow asked for. The evidence activity checks it
 * before anything is recorded (command-signature.ts): a person's step needs the signature the API
 * put on the Update or start that asked for it; a step one process takes because another acted needs that
 * act's evidence. Steps the workflow takes by itself (timers) need none.
 */
export type EvidenceVouch =
  | {
      kind: 'signed-command';
      workflowId: string;
      /** The Update's name, or `start:<workflowType>`. */
      message: string;
      /** The Update's id, or the workflow id for a start. */
      messageId: string;
      /** The argument as received, with its `signature`. */
      argument: JsonObject;
      /** When the workflow accepted it (workflow time): a retried activity judges the signature's age by it. */
      acceptedAt: string;
    }
  | {
      kind: 'evidence';
      /** The stream and id of the event that caused this step, and what it must be. */
      stream: string;
      eventId: string;
      type: string;
      /** Data fields the cause must carry (e.g. the nonconformity id it opened). */
      data: JsonObject;
    }
  | {
      /**
       * A risk's posture as its system's lifecycle notes it: the risk's stream must hold `eventId`, and its
       * evidence, folded to its head, must give this very posture (so an old or made-up one is refused).
       */
      kind: 'risk-posture';
      stream: string;
      eventId: string;
      riskId: string;
      level: string;
      blockers: string[];
      /** When the risk says it changed: never later than the check's clock (a later one would outrank every real one). */
      changedAt: string;
    };
