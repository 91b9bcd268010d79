/** Prebuilds the workflow bundle so production workers start fast and run exactly the code that was built. */
import * as fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH, WORKFLOW_BUNDLER_OPTIONS, WORKFLOWS_SOURCE_PATH } from './create-worker';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_SOURCE_PATH,
    ...WORKFLOW_BUNDLER_OPTIONS,
    logger: undefined,
  });
  fs.writeFileSync(WORKFLOW_BUNDLE_PATH, code);
  process.stdout.write(`workflow bundle written to ${WORKFLOW_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
