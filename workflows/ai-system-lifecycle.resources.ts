/**
 * The lifecycle's record of the resources the system depends on (7.1, A.4.4–A.4.6; domain/ai-system/
 * features/resources.ts): the `recordResources` Update replaces the list with a reason (ResourcesRecorded).
 *
 * Upgrades: a run records RESOURCES_PATCH the first time it accepts the Update, so a history that holds
 * the step replays with the handler's behaviour, and the histories recorded before it (which never asked)
 * replay as they were.
 */
import { patched } from '@temporalio/workflow';
import type { AiSystemCommand, AiSystemEvent, AiSystemState } from '../domain/ai-system';
import { isRegistered } from '../domain/ai-system';
import * as msg from './ai-system-lifecycle.messages';
import type { Step } from './runtime/decider';
import type { Process } from './runtime/process';

/** The patch marking runs that recorded the system's resources. */
export const RESOURCES_PATCH = 'ai-system-resources-recorded';

export function acceptResources(
  p: Process<AiSystemState, AiSystemCommand, AiSystemEvent>,
  answered: (steps: Step<AiSystemEvent>[]) => msg.LifecycleStepResult,
): void {
  p.update(msg.recordResourcesUpdate, {
    command: (a, { at, by }) => ({ type: 'RecordResources', resources: a.resources, reason: a.reason, by, at }),
    run: async (command, asked) => {
      patched(RESOURCES_PATCH);
      const done = await p.step(command, asked);
      return { ...answered([done]), resources: isRegistered(p.state) ? (p.state.resources ?? []) : [] };
    },
  });
}
