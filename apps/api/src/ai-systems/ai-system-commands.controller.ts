/**
 * The commands on an AI system's lifecycle (ISO/IEC 42001 6.1.4, 8.1–8.4, 9.1; A.5, A.6.2, A.7): each is
 * one Update of the system's `aiSystemLifecycle` workflow, taken by the bearer token's holder. Who may
 * call each route is the domain's `COMMAND_ROLES` (domain/ai-system/authority.ts), so the API and the
 * workflow cannot disagree. Each route is its body's command, sent by LifecycleProcess; answers come once
 * the step is in the evidence (and, `projected`, in the read models).
 *
 * The deployment gate (A.6.2.5) answers 200 allowed, 202 pending (with the approval task) or 409 blocked
 * (problem+json with every reason), and honours `Idempotency-Key` — the contract `aims gate` relies on.
 */
import { applyDecorators, Body, Controller, Get, Headers, HttpCode, HttpException, Param, Post, Res } from '@nestjs/common';
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
import type { Response } from 'express';
import {
  COMMAND_ROLES,
  type AiPolicyAtDecision,
  type AiSystemTask,
  type DeploymentBlockReason,
  type DeploymentRequestView,
} from '../../../../domain/ai-system';
import type { Actor } from '../../../../domain/shared/roles';
import {
  closeNonconformityUpdate,
  completeDecommissioningUpdate,
  proposeModelVersionUpdate,
  recordChangeUpdate,
  recordResourcesUpdate,
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
} from '../../../../workflows/ai-system-lifecycle.messages';
import { Acting } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { ConcernsAiSystem } from '../auth/request-subject.decorator';
import type { Answered } from '../common/command-sender';
import { problemType } from '../common/problems';
import { AiSystemIdParamsDto } from './ai-systems.dto';
import {
  ChangeRecordedDto,
  CompleteDecommissioningDto,
  DecommissionedDto,
  DecommissioningRequestedDto,
  RecordChangeDto,
  RequestDecommissioningDto,
} from './dto/change-and-decommissioning.dto';
import { RecordResourcesDto, ResourcesRecordedDto } from './dto/resources.dto';
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
import {
  DeploymentCompletedDto,
  type AiPolicyAtDecisionDto,
  DeploymentGateDto,
  RequestDeploymentDto,
  type GateReasonDto,
  type GateTaskDto,
} from './dto/deployment.dto';
import { ImpactAssessmentSubmittedDto, SubmitImpactAssessmentDto } from './dto/impact-assessment.dto';
import {
  CloseNonconformityDto,
  IncidentReportedDto,
  MonitoringReportRecordedDto,
  NonconformityClosedDto,
  RecordMonitoringReportDto,
  ReportIncidentDto,
} from './dto/operation.dto';
import { DatasetParamsDto, DeploymentParamsDto, EmptyBodyDto, NonconformityParamsDto } from './dto/params.dto';
import { AiSystemRegisteredDto, RegisterAiSystemDto } from './dto/registration.dto';
import { IDEMPOTENCY_KEY_HEADER, requestIdFromIdempotencyKey } from './idempotency-key';
import { LifecycleProcess } from './lifecycle.process';

/** Error answers every command shares, for the OpenAPI document. */
export function CommandErrors(): MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({
      description: 'Malformed body, unknown field or invalid id (problem+json naming each field); nothing is recorded',
    }),
    ApiNotFoundResponse({ description: 'No such AI system (or resource named in the path)' }),
    ApiConflictResponse({ description: "The system's state does not allow this now (problem+json with the domain's code)" }),
    ApiUnprocessableEntityResponse({
      description: 'The content as a whole is refused by the lifecycle rules (e.g. IMPACT_WITHOUT_MITIGATION)',
    }),
    ApiServiceUnavailableResponse({
      description: 'Temporal or the lifecycle worker did not answer (COMMAND_TIMED_OUT: the step may still be recorded)',
    }),
  );
}

