/** The lifecycle scenarios of the AI-system specs, plus the steps the control-rule specs need. */
import type { AiSystemCommand } from '../../../../domain/ai-system';
import { at, owner } from '../ai-system/scenario';

export * from '../ai-system/scenario';

/** A significant change (it makes the approved impact assessment outdated). */
export const changeSignificant = (minute: number): AiSystemCommand => ({
  type: 'RecordChange',
  changeId: `CH-${minute}`,
  description: 'New feature: income from open banking',
  significant: true,
  amendments: {},
  by: owner,
  at: at(minute),
});
