/**
 * Throttling of failed authentications per client address (issue 11, finding 9). An address that
 * presented `max` bad credentials (unknown, revoked, expired, malformed or forged tokens) within a window
 * is answered 429 with Retry-After until that window ends, whatever it presents: a correct guess must not
 * get through either. Missing credentials do not count (nothing was guessed). The address is the socket's,
 * or X-Forwarded-For's as far as AIMS_TRUST_PROXY allows (Express's `trust proxy`, set in create-app.ts).
 *
 * In memory, per API process: with several API replicas an attacker gets `max` per replica per window,
 * which still turns guessing a 256-bit secret (or flooding the JWKS fetch) from free into slow.
 */
import { HttpException } from '@nestjs/common';
import { problemType, titleOf } from '../common/problems';

interface Window {
  startedAt: number;
  failures: number;
}

/** Addresses remembered at most; beyond it the oldest windows are dropped (a flood of addresses cannot exhaust memory). */
const MAX_TRACKED = 100_000;

export class AuthFailureThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly options: { max: number; windowMs: number },
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const window = this.current(address);
    if (window === undefined || window.failures < this.options.max) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.options.windowMs - this.clock()) / 1000));
  }

  recordFailure(address: string): void {
    const now = this.clock();
    const window = this.current(address);
    if (window !== undefined) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.evict(now);
    this.windows.set(address, { startedAt: now, failures: 1 });
  }

  /** The address's window while it lasts (an ended one is forgotten). */
  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    if (window === undefined) return undefined;
    if (this.clock() - window.startedAt >= this.options.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  private evict(now: number): void {
    for (const [address, window] of this.windows) {
      if (now - window.startedAt >= this.options.windowMs) this.windows.delete(address);
    }
    // Still full: drop the oldest (Map keeps insertion order).
    for (const address of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(address);
    }
  }
}

/** 429 problem+json; the filter turns `retryAfter` into the Retry-After header. */
export function tooManyRequests(
  code: 'TOO_MANY_FAILED_AUTHENTICATIONS' | 'VERIFY_BUSY',
  detail: string,
  retryAfter: number,
): HttpException {
  return new HttpException({ type: problemType(code), title: titleOf(429), status: 429, detail, code, retryAfter }, 429);
}

/** The bound on concurrent full-chain verifications (AIMS_VERIFY_MAX_CONCURRENT), as a provider. */
export const VERIFY_LIMIT = Symbol('VERIFY_LIMIT');

/**
 * At most `max` of an expensive operation at once (full-chain verification reads and hashes every event);
 * the rest are answered 429 at once instead of queueing behind it and holding connections.
 */
export class ConcurrencyLimit {
  private running = 0;

  constructor(readonly max: number) {}

  /** Runs `work` if a slot is free; null when none is (the caller answers 429). */
  async tryRun<T>(work: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.running >= this.max) return null;
    this.running += 1;
    try {
      return { value: await work() };
    } finally {
      this.running -= 1;
    }
  }
}
