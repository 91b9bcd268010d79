/**
 * The commands on an AI system's lifecycle (ISO/IEC 42001 6.1.4, 8.1–8.4, 9.1; A.5, A.6.2, A.7): each is
 * one Update of the system's `aiSystemLifecycle` workflow, taken by the bearer token's holder. Who may
 * call each route is the domain's `COMMAND_ROLES` (domain/ai-system/authority.ts), so the API and the
 * workflow cannot disagree. Answers come once the step is in the evidence and in the read models.
 *
 * The deployment gate (A.6.2.5) answers 200 allowed, 202 pending (with the approval task) or 409 blocked
 * (problem+json with every reason), and honours `Idempotency-Key` — the contract `aims gate` relies on.
 */
import { Body, Controller, Get, Headers, HttpCode, HttpException, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Response } from 'express';
import {
  COMMAND_ROLES,
  type AiSystemTask,
  type DeploymentRequestView,
  type LifecyclePolicyOverrides,
  type ProfileAmendments,
} from '../../../../domain/ai-system';
import {
  closeNonconformityUpdate,
  completeDecommissioningUpdate,
  proposeModelVersionUpdate,
  recordChangeUpdate,
  recordDataQualityCheckUpdate,
  recordDatasetUpdate,
  recordDeploymentCompletedUpdate,
  recordMonitoringReportUpdate,
  recordValidationResultsUpdate,
  reportIncidentUpdate,
  requestDecommissioningUpdate,
  requestDeploymentUpdate,
  submitImpactAssessmentUpdate,
  type DeploymentGateAnswer,
} from '../../../../workflows/ai-system-lifecycle.workflow';
import { domainActor, type ApiActor } from '../auth/api-actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { invalidField } from '../common/problems';
import { ChangeRecordedDto, CompleteDecommissioningDto, DecommissionedDto, DecommissioningRequestedDto, RecordChangeDto, RequestDecommissioningDto } from './dto/change-and-decommissioning.dto';
import {
  DataQualityCheckRecordedDto,
  DatasetRecordedDto,
  ModelVersionProposedDto,
  ProposeModelVersionDto,
  RecordDataQualityCheckDto,
  RecordDatasetDto,
  RecordValidationResultsDto,
  ValidationRecordedDto,
} from './dto/data-and-validation.dto';
import { DeploymentCompletedDto, DeploymentGateDto, RequestDeploymentDto, type GateTaskDto } from './dto/deployment.dto';
import { ImpactAssessmentSubmittedDto, SubmitImpactAssessmentDto } from './dto/impact-assessment.dto';
import { CloseNonconformityDto, IncidentReportedDto, MonitoringReportRecordedDto, NonconformityClosedDto, RecordMonitoringReportDto, ReportIncidentDto } from './dto/operation.dto';
import { DatasetParamsDto, DeploymentParamsDto, EmptyBodyDto, NonconformityParamsDto } from './dto/params.dto';
import { AiSystemRegisteredDto, RegisterAiSystemDto } from './dto/registration.dto';
import { AiSystemIdParamsDto } from './ai-systems.dto';
import { IDEMPOTENCY_KEY_HEADER, requestIdFromIdempotencyKey } from './idempotency-key';
import { LifecycleCommandsService, type StepAnswer } from './lifecycle-commands.service';

/** Recorded when a pipeline does not say which commit it deploys (the domain requires a value). */
export const UNSPECIFIED_COMMIT = 'unspecified';

/**
 * The validated body as plain JSON: class instances and `undefined` fields gone, so the domain sees
 * exactly what the workflow will (Temporal serialises arguments as JSON too).
 */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Error answers every command shares, for the OpenAPI document. */
function CommandErrors(): MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'Malformed body, unknown field or invalid id (problem+json naming each field); nothing is recorded' }),
    ApiNotFoundResponse({ description: 'No such AI system (or resource named in the path)' }),
    ApiConflictResponse({ description: "The system's state does not allow this now (problem+json with the domain's code)" }),
    ApiUnprocessableEntityResponse({ description: 'The content is refused by the lifecycle rules (e.g. VALIDATION_FAILED)' }),
    ApiServiceUnavailableResponse({ description: 'Temporal or the lifecycle worker did not answer' }),
  );
}

@ApiTags('ai-systems')
@Controller('v1/ai-systems')
export class AiSystemCommandsController {
  constructor(private readonly lifecycle: LifecycleCommandsService) {}

