/**
 * A webpack loader for changed-workflows.replay.test.ts: applies one deliberate change (`find` → `replace`)
 * to one workflow source file as the replay bundle is built, so the changed copy exists only in that test's
 * bundle. The anchor must occur exactly once: when today's code no longer has it, the test fails saying so
 * instead of silently bundling the unchanged workflow.
 */
'use strict';

module.exports = function workflowChangeLoader(source) {
  const { name, find, replace } = this.getOptions();
  const count = source.split(find).length - 1;
  if (count !== 1) {
    throw new Error(
      `the deliberate change "${name}" no longer applies to ${this.resourcePath}: its anchor occurs ${count} times, not once; update the change to today's code`,
    );
  }
  return source.replace(find, () => replace);
};
