/**
 * The objectives' tasks in the one inbox: a manual measure's measurement task (9.1), done by entering the
 * value (outcome `record`, field `value`). Who may enter it (the objective's owner or the AIMS owner) is
 * the objective's rule, checked by its workflow as for POST /v1/objectives/{id}/measurements.
 */
import { OBJECTIVE_CATEGORY } from '../../../../domain/objective/model';
import { recordManualMeasurementUpdate } from '../../../../workflows/objective.messages';
import { invalidField } from '../common/problems';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { ObjectiveProcess } from './objective.process';

export const OBJECTIVE_TASK_ROUTES: readonly TaskKindRoute<ObjectiveProcess>[] = [
  {
    kinds: ['objective_measurement'],
    outcomes: ['record'],
    fields: ['value', 'comment', 'evidenceRefs'],
    summary:
      "A manual measure's value for an AI objective (its owner or the AIMS owner): `value` is required, `comment` is kept as the note.",
    async decide(objectives, task, body, by) {
      if (typeof body.value !== 'number') throw invalidField('value', 'a measurement task is done by entering the measured value');
      const prefix = `${OBJECTIVE_CATEGORY}-`;
      const objectiveId = task.stream.startsWith(prefix) ? task.stream.slice(prefix.length) : '';
      const answer = await objectives.send(objectiveId, recordManualMeasurementUpdate, {
        by,
        value: body.value,
        note: typeof body.comment === 'string' ? body.comment : null,
        evidenceRefs: body.evidenceRefs === undefined ? [] : [...body.evidenceRefs],
      });
      return { ...answer, taskId: task.taskId, kind: 'objective_measurement', outcome: 'recorded', stream: task.stream };
    },
  },
];