  @Post()
  @Roles(...COMMAND_ROLES.RegisterAiSystem)
  @ApiOperation({ summary: 'Register an AI system (A.4.2 inventory) and start its lifecycle workflow' })
  @ApiCreatedResponse({ type: AiSystemRegisteredDto, description: 'Registered; Location is the system' })
  @ApiAcceptedResponse({ type: AiSystemRegisteredDto, description: 'The lifecycle started but has not recorded the registration yet (is a worker running?)' })
  @CommandErrors()
  async register(@CurrentActor() actor: ApiActor, @Body() body: RegisterAiSystemDto, @Res({ passthrough: true }) res: Response): Promise<AiSystemRegisteredDto> {
    const b = plain(body);
    const outcome = await this.lifecycle.register({
      systemId: b.systemId,
      name: b.name,
      purpose: b.purpose,
      intendedUse: b.intendedUse,
      owner: b.owner,
      provider: { kind: b.provider.kind, supplier: b.provider.supplier ?? null },
      riskTier: b.riskTier,
      acceptanceCriteria: b.acceptanceCriteria,
      ...(b.monitoringThresholds === undefined ? {} : { monitoringThresholds: b.monitoringThresholds }),
      // The DTO admits only the policy's fields, with the domain's vocabularies (roles as plain strings);
      // the domain's resolveLifecyclePolicy checks the rest before the workflow starts.
      ...(b.policy === undefined ? {} : { policy: b.policy as LifecyclePolicyOverrides }),
      by: domainActor(actor),
    });
    res.status(outcome.recorded ? 201 : 202).setHeader('Location', `/v1/ai-systems/${encodeURIComponent(outcome.systemId)}`);
    return {
      systemId: outcome.systemId,
      workflowId: outcome.workflowId,
      stream: outcome.stream,
      stage: outcome.recorded ? 'registered' : 'registering',
      evidencePosition: outcome.evidencePosition,
    };
  }

  @Post(':id/impact-assessments')
  @Roles(...COMMAND_ROLES.SubmitImpactAssessment)
  @ApiOperation({ summary: 'Submit an impact assessment (6.1.4, 8.4, A.5); opens its review task' })
  @ApiCreatedResponse({ type: ImpactAssessmentSubmittedDto })
  @CommandErrors()
  async submitImpactAssessment(
    @CurrentActor() actor: ApiActor,
    @Param() params: AiSystemIdParamsDto,
    @Body() body: SubmitImpactAssessmentDto,
  ): Promise<ImpactAssessmentSubmittedDto> {
    const b = plain(body);
    return this.lifecycle.update(params.id, submitImpactAssessmentUpdate, {
      by: domainActor(actor),
      ...(b.assessmentId === undefined ? {} : { assessmentId: b.assessmentId }),
      content: {
        affectedParties: b.affectedParties,
        impacts: b.impacts,
        mitigations: b.mitigations.map((m) => ({ ...m, owner: m.owner ?? null })),
      },
    });
  }

  @Post(':id/datasets')
  @Roles(...COMMAND_ROLES.RecordDataset)
  @ApiOperation({ summary: 'Record a dataset with its provenance, acquisition and preparation (A.7.2–A.7.6)' })
  @ApiCreatedResponse({ type: DatasetRecordedDto })
  @CommandErrors()
  async recordDataset(@CurrentActor() actor: ApiActor, @Param() params: AiSystemIdParamsDto, @Body() body: RecordDatasetDto): Promise<DatasetRecordedDto> {
    const b = plain(body);
    return this.lifecycle.update(params.id, recordDatasetUpdate, {
      by: domainActor(actor),
      ...(b.datasetId === undefined ? {} : { datasetId: b.datasetId }),
      name: b.name,
      purpose: b.purpose,
      provenance: {
        source: b.provenance.source,
        custodian: b.provenance.custodian ?? null,
        licence: b.provenance.licence ?? null,
        contentDigest: b.provenance.contentDigest ?? null,
      },
      acquisition: { method: b.acquisition.method, acquiredAt: b.acquisition.acquiredAt ?? null, notes: b.acquisition.notes ?? null },
      preparation: { steps: b.preparation?.steps ?? [] },
    });
  }

  @Post(':id/datasets/:datasetId/quality-checks')
  @Roles(...COMMAND_ROLES.RecordDataQualityCheck)
  @ApiOperation({ summary: 'Record a data-quality check of a dataset (A.7.4); only a passing check lets it back a validation' })
  @ApiCreatedResponse({ type: DataQualityCheckRecordedDto })
  @CommandErrors()
  async recordDataQualityCheck(
    @CurrentActor() actor: ApiActor,
    @Param() params: DatasetParamsDto,
    @Body() body: RecordDataQualityCheckDto,
  ): Promise<DataQualityCheckRecordedDto> {
    const b = plain(body);
    return this.lifecycle.update(
      params.id,
      recordDataQualityCheckUpdate,
      {
        by: domainActor(actor),
        ...(b.checkId === undefined ? {} : { checkId: b.checkId }),
        datasetId: params.datasetId,
        results: b.results.map((r) => ({ dimension: r.dimension, measure: r.measure ?? null, value: r.value ?? null, passed: r.passed, notes: r.notes ?? null })),
      },
      ['DATASET_UNKNOWN'],
    );
  }

