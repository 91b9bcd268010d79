/**
 * The one inbox's decisions: finds a task in the human-task read model (by its id, which names the stream
 * and so the process that owns it) and hands the decision to the route its kind registered (task-kinds.ts),
 * after checking that the body is one that kind takes. Whether this person may decide it is the owning
 * process's rule, never the inbox's.
 */
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Actor } from '../../../../domain/shared/roles';
import type { ReadModelStore } from '../../../../infra/ports/read-model-store.port';
import { HUMAN_TASKS, type HumanTaskRow } from '../../../../infra/projections/read-models';
import { invalidField, problem } from '../common/problems';
import { READ_MODEL_STORE } from '../stores/store.tokens';
import { TASK_OUTCOMES, type TaskDecided, type TaskDecisionField, type TaskDecisionInputDto } from './task-decisions.dto';
import { TASK_PROCESSES, type TaskKindRoute, type TaskProcess } from './task-kinds';

/** Every field a decision body may have besides its outcome. */
const DECISION_FIELDS: readonly TaskDecisionField[] = [
  'comment',
  'reasons',
  'evidenceRefs',
  'findings',
  'containment',
  'rootCauseAnalysis',
  'plan',
  'value',
  'attendees',
  'minutes',
];

interface BoundRoute {
  route: TaskKindRoute<unknown>;
  process: unknown;
}

@Injectable()
export class TaskInbox implements OnModuleInit {
  private readonly routes = new Map<string, BoundRoute>();

  constructor(
    private readonly modules: ModuleRef,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  onModuleInit(): void {
    this.register(TASK_PROCESSES);
  }

  /** Binds each kind to its route and the service of its process; a kind registered twice is a bug. */
  register(processes: readonly TaskProcess<unknown>[]): void {
    for (const { service, routes } of processes) {
      const process = this.modules.get(service, { strict: false });
      for (const route of routes) {
        for (const kind of route.kinds) {
          if (this.routes.has(kind)) throw new Error(`task kind ${kind} is registered twice`);
          this.routes.set(kind, { route, process });
        }
        const unknown = route.outcomes.filter((o) => !(TASK_OUTCOMES as readonly string[]).includes(o));
        if (unknown.length > 0)
          throw new Error(`task kinds ${route.kinds.join(', ')} name outcomes the body cannot carry: ${unknown.join(', ')}`);
      }
    }
  }

  async decide(taskId: string, body: TaskDecisionInputDto, by: Actor): Promise<TaskDecided> {
    const task = await this.find(taskId);
    const bound = this.routes.get(task.kind);
    if (bound === undefined) {
      throw problem(
        409,
        'TASK_NOT_DECIDABLE_HERE',
        `Task ${task.taskId} is a ${task.kind} task of ${task.stream}; no process decides that kind through this endpoint.`,
        {
          details: { taskId, kind: task.kind, stream: task.stream },
        },
      );
    }
    const { route, process } = bound;
    if (!route.outcomes.includes(body.outcome))
      throw invalidField('outcome', `a ${task.kind} task is decided with ${route.outcomes.join(' or ')}`);
    const foreign = DECISION_FIELDS.filter((field) => body[field] !== undefined && !route.fields.includes(field));
    if (foreign.length > 0) {
      throw problem(400, 'VALIDATION_FAILED', `a ${task.kind} task takes ${route.fields.join(', ') || 'no field but outcome'}`, {
        errors: foreign.map((field) => ({ field, messages: [`a ${task.kind} task does not take ${field}`] })),
      });
    }
    return route.decide(process, task, body, by);
  }

  private async find(taskId: string): Promise<HumanTaskRow> {
    const page = await this.readModels.query<HumanTaskRow>(HUMAN_TASKS, {
      where: [{ column: 'task_id', op: 'eq', value: taskId }],
      limit: 2,
    });
    const [task, other] = page.items;
    if (task === undefined) throw problem(404, 'HUMAN_TASK_UNKNOWN', `There is no task ${taskId}.`, { details: { taskId } });
    // Task ids name their process's record (a system, a nonconformity), so two streams never share one; refuse to guess if they do.
    if (other !== undefined) {
      throw problem(409, 'HUMAN_TASK_AMBIGUOUS', `Task id ${taskId} names tasks in ${task.stream} and ${other.stream}.`, {
        details: { streams: [task.stream, other.stream] },
      });
    }
    return task;
  }
}
