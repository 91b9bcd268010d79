import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AimsConfig } from '../../../infra/config/config';
import type { EventStore } from '../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../infra/ports/read-model-store.port';
import { AiSystemCommandsController } from './ai-systems/ai-system-commands.controller';
import { AiSystemsController } from './ai-systems/ai-systems.controller';
import { LifecycleProcess } from './ai-systems/lifecycle.process';
import { AuditController } from './audit/audit.controller';
import { EvidenceReader } from './audit/evidence-reader';
import { AuthGuard } from './auth/auth.guard';
import { MeController } from './auth/me.controller';
import { EvidenceProofsController } from './evidence/evidence-proofs.controller';
import { TlogController } from './evidence/tlog.controller';
import { WitnessController } from './evidence/witness.controller';
import { CommandSender } from './common/command-sender';
import { Authenticator } from './auth/authenticator';
import { AuthFailureThrottle, ConcurrencyLimit, VERIFY_LIMIT } from './edge/throttling';
import { HealthController } from './health/health.controller';
import { ApiMetrics } from './metrics/api-metrics';
import { LifecyclePolicyController } from './lifecycle-policy/lifecycle-policy.controller';
import { LifecyclePolicyProcess } from './lifecycle-policy/lifecycle-policy.process';
import { LifecyclePolicyReader } from './lifecycle-policy/lifecycle-policy-reader';
import { NonconformitiesController } from './nonconformities/nonconformities.controller';
import { NonconformityProcess } from './nonconformities/nonconformity.process';
import { RiskCriteriaController } from './risk-criteria/risk-criteria.controller';
import { RiskCriteriaProcess } from './risk-criteria/risk-criteria.process';
import { RiskCriteriaReader } from './risk-criteria/risk-criteria-reader';
import { RisksController } from './risks/risks.controller';
import { AppointmentEnforcement } from './people/appointment-enforcement';
import { PeopleController } from './people/people.controller';
import { PeopleProcess } from './people/people.process';
import { PeopleReader } from './people/people-reader';
import { CompetenceController } from './competence/competence.controller';
import { CompetenceProcess } from './competence/competence.process';
import { CompetenceReader } from './competence/competence-reader';
import { RiskProcess } from './risks/risk.process';
import { RiskReader } from './risks/risk-reader';
import { DocumentsController } from './documents/documents.controller';
import { DocumentProcess } from './documents/document.process';
import { DocumentsReader } from './documents/documents-reader';
import { SoaController } from './soa/soa.controller';
import { ScopeController } from './scope/scope.controller';
import { ScopeProcess } from './scope/scope.process';
import { ScopeDocuments } from './scope/scope-document';
import { ScopeReader } from './scope/scope-reader';
import { ContextController } from './context/context.controller';
import { ContextProcess } from './context/context.process';
import { ContextReader } from './context/context-reader';
import { AuditProgrammesController } from './audit-programmes/audit-programmes.controller';
import { ImprovementsController } from './improvements/improvements.controller';
import { ImprovementProcess } from './improvements/improvement.process';
import { InternalAuditsController } from './internal-audits/internal-audits.controller';
import { InternalAuditProcess } from './internal-audits/internal-audit.process';
import { ReadinessController } from './readiness/readiness.controller';
import { ReadinessReader } from './readiness/readiness-reader';
import { ManagementReviewsController } from './management-reviews/management-reviews.controller';
import { ManagementReviewProcess } from './management-reviews/management-review.process';
import { SoaProcess } from './soa/soa.process';
import { SoaReader } from './soa/soa-reader';
import { EVENT_STORE, READ_MODEL_STORE } from './stores/store.tokens';
import { STORE_PROVIDERS } from './stores/stores.providers';
import { TaskDecisionsController } from './tasks/task-decisions.controller';
import { TaskInbox } from './tasks/task-inbox';
import { TasksController } from './tasks/tasks.controller';
import { AIMS_CONFIG, TemporalClientProvider } from './temporal-client.provider';
import { OidcController } from './auth/oidc.controller';
import { MeasuresController } from './measures/measures.controller';
import { MeasuresReader } from './measures/measures.reader';
import { ObjectivesController } from './objectives/objectives.controller';
import { ObjectiveProcess } from './objectives/objective.process';

@Module({})
export class AppModule {
  static forConfig(config: AimsConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        HealthController,
        MeController,
        OidcController,
        AuditController,
        EvidenceProofsController,
        TlogController,
        WitnessController,
        AiSystemsController,
        AiSystemCommandsController,
        TasksController,
        TaskDecisionsController,
        NonconformitiesController,
        LifecyclePolicyController,
        SoaController,
        ScopeController,
        ContextController,
        InternalAuditsController,
        ImprovementsController,
        AuditProgrammesController,
        RiskCriteriaController,
        RisksController,
        DocumentsController,
        PeopleController,
        ReadinessController,
        ManagementReviewsController,
        ObjectivesController,
        MeasuresController,
        CompetenceController,
      ],
      providers: [
        { provide: AIMS_CONFIG, useValue: config },
        TemporalClientProvider,
        ...STORE_PROVIDERS,
        Authenticator,
        { provide: AuthFailureThrottle, useFactory: () => new AuthFailureThrottle(config.edge.authFailures) },
        { provide: VERIFY_LIMIT, useFactory: () => new ConcurrencyLimit(config.edge.verifyMaxConcurrent) },
        EvidenceReader,
        CommandSender,
        LifecycleProcess,
        NonconformityProcess,
        LifecyclePolicyReader,
        LifecyclePolicyProcess,
        SoaReader,
        SoaProcess,
        ScopeReader,
        ScopeProcess,
        ScopeDocuments,
        ContextReader,
        ContextProcess,
        InternalAuditProcess,
        ImprovementProcess,
        ManagementReviewProcess,
        RiskCriteriaReader,
        RiskCriteriaProcess,
        RiskReader,
        RiskProcess,
        DocumentsReader,
        DocumentProcess,
        AppointmentEnforcement,
        PeopleReader,
        PeopleProcess,
        ReadinessReader,
        ObjectiveProcess,
        MeasuresReader,
        CompetenceReader,
        CompetenceProcess,
        TaskInbox,
        {
          provide: ApiMetrics,
          useFactory: (e: EventStore, r: ReadModelStore) => new ApiMetrics(e, r),
          inject: [EVENT_STORE, READ_MODEL_STORE],
        },
        // Every route is authenticated and role-checked unless it is @Public() (see auth/roles.decorator.ts).
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