@ApiTags('ai-systems')
@Controller('v1/ai-systems')
// Scoped appointments count only for their own systems (POST /v1/ai-systems names none yet: judged by role).
@ConcernsAiSystem({ param: 'id' })
export class AiSystemCommandsController {
  constructor(private readonly lifecycle: LifecycleProcess) {}

  @Post()
  @Roles(...COMMAND_ROLES.RegisterAiSystem)
  @ApiOperation({ summary: 'Register an AI system (A.4.2 inventory) and start its lifecycle workflow' })
  @ApiCreatedResponse({ type: AiSystemRegisteredDto, description: 'Registered; Location is the system' })
  @ApiAcceptedResponse({
    type: AiSystemRegisteredDto,
    description: 'The lifecycle started but has not recorded the registration yet (is a worker running?)',
  })
  @CommandErrors()
  async register(
    @Acting() by: Actor,
    @Body() body: RegisterAiSystemDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AiSystemRegisteredDto> {
    const registered = await this.lifecycle.register(body.toRegistration(by));
    res
      .status(registered.stage === 'registered' ? 201 : 202)
      .setHeader('Location', `/v1/ai-systems/${encodeURIComponent(registered.systemId)}`);
    return registered;
  }

  @Post(':id/impact-assessments')
  @Roles(...COMMAND_ROLES.SubmitImpactAssessment)
  @ApiOperation({ summary: 'Submit an impact assessment (6.1.4, 8.4, A.5); opens its review task' })
  @ApiCreatedResponse({ type: ImpactAssessmentSubmittedDto })
  @CommandErrors()
  submitImpactAssessment(
    @Acting() by: Actor,
    @Param() p: AiSystemIdParamsDto,
    @Body() body: SubmitImpactAssessmentDto,
  ): Promise<ImpactAssessmentSubmittedDto> {
    return this.lifecycle.send(p.id, submitImpactAssessmentUpdate, body.toInput(by));
  }

  @Post(':id/datasets')
  @Roles(...COMMAND_ROLES.RecordDataset)
  @ApiOperation({ summary: 'Record a dataset with its provenance, acquisition and preparation (A.7.2–A.7.6)' })
  @ApiCreatedResponse({ type: DatasetRecordedDto })
  @CommandErrors()
  recordDataset(@Acting() by: Actor, @Param() p: AiSystemIdParamsDto, @Body() body: RecordDatasetDto): Promise<DatasetRecordedDto> {
    return this.lifecycle.send(p.id, recordDatasetUpdate, body.toInput(by));
  }

  @Post(':id/datasets/:datasetId/quality-checks')
  @Roles(...COMMAND_ROLES.RecordDataQualityCheck)
  @ApiOperation({ summary: 'Record a data-quality check of a dataset (A.7.4); only a passing check lets it back a validation' })
  @ApiCreatedResponse({ type: DataQualityCheckRecordedDto })
  @CommandErrors()
  recordDataQualityCheck(
    @Acting() by: Actor,
    @Param() p: DatasetParamsDto,
    @Body() body: RecordDataQualityCheckDto,
  ): Promise<DataQualityCheckRecordedDto> {
    return this.lifecycle.send(p.id, recordDataQualityCheckUpdate, body.toInput(by, p.datasetId), ['DATASET_UNKNOWN']);
  }

  @Post(':id/versions')
  @Roles(...COMMAND_ROLES.ProposeModelVersion)
  @ApiOperation({ summary: 'Propose a model version (an artifact digest) for validation (A.6.2.4)' })
  @ApiCreatedResponse({ type: ModelVersionProposedDto })
  @CommandErrors()
  proposeModelVersion(
    @Acting() by: Actor,
    @Param() p: AiSystemIdParamsDto,
    @Body() body: ProposeModelVersionDto,
  ): Promise<ModelVersionProposedDto> {
    return this.lifecycle.send(p.id, proposeModelVersionUpdate, body.toInput(by));
  }

  @Post(':id/validations')
  @Roles(...COMMAND_ROLES.RecordValidationResults)
  @ApiOperation({
    summary: 'Record validation results; the acceptance criteria are checked and a pass opens the validator sign-off task (A.6.2.4)',
  })
  @ApiCreatedResponse({ type: ValidationRecordedDto })
  @CommandErrors()
  recordValidationResults(
    @Acting() by: Actor,
    @Param() p: AiSystemIdParamsDto,
    @Body() body: RecordValidationResultsDto,
  ): Promise<ValidationRecordedDto> {
    return this.lifecycle.send(p.id, recordValidationResultsUpdate, body.toInput(by));
  }

  @Post(':id/deployments')
  @Roles(...COMMAND_ROLES.RequestDeployment)
  @ApiOperation({
    summary: 'The CI/CD deployment gate (A.6.2.5): may this exact artifact go out?',
    description:
      '200 allowed; 202 pending with the approval task; 409 blocked (problem+json with outcome, requestId and every reason). ' +
      'Send an Idempotency-Key: the same caller sending the same key with the same content gets the first answer (`repeated: true`; the repeat is recorded as evidence), ' +
      'so a retrying pipeline never opens a second request. The key is scoped to the calling identity: the requestId is a hash of both, ' +
      'so another identity sending the same key gets a request of its own. `triggeredBy` names the person behind the pipeline run, who may then not approve it.',
  })
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      '1-200 letters, digits or . _ : -; e.g. the pipeline run id. Scoped to the caller: the requestId is `idem-` + SHA-256 of caller and key',
  })
  @ApiOkResponse({ type: DeploymentGateDto, description: 'allowed' })
  @ApiAcceptedResponse({ type: DeploymentGateDto, description: 'pending: an approver must decide task.id' })
  @ApiConflictResponse({
    type: DeploymentGateDto,
    description:
      'blocked: problem+json with code DEPLOYMENT_BLOCKED and the gate answer (outcome "blocked", requestId, every reason {code, message}); ' +
      'or DUPLICATE_ID when the same caller used the Idempotency-Key for a different request',
  })
  @CommandErrors()
  async requestDeployment(
    @Acting() by: Actor,
    @Param() p: AiSystemIdParamsDto,
    @Body() body: RequestDeploymentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeploymentGateDto> {
    const gate = gateFromAnswer(
      await this.lifecycle.send(p.id, requestDeploymentUpdate, body.toInput(by, requestIdFromIdempotencyKey(idempotencyKey, by.id))),
    );
    res.setHeader('Location', deploymentLocation(p.id, gate.requestId));
    if (gate.outcome === 'blocked') throw blockedProblem(gate);
    res.status(gate.outcome === 'pending' ? 202 : 200);
    return gate;
  }

  @Get(':id/deployments/:requestId')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Where a deployment request stands now (what `aims gate --wait` polls); always 200, the outcome in the body' })
  @ApiOkResponse({ type: DeploymentGateDto })
  @ApiNotFoundResponse({ description: 'No such AI system or deployment request' })
  @ApiServiceUnavailableResponse({ description: 'Temporal or the lifecycle worker did not answer' })
  async deploymentRequest(@Param() p: DeploymentParamsDto): Promise<DeploymentGateDto> {
    return gateFromView(p.id, await this.lifecycle.deploymentRequest(p.id, p.requestId));
  }

  @Post(':id/deployments/:requestId/completion')
  @HttpCode(200)
  @Roles(...COMMAND_ROLES.RecordDeploymentCompleted)
  @ApiOperation({
    summary: 'The pipeline reports an approved deployment done; in a production environment the version is now in production',
  })
  @ApiOkResponse({ type: DeploymentCompletedDto })
  @CommandErrors()
  recordDeploymentCompleted(
    @Acting() by: Actor,
    @Param() p: DeploymentParamsDto,
    @Body() _body: EmptyBodyDto,
  ): Promise<DeploymentCompletedDto> {
    return this.lifecycle.send(p.id, recordDeploymentCompletedUpdate, { by, requestId: p.requestId }, ['DEPLOYMENT_REQUEST_UNKNOWN']);
  }

  @Post(':id/monitoring-reports')
  @Roles(...COMMAND_ROLES.RecordMonitoringReport)
  @ApiOperation({ summary: 'Record a monitoring report (9.1, A.6.2.6); a threshold breach opens a nonconformity (10.2)' })
  @ApiCreatedResponse({ type: MonitoringReportRecordedDto })
  @CommandErrors()
  recordMonitoringReport(
    @Acting() by: Actor,
    @Param() p: AiSystemIdParamsDto,
    @Body() body: RecordMonitoringReportDto,
  ): Promise<MonitoringReportRecordedDto> {
    return this.lifecycle.send(p.id, recordMonitoringReportUpdate, body.toInput(by));
  }

  @Post(':id/incidents')
  @Roles(...COMMAND_ROLES.ReportIncident)
  @ApiOperation({ summary: 'Report an incident (A.8.4); severe ones open a nonconformity (10.2)' })
  @ApiCreatedResponse({ type: IncidentReportedDto })
  @CommandErrors()
  reportIncident(@Acting() by: Actor, @Param() p: AiSystemIdParamsDto, @Body() body: ReportIncidentDto): Promise<IncidentReportedDto> {
    return this.lifecycle.send(p.id, reportIncidentUpdate, body.toInput(by));
  }

  @Post(':id/nonconformities/:nonconformityId/closure')
  @HttpCode(200)
  @Roles(...COMMAND_ROLES.CloseNonconformity)
  @ApiOperation({
    summary:
      "Close a nonconformity in the system's record (10.2). One raised by the lifecycle closes here by itself when its corrective action is found effective; this is for one handled otherwise",
  })
  @ApiOkResponse({ type: NonconformityClosedDto })
  @CommandErrors()
  closeNonconformity(
    @Acting() by: Actor,
    @Param() p: NonconformityParamsDto,
    @Body() body: CloseNonconformityDto,
  ): Promise<NonconformityClosedDto> {
    return this.lifecycle.send(p.id, closeNonconformityUpdate, body.toInput(by, p.nonconformityId), ['NONCONFORMITY_UNKNOWN']);
  }

  @Post(':id/changes')
  @Roles(...COMMAND_ROLES.RecordChange)
  @ApiOperation({ summary: 'Record a change (6.3); a significant one sends the system back to impact assessment' })
  @ApiCreatedResponse({ type: ChangeRecordedDto })
  @CommandErrors()
  recordChange(@Acting() by: Actor, @Param() p: AiSystemIdParamsDto, @Body() body: RecordChangeDto): Promise<ChangeRecordedDto> {
    return this.lifecycle.send(p.id, recordChangeUpdate, body.toInput(by));
  }

  @Post(':id/resources')
  @Roles(...COMMAND_ROLES.RecordResources)
  @ApiOperation({
    summary:
      'Record the tooling, compute and human resources the system depends on, with owners (7.1, A.4.2, A.4.4–A.4.6); replaces the list',
  })
  @ApiCreatedResponse({ type: ResourcesRecordedDto })
  @CommandErrors()
  recordResources(@Acting() by: Actor, @Param() p: AiSystemIdParamsDto, @Body() body: RecordResourcesDto): Promise<ResourcesRecordedDto> {
    return this.lifecycle.send(p.id, recordResourcesUpdate, body.toInput(by));
  }

  @Post(':id/decommissioning')
  @Roles(...COMMAND_ROLES.RequestDecommissioning)
  @ApiOperation({ summary: 'Request decommissioning; opens an approval task' })
  @ApiCreatedResponse({ type: DecommissioningRequestedDto })
  @CommandErrors()
  requestDecommissioning(
    @Acting() by: Actor,
    @Param() p: AiSystemIdParamsDto,
    @Body() body: RequestDecommissioningDto,
  ): Promise<DecommissioningRequestedDto> {
    return this.lifecycle.send(p.id, requestDecommissioningUpdate, body.toInput(by));
  }

  @Post(':id/decommissioning/completion')
  @HttpCode(200)
  @Roles(...COMMAND_ROLES.CompleteDecommissioning)
  @ApiOperation({ summary: 'Complete an approved decommissioning with the data-retention decision; the lifecycle ends' })
  @ApiOkResponse({ type: DecommissionedDto })
  @CommandErrors()
  completeDecommissioning(
    @Acting() by: Actor,
    @Param() p: AiSystemIdParamsDto,
    @Body() body: CompleteDecommissioningDto,
  ): Promise<DecommissionedDto> {
    return this.lifecycle.send(p.id, completeDecommissioningUpdate, body.toInput(by));
  }
}

