import { json, raw } from 'express';
import { DEFAULT_CONTENT_LIMITS } from '../../../infra/content-store/content-rules';
import { ConsoleLogger, INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AimsConfig } from '../../../infra/config/config';
import { oidcConnectOrigin } from '../../../infra/config/oidc-config';
import { AppModule } from './app.module';
import { ApiMetrics } from './metrics/api-metrics';
import { bodyParserProblems, ProblemDetailsFilter } from './common/problem-details.filter';
import { strictValidationPipe } from './common/validation';
import { consoleAssets } from './console/console-assets';
import { describeEdgeResponses } from './edge/openapi-edge';
import { requestContext } from './edge/request-context';
import { securityHeaders } from './edge/security-headers';
import { WellFormedTextPipe } from './edge/well-formed.pipe';

/** AIMS_LOG_LEVEL in Nest's terms: `info` is Nest's `log` (request lines included). */
const LOG_LEVELS: Record<AimsConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/** Builds the HTTP application exactly as production runs it; the e2e tests use this too. */
export async function createApiApp(config: AimsConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    logger:
      options.logger === false
        ? false
        : new ConsoleLogger({
            json: config.logFormat === 'json',
            logLevels: LOG_LEVELS[config.logLevel],
            colors: config.logFormat !== 'json',
          }),
    bodyParser: false,
  });
  // The edge (docs/security.md, "The API's edge"): no framework banner, the client address as the
  // configured proxies report it (throttling), security headers on every answer, errors included.
  app.disable('x-powered-by');
  // First, so that every answer is timed, refusals at the edge included.
  app.use(app.get(ApiMetrics).middleware);
  app.set('trust proxy', config.edge.trustProxy);
  app.use(securityHeaders({ hstsMaxAgeSeconds: config.edge.hstsMaxAgeSeconds }));
  // Express's own JSON parser with an error handler right behind it: Nest's wrapper turns a parse failure
  // into a generic 400, and callers deserve to be told their JSON is malformed or too large.
  // Document content is uploaded as raw bytes (any type: the content store checks its allow-list and size).
  app.use('/v1/documents/content', raw({ limit: DEFAULT_CONTENT_LIMITS.maxBytes, type: () => true }));
  app.use(json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use(bodyParserProblems);
  // After the parser (whose stream callbacks would lose it): the rest of the request runs in its context.
  app.use(requestContext(config.logFormat));
  // The web console at `/` (before the routes, which it never shadows: console-assets.ts).
  const webConsole = consoleAssets(config.edge.consoleDir, oidcConnectOrigin(config.auth.oidc));
  if (webConsole !== null) app.use(webConsole);
  app.useGlobalPipes(new WellFormedTextPipe(), strictValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  const document = describeEdgeResponses(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('aims — ISO/IEC 42001 AI management system engine')
        .setDescription('Lifecycle and corrective-action workflows for AI systems, with hash-chained audit evidence.')
        .setVersion('0.1.0')
        .addBearerAuth()
        // Every operation may fail with a bug of ours: a generic problem, never the error's name or message.
        .addGlobalResponse({
          status: 500,
          description:
            'application/problem+json of type `urn:aims:problem:internal-error` with a generic detail; the error is logged server-side with its stack.',
        })
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
