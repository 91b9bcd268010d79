/**
 * A careful pipeline client for the fault tests: it sends each command to one of several API processes and,
 * when the answer is lost (connection refused or reset, a 5xx, a 503 while Temporal is away), sends the
 * same command again, to the next API. Every command names its own ids (system, assessment, dataset,
 * check, validation, task, Idempotency-Key), so a repeat of a command that had already taken effect is
 * refused as a duplicate (409) instead of doing it twice: that refusal confirms the first attempt.
 */
import type { ApiProcess } from '../support/engine-processes';

export interface CommandOutcome {
  step: string;
  status: number;
  attempts: number;
  /** Answered 409 to a repeat: the earlier attempt had taken effect. */
  confirmedByRepeat: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whichever endpoint's answer; callers read the fields they expect
  body: any;
}

export interface ClientFigures {
  sent: number;
  acknowledged: number;
  retried: number;
  confirmedByRepeat: number;
}

export class PipelineClient {
  readonly figures: ClientFigures = { sent: 0, acknowledged: 0, retried: 0, confirmedByRepeat: 0 };
  private next = 0;

  constructor(
    private readonly apis: () => ApiProcess[],
    private readonly boundMs = 5 * 60_000,
  ) {}

  async send(step: string, token: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<CommandOutcome> {
    const giveUpAt = Date.now() + this.boundMs;
    let attempts = 0;
    let lastProblem = '';
    while (Date.now() < giveUpAt) {
      const list = this.apis();
      const api = list[this.next++ % list.length];
      attempts += 1;
      this.figures.sent += 1;
      if (attempts > 1) this.figures.retried += 1;
      try {
        const response = await fetch(`${api.baseUrl}${route}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body ?? {}),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see CommandOutcome.body
        const parsed: any = text ? JSON.parse(text) : null;
        if (response.status >= 500 || response.status === 429) {
          lastProblem = `${response.status} ${text.slice(0, 300)}`;
        } else if (response.status === 409 && attempts > 1) {
          this.figures.acknowledged += 1;
          this.figures.confirmedByRepeat += 1;
          return { step, status: 409, attempts, confirmedByRepeat: true, body: parsed };
        } else {
          if (response.status < 300) this.figures.acknowledged += 1;
          return { step, status: response.status, attempts, confirmedByRepeat: false, body: parsed };
        }
      } catch (error) {
        lastProblem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${step}: no answer within ${this.boundMs / 1000} s after ${attempts} attempts; last: ${lastProblem}`);
  }
}