function deploymentLocation(systemId: string, requestId: string): string {
  return `/v1/ai-systems/${encodeURIComponent(systemId)}/deployments/${encodeURIComponent(requestId)}`;
}

function gateTask(task: AiSystemTask | null | undefined): GateTaskDto | null {
  if (!task) return null;
  return {
    id: task.taskId,
    kind: task.kind,
    requiredRoles: [...task.requiredRoles],
    dueAt: task.dueAt,
    decision: `/v1/tasks/${encodeURIComponent(task.taskId)}/decision`,
  };
}

/** A block reason as answered: the risk ids only where the reason names risks, the scope decision only where it is one. */
function gateReason(r: DeploymentBlockReason): GateReasonDto {
  return {
    code: r.code,
    message: r.message,
    ...(r.riskIds === undefined ? {} : { riskIds: [...r.riskIds] }),
    ...(r.scopeDecision === undefined ? {} : { scopeDecision: { ...r.scopeDecision } }),
  };
}

function gateFromAnswer(answer: Answered<DeploymentGateAnswer>): DeploymentGateDto {
  return {
    outcome: answer.outcome,
    requestId: answer.requestId,
    systemId: answer.systemId,
    requestStatus: answer.status,
    reasons: answer.reasons.map(gateReason),
    task: answer.outcome === 'pending' ? gateTask(answer.task) : null,
    ...(answer.aiPolicy === undefined ? {} : { aiPolicy: aiPolicyOf(answer.aiPolicy) }),
    repeated: answer.repeated,
    recorded: answer.recorded,
    lastPosition: answer.lastPosition,
    projected: answer.projected,
  };
}

