import { DynamicModule, Module } from '@nestjs/common';
import { AimsConfig } from '../../../infra/config/config';
import { HealthController } from './health/health.controller';
import { AIMS_CONFIG, TemporalClientProvider } from './temporal-client.provider';

@Module({})
export class AppModule {
  static forConfig(config: AimsConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [{ provide: AIMS_CONFIG, useValue: config }, TemporalClientProvider],
    };
  }
}