  @Post(':id/versions')
  @Roles(...COMMAND_ROLES.ProposeModelVersion)
  @ApiOperation({ summary: 'Propose a model version (an artifact digest) for validation (A.6.2.4)' })
  @ApiCreatedResponse({ type: ModelVersionProposedDto })
  @CommandErrors()
  async proposeModelVersion(@CurrentActor() actor: ApiActor, @Param() params: AiSystemIdParamsDto, @Body() body: ProposeModelVersionDto): Promise<ModelVersionProposedDto> {
    const b = plain(body);
    return this.lifecycle.update(params.id, proposeModelVersionUpdate, {
      by: domainActor(actor),
      modelVersion: b.modelVersion,
      artifactDigest: b.artifactDigest,
      description: b.description ?? '',
    });
  }

  @Post(':id/validations')
  @Roles(...COMMAND_ROLES.RecordValidationResults)
  @ApiOperation({ summary: 'Record validation results; the acceptance criteria are checked and a pass opens the validator sign-off task (A.6.2.4)' })
  @ApiCreatedResponse({ type: ValidationRecordedDto })
  @CommandErrors()
  async recordValidationResults(
    @CurrentActor() actor: ApiActor,
    @Param() params: AiSystemIdParamsDto,
    @Body() body: RecordValidationResultsDto,
  ): Promise<ValidationRecordedDto> {
    const b = plain(body);
    return this.lifecycle.update(params.id, recordValidationResultsUpdate, {
      by: domainActor(actor),
      ...(b.validationId === undefined ? {} : { validationId: b.validationId }),
      modelVersion: b.modelVersion,
      artifactDigest: b.artifactDigest,
      datasetIds: b.datasetIds,
      metrics: b.metrics,
    });
  }