function gateFromView(systemId: string, view: DeploymentRequestView): DeploymentGateDto {
  return {
    // A completed deployment was allowed; requestStatus says it has gone out.
    outcome: view.outcome === 'completed' ? 'allowed' : view.outcome,
    requestId: view.requestId,
    systemId,
    requestStatus: view.status,
    reasons: view.reasons.map(gateReason),
    task: view.outcome === 'pending' ? gateTask(view.task) : null,
    ...(view.aiPolicy === undefined ? {} : { aiPolicy: aiPolicyOf(view.aiPolicy) }),
  };
}

/** The AI policy noted at the decision, copied so the answer never shares the workflow's arrays. */
function aiPolicyOf(a: AiPolicyAtDecision): AiPolicyAtDecisionDto {
  return { ...a, policies: a.policies.map((p) => ({ ...p, attachmentDigests: [...p.attachmentDigests] })) };
}

/** A blocked request as problem+json that still carries the gate's answer (outcome, requestId, reasons). */
function blockedProblem(gate: DeploymentGateDto): HttpException {
  const detail = `Deployment request ${gate.requestId} may not go out: ${gate.reasons.map((r) => r.message).join(' ')}`;
  return new HttpException(
    { type: problemType('DEPLOYMENT_BLOCKED'), title: 'Conflict', status: 409, detail, code: 'DEPLOYMENT_BLOCKED', ...gate },
    409,
  );
}
