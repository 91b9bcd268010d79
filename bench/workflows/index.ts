/** The bench worker's workflows: the product's lifecycle and the bare baseline, in one bundle. */
export { aiSystemLifecycle } from '../../workflows/ai-system-lifecycle.workflow';
export { bareActivityLoop } from './bare-activity-loop.workflow';
export { bareUpdateAppend } from './bare-update-append.workflow';