  @Post(':id/deployments')
  @Roles(...COMMAND_ROLES.RequestDeployment)
  @ApiOperation({
    summary: 'The CI/CD deployment gate (A.6.2.5): may this exact artifact go out?',
    description:
      '200 allowed; 202 pending with the approval task; 409 blocked (problem+json with outcome, requestId and every reason). ' +
      'Send an Idempotency-Key: the same key with the same content answers from the record and writes nothing, so a retrying pipeline never opens a second request; ' +
      'the key (or its hash) becomes the requestId.',
  })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: '1-200 letters, digits or . _ : -; e.g. the pipeline run id' })
  @ApiOkResponse({ type: DeploymentGateDto, description: 'allowed' })
  @ApiAcceptedResponse({ type: DeploymentGateDto, description: 'pending: an approver must decide task.id' })
  @ApiConflictResponse({
    type: DeploymentGateDto,
    description:
      'blocked: problem+json with code DEPLOYMENT_BLOCKED and the gate answer (outcome "blocked", requestId, every reason {code, message}); ' +
      'or DUPLICATE_ID when the Idempotency-Key was used for a different request',
  })
  @CommandErrors()
  async requestDeployment(
    @CurrentActor() actor: ApiActor,
    @Param() params: AiSystemIdParamsDto,
    @Body() body: RequestDeploymentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeploymentGateDto> {
    const b = plain(body);
    if (b.version !== undefined && b.modelVersion !== undefined && b.version !== b.modelVersion) {
      throw invalidField('version', `version (${b.version}) and modelVersion (${b.modelVersion}) differ; send one of them`);
    }
    const modelVersion = b.version ?? b.modelVersion;
    if (modelVersion === undefined) throw invalidField('version', 'the model version to deploy is required (version or modelVersion)');
    const requestId = requestIdFromIdempotencyKey(idempotencyKey);
    const answer = await this.lifecycle.update(params.id, requestDeploymentUpdate, {
      by: domainActor(actor),
      ...(requestId === undefined ? {} : { requestId }),
      modelVersion,
      artifactDigest: b.artifactDigest,
      environment: b.environment ?? 'production',
      commit: b.commit ?? UNSPECIFIED_COMMIT,
    });
    const gate = gateFromAnswer(answer);
    res.setHeader('Location', deploymentLocation(params.id, gate.requestId));
    if (gate.outcome === 'blocked') throw blockedProblem(gate);
    res.status(gate.outcome === 'pending' ? 202 : 200);
    return gate;
  }

  @Get(':id/deployments/:requestId')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Where a deployment request stands now (what `aims gate --wait` polls); always 200, the outcome in the body' })
  @ApiOkResponse({ type: DeploymentGateDto })
  @ApiNotFoundResponse({ description: 'No such AI system or deployment request' })
  async deploymentRequest(@Param() params: DeploymentParamsDto): Promise<DeploymentGateDto> {
    return gateFromView(params.id, await this.lifecycle.deploymentRequest(params.id, params.requestId));
  }

  @Post(':id/deployments/:requestId/completion')
  @HttpCode(200)
  @Roles(...COMMAND_ROLES.RecordDeploymentCompleted)
  @ApiOperation({ summary: 'The pipeline reports an approved deployment done; in a production environment the version is now in production' })
  @ApiOkResponse({ type: DeploymentCompletedDto })
  @CommandErrors()
  async recordDeploymentCompleted(
    @CurrentActor() actor: ApiActor,
    @Param() params: DeploymentParamsDto,
    @Body() _body: EmptyBodyDto,
  ): Promise<DeploymentCompletedDto> {
    return this.lifecycle.update(params.id, recordDeploymentCompletedUpdate, { by: domainActor(actor), requestId: params.requestId }, ['DEPLOYMENT_REQUEST_UNKNOWN']);
  }

  @Post(':id/monitoring-reports')
  @Roles(...COMMAND_ROLES.RecordMonitoringReport)
  @ApiOperation({ summary: 'Record a monitoring report (9.1, A.6.2.6); a threshold breach opens a nonconformity (10.2)' })
  @ApiCreatedResponse({ type: MonitoringReportRecordedDto })
  @CommandErrors()
  async recordMonitoringReport(
    @CurrentActor() actor: ApiActor,
    @Param() params: AiSystemIdParamsDto,
    @Body() body: RecordMonitoringReportDto,
  ): Promise<MonitoringReportRecordedDto> {
    const b = plain(body);
    return this.lifecycle.update(params.id, recordMonitoringReportUpdate, {
      by: domainActor(actor),
      ...(b.reportId === undefined ? {} : { reportId: b.reportId }),
      window: { from: b.window.from, to: b.window.to },
      metrics: b.metrics,
    });
  }

  @Post(':id/incidents')
  @Roles(...COMMAND_ROLES.ReportIncident)
  @ApiOperation({ summary: 'Report an incident (A.8.4); severe ones open a nonconformity (10.2)' })
  @ApiCreatedResponse({ type: IncidentReportedDto })
  @CommandErrors()
  async reportIncident(@CurrentActor() actor: ApiActor, @Param() params: AiSystemIdParamsDto, @Body() body: ReportIncidentDto): Promise<IncidentReportedDto> {
    const b = plain(body);
    return this.lifecycle.update(params.id, reportIncidentUpdate, {
      by: domainActor(actor),
      ...(b.incidentId === undefined ? {} : { incidentId: b.incidentId }),
      severity: b.severity,
      description: b.description,
      ...(b.modelVersion === undefined ? {} : { modelVersion: b.modelVersion }),
      ...(b.occurredAt === undefined ? {} : { occurredAt: b.occurredAt }),
    });
  }

  @Post(':id/nonconformities/:nonconformityId/closure')
  @HttpCode(200)
  @Roles(...COMMAND_ROLES.CloseNonconformity)
  @ApiOperation({
    summary:
      "Close a nonconformity in the system's record (10.2). One raised by the lifecycle closes here by itself when its corrective action is found effective; this is for one handled otherwise",
  })
  @ApiOkResponse({ type: NonconformityClosedDto })
  @ApiNotFoundResponse({ description: 'No such AI system, or it has no such nonconformity' })
  @CommandErrors()
  async closeNonconformity(
    @CurrentActor() actor: ApiActor,
    @Param() params: NonconformityParamsDto,
    @Body() body: CloseNonconformityDto,
  ): Promise<NonconformityClosedDto> {
    return this.lifecycle.update(
      params.id,
      closeNonconformityUpdate,
      { by: domainActor(actor), nonconformityId: params.nonconformityId, resolution: plain(body).resolution },
      ['NONCONFORMITY_UNKNOWN'],
    );
  }

  @Post(':id/changes')
  @Roles(...COMMAND_ROLES.RecordChange)
  @ApiOperation({ summary: 'Record a change (6.3); a significant one sends the system back to impact assessment' })
  @ApiCreatedResponse({ type: ChangeRecordedDto })
  @CommandErrors()
  async recordChange(@CurrentActor() actor: ApiActor, @Param() params: AiSystemIdParamsDto, @Body() body: RecordChangeDto): Promise<ChangeRecordedDto> {
    const b = plain(body);
    const amendments = b.amendments === undefined ? undefined : { ...b.amendments };
    if (amendments?.provider) amendments.provider = { kind: amendments.provider.kind, supplier: amendments.provider.supplier ?? null };
    return this.lifecycle.update(params.id, recordChangeUpdate, {
      by: domainActor(actor),
      ...(b.changeId === undefined ? {} : { changeId: b.changeId }),
      description: b.description,
      significant: b.significant,
      // Shape checked by the DTO; the domain checks what may be amended and whether it is significant.
      ...(amendments === undefined ? {} : { amendments: amendments as ProfileAmendments }),
    });
  }

  @Post(':id/decommissioning')
  @Roles(...COMMAND_ROLES.RequestDecommissioning)
  @ApiOperation({ summary: 'Request decommissioning; opens an approval task' })
  @ApiCreatedResponse({ type: DecommissioningRequestedDto })
  @CommandErrors()
  async requestDecommissioning(
    @CurrentActor() actor: ApiActor,
    @Param() params: AiSystemIdParamsDto,
    @Body() body: RequestDecommissioningDto,
  ): Promise<DecommissioningRequestedDto> {
    const b = plain(body);
    return this.lifecycle.update(params.id, requestDecommissioningUpdate, {
      by: domainActor(actor),
      ...(b.requestId === undefined ? {} : { requestId: b.requestId }),
      reason: b.reason,
    });
  }

  @Post(':id/decommissioning/completion')
  @HttpCode(200)
  @Roles(...COMMAND_ROLES.CompleteDecommissioning)
  @ApiOperation({ summary: 'Complete an approved decommissioning with the data-retention decision; the lifecycle ends' })
  @ApiOkResponse({ type: DecommissionedDto })
  @CommandErrors()
  async completeDecommissioning(
    @CurrentActor() actor: ApiActor,
    @Param() params: AiSystemIdParamsDto,
    @Body() body: CompleteDecommissioningDto,
  ): Promise<DecommissionedDto> {
    const r = plain(body).dataRetention;
    return this.lifecycle.update(params.id, completeDecommissioningUpdate, {
      by: domainActor(actor),
      dataRetention: { decision: r.decision, retainUntil: r.retainUntil ?? null, justification: r.justification },
    });
  }
}

