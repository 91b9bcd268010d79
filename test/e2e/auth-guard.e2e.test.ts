/**
 * The guard's rules on routes made for the purpose (the product has no writing route yet that an auditor
 * could try): read-only roles never pass a writing route, @ReadsOnly() lets them, an undeclared route is
 * refused, and the actor comes from the token even when the body claims another.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Body, Controller, Get, INestApplication, Module, Post } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { IsOptional, IsString } from 'class-validator';
import request from 'supertest';
import type { ApiActor } from '../../apps/api/src/auth/api-actor';
import { AuthGuard } from '../../apps/api/src/auth/auth.guard';
import { Authenticator } from '../../apps/api/src/auth/authenticator';
import { CurrentActor } from '../../apps/api/src/auth/current-actor.decorator';
import { ReadsOnly, Roles } from '../../apps/api/src/auth/roles.decorator';
import { ProblemDetailsFilter } from '../../apps/api/src/common/problem-details.filter';
import { strictValidationPipe } from '../../apps/api/src/common/validation';
import { AuthFailureThrottle } from '../../apps/api/src/edge/throttling';
import { TOKEN_STORE } from '../../apps/api/src/stores/store.tokens';
import { AIMS_CONFIG } from '../../apps/api/src/temporal-client.provider';
import { openTokenStore } from '../../infra/auth/open-token-store';
import { loadConfig } from '../../infra/config/config';
import type { TokenStore } from '../../infra/ports/token-store.port';

class ProbeBody {
  @IsOptional()
  @IsString()
  actor?: string;
}

@Controller('probe')
class ProbeController {
  @Post('record')
  @Roles('auditor', 'engineer')
  record(@CurrentActor() actor: ApiActor, @Body() body: ProbeBody): { recordedActor: string; claimed: string | null } {
    return { recordedActor: actor.id, claimed: body.actor ?? null };
  }

  @Post('check')
  @Roles('auditor')
  @ReadsOnly()
  check(@CurrentActor() actor: ApiActor): ApiActor {
    return actor;
  }

  @Get('undeclared')
  undeclared(): string {
    return 'nobody should see this';
  }
}

describe('the AuthGuard on purpose-made routes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-guard-'));
  const config = loadConfig({ AIMS_DATA_DIR: dir, TEMPORAL_ADDRESS: '127.0.0.1:1' });
  let tokens: TokenStore;
  let app: INestApplication;
  let auditor: string;
  let engineer: string;

  beforeAll(async () => {
    tokens = await openTokenStore(config.eventStoreUrl);
    auditor = (await tokens.issue({ name: 'audrey', roles: ['auditor'] })).token;
    engineer = (await tokens.issue({ name: 'erin', roles: ['engineer', 'auditor'] })).token;
    @Module({
      controllers: [ProbeController],
      providers: [
        { provide: AIMS_CONFIG, useValue: config },
        { provide: TOKEN_STORE, useValue: tokens },
        Authenticator,
        { provide: AuthFailureThrottle, useValue: new AuthFailureThrottle(config.edge.authFailures) },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    })
    class ProbeModule {}
    app = await NestFactory.create(ProbeModule, { logger: false });
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await tokens?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const server = () => app.getHttpServer() as Parameters<typeof request>[0];

  it('given an auditor, when a writing route lists auditor among its roles, then 403: auditor is read-only', async () => {
    const response = await request(server()).post('/probe/record').set('Authorization', `Bearer ${auditor}`).send({}).expect(403);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.body.detail).toMatch(/needs one of: engineer/);
  });

  it('given a route marked @ReadsOnly(), when an auditor posts, then it passes', async () => {
    const response = await request(server()).post('/probe/check').set('Authorization', `Bearer ${auditor}`).expect(201);
    expect(response.body).toMatchObject({ id: 'audrey', name: 'audrey', roles: ['auditor'], authenticatedBy: 'api-token' });
  });

  it('given a body claiming another actor, when recorded, then the actor is the token holder', async () => {
    const response = await request(server())
      .post('/probe/record')
      .set('Authorization', `Bearer ${engineer}`)
      .send({ actor: 'mallory' })
      .expect(201);
    expect(response.body).toEqual({ recordedActor: 'erin', claimed: 'mallory' });
  });

  it('given a route without a roles declaration, when called with a valid token, then it is refused', async () => {
    const response = await request(server()).get('/probe/undeclared').set('Authorization', `Bearer ${engineer}`).expect(403);
    expect(response.body.type).toBe('urn:aims:problem:no-roles-declared');
  });

  it('given no token, when a route with invalid input is called, then 401 comes first (nothing is validated for strangers)', async () => {
    await request(server()).post('/probe/record').send({ actor: 42, extra: true }).expect(401);
  });
});
