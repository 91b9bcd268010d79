/**
 * The resources an AI system depends on (7.1, A.4.2, A.4.4–A.4.6): its tooling, its system and computing
 * resources, and the people it needs, each with an owner who answers for it. Recorded through the
 * lifecycle as the whole current list (ResourcesRecorded replaces the list before it, with a reason), so
 * the system's record shows what it depends on now and its evidence shows every earlier list.
 */
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { invalid } from '../errors';
import { MAX_RESOURCES, RESOURCE_KINDS, type AiSystemRecord, type AiSystemResource } from '../model';
import { actorOf } from './common';
import type { DecideResult, Feature } from './feature';

const RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function recordResources(c: C.RecordResources, s: AiSystemRecord): DecideResult {
  const v = new ValidationIssues();
  const list: unknown = c.resources;
  if (!Array.isArray(list)) v.add('resources', 'must be a list of resources (it may be empty)');
  else {
    if (list.length > MAX_RESOURCES) v.add('resources', `must name at most ${MAX_RESOURCES}`);
    list.forEach((r: Partial<AiSystemResource> | null, i) => {
      const at = `resources[${i}]`;
      if (typeof r !== 'object' || r === null) {
        v.add(at, 'must be an object');
        return;
      }
      if (typeof r.resourceId !== 'string' || !RESOURCE_ID.test(r.resourceId))
        v.add(`${at}.resourceId`, 'must be an id: letters, digits, ".", "_", ":" or "-"');
      v.oneOf(`${at}.kind`, r.kind, RESOURCE_KINDS);
      v.text(`${at}.name`, r.name);
      if (r.description !== undefined && (typeof r.description !== 'string' || r.description.length > 4000))
        v.add(`${at}.description`, 'must be text of at most 4000 characters (it may be empty)');
      v.text(`${at}.owner`, r.owner);
    });
    v.distinct(
      'resources',
      (list as Array<{ resourceId?: unknown }>).map((r) => String(r?.resourceId)),
      'resourceId',
    );
  }
  v.text('reason', c.reason);
  if (!v.empty) return err(invalid(c.type, v.list));
  const resources = (list as AiSystemResource[]).map((r) => ({
    resourceId: r.resourceId,
    kind: r.kind,
    name: r.name.trim(),
    description: (r.description ?? '').trim(),
    owner: r.owner.trim(),
  }));
  return ok([
    { type: 'ResourcesRecorded', resources, reason: c.reason, previousCount: (s.resources ?? []).length, by: actorOf(c), at: c.at },
  ]);
}

export const resources = {
  decide: { RecordResources: recordResources },
  evolve: { ResourcesRecorded: (s, e) => ({ ...s, resources: e.resources }) },
} satisfies Feature;
