import { Controller, Get, HttpCode, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '../../../../infra/ports/event-store.port';
import { Public } from '../auth/roles.decorator';
import { EVENT_STORE } from '../stores/store.tokens';
import { TemporalClientProvider } from '../temporal-client.provider';

/**
 * What /ready tells anyone (it is public): each dependency up or down, never why. Error text names hosts,
 * databases and versions a stranger has no business learning (issue 11, finding 9); it goes to the
 * server's log, where the operator looks.
 */
interface ReadinessCheck {
  name: string;
  status: 'up' | 'down';
}

@ApiTags('health')
@Controller()
@Public()
export class HealthController {
  private readonly logger = new Logger('Readiness');

  constructor(
    private readonly temporal: TemporalClientProvider,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Get('health')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the API process is running' })
  @ApiOkResponse({ description: 'The process is alive' })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the dependencies the API needs answer (Temporal, the evidence store)' })
  @ApiOkResponse({ description: 'Every dependency answered' })
  @ApiServiceUnavailableResponse({ description: 'A dependency did not answer; the problem names it (why is in the server log)' })
  async ready(): Promise<{ status: 'ready'; checks: ReadinessCheck[] }> {
    const checks = await Promise.all([
      this.check('temporal', () => this.temporal.checkHealth()),
      this.check('event-store', async () => void (await this.eventStore.head())),
    ]);
    const down = checks.filter((c) => c.status === 'down');
    if (down.length > 0) {
      throw new ServiceUnavailableException({
        type: 'urn:aims:problem:not-ready',
        title: 'Service Unavailable',
        status: 503,
        detail: `not ready: ${down.map((c) => c.name).join(', ')} down`,
        checks,
      });
    }
    return { status: 'ready', checks };
  }

  private async check(name: string, probe: () => Promise<void>): Promise<ReadinessCheck> {
    try {
      await withTimeout(probe(), 5000);
      return { name, status: 'up' };
    } catch (err) {
      this.logger.warn(`${name} is down: ${err instanceof Error ? err.message : String(err)}`);
      return { name, status: 'down' };
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