function deploymentLocation(systemId: string, requestId: string): string {
  return `/v1/ai-systems/${encodeURIComponent(systemId)}/deployments/${encodeURIComponent(requestId)}`;
}

function gateTask(task: AiSystemTask | null | undefined): GateTaskDto | null {
  if (!task) return null;
  return { id: task.taskId, kind: task.kind, requiredRoles: [...task.requiredRoles], dueAt: task.dueAt, decision: `/v1/tasks/${encodeURIComponent(task.taskId)}/decision` };
}

function gateFromAnswer(answer: StepAnswer<DeploymentGateAnswer>): DeploymentGateDto {
  return {
    outcome: answer.outcome,
    requestId: answer.requestId,
    systemId: answer.systemId,
    requestStatus: answer.status,
    reasons: answer.reasons.map((r) => ({ code: r.code, message: r.message })),
    task: answer.outcome === 'pending' ? gateTask(answer.task) : null,
    repeated: answer.repeated,
    recorded: answer.recorded,
    evidencePosition: answer.evidencePosition,
  };
}

function gateFromView(systemId: string, view: DeploymentRequestView): DeploymentGateDto {
  return {
    // A completed deployment was allowed; requestStatus says it has gone out.
    outcome: view.outcome === 'completed' ? 'allowed' : view.outcome,
    requestId: view.requestId,
    systemId,
    requestStatus: view.status,
    reasons: view.reasons.map((r) => ({ code: r.code, message: r.message })),
    task: view.outcome === 'pending' ? gateTask(view.task) : null,
  };
}

/** A blocked request as problem+json that still carries the gate's answer (outcome, requestId, reasons). */
function blockedProblem(gate: DeploymentGateDto): HttpException {
  return new HttpException(
    {
      type: 'urn:aims:problem:deployment-blocked',
      title: 'Conflict',
      status: 409,
      detail: `Deployment request ${gate.requestId} may not go out: ${gate.reasons.map((r) => r.message).join(' ')}`,
      code: 'DEPLOYMENT_BLOCKED',
      ...gate,
    },
    409,
  );
}
