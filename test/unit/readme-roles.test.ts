/**
 * The README's "Who may do what" table is the one people read; the code's role tables are the ones that
 * decide. This test keeps them equal, role for role and in order, and keeps the roles the README's endpoint
 * tables mention equal to that table. A role or command added or removed on either side fails it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_ROLES } from '../../domain/ai-system/authority';
import { isAimsRole, type AimsRole } from '../../domain/shared/roles';
import { NONCONFORMITY_COMMAND_ROLES } from '../../domain/nonconformity/authority';

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The rows of every Markdown table in `text`, each as its header's cells mapped to the row's cells. */
function tables(text: string): Array<Array<Record<string, string>>> {
  const found: Array<Array<Record<string, string>>> = [];
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith('|') || !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1])) continue;
    const header = cells(lines[i]);
    const rows: Array<Record<string, string>> = [];
    for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) {
      const row = cells(lines[i]);
      rows.push(Object.fromEntries(header.map((name, k) => [name, row[k] ?? ''])));
    }
    found.push(rows);
  }
  return found;
}

function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** The section of the README under `heading`, up to the next heading of any level. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no heading "${heading}"`);
  const rest = README.slice(start + heading.length + 2);
  const end = rest.search(/^#{1,6} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * A roles text as the README writes it: a list of AIMS roles (a parenthetical aside after it is ignored),
 * `[]` for "the action's owner" (no role grants it), or null when it names no fixed roles.
 */
function rolesIn(text: string): AimsRole[] | null {
  const list = text
    .replace(/\(.*\)\s*\.?$/, '')
    .trim()
    .replace(/\.$/, '');
  if (/^the action's owner$/i.test(list)) return [];
  const names = list.split(/,\s*/);
  return names.length > 0 && names.every(isAimsRole) ? names : null;
}

/** `POST /v1/x/{id}/y` → { method: 'POST', path: '/v1/x/{id}/y' }; null for text that names no endpoint. */
function endpointIn(text: string): { method: string; path: string } | null {
  const match = /^`(GET|POST|PUT|PATCH|DELETE) ([^`]+)`$/.exec(text);
  return match ? { method: match[1], path: match[2] } : null;
}

interface RoleRow {
  process: string;
  command: string;
  endpoint: { method: string; path: string } | null;
  roles: AimsRole[] | null;
}

const roleTable: RoleRow[] = (() => {
  const found = tables(section('### Who may do what'));
  if (found.length !== 1) throw new Error(`"Who may do what" should hold one table, found ${found.length}`);
  return found[0].map((row) => ({
    process: row.Process,
    command: row.Command.replace(/`/g, ''),
    endpoint: endpointIn(row.Endpoint),
    roles: rolesIn(row.Roles),
  }));
})();

function rowsOf(process: string): Map<string, RoleRow> {
  const rows = roleTable.filter((row) => row.process === process);
  const byCommand = new Map(rows.map((row) => [row.command, row]));
  expect(byCommand.size).toBe(rows.length); // no command listed twice
  return byCommand;
}

describe("README's role table against the code", () => {
  it('given the AI-system lifecycle rows, when compared with COMMAND_ROLES, then the same commands need the same roles in the same order', () => {
    // given
    const rows = rowsOf('AI-system lifecycle');
    // when
    const readme = Object.fromEntries(
      [...rows].filter(([command]) => command !== 'DecideHumanTask').map(([command, row]) => [command, row.roles]),
    );
    // then
    expect(readme).toEqual(COMMAND_ROLES);
    expect(rows.get('DecideHumanTask')?.roles).toBeNull(); // governed by each task's own roles
  });

  it('given the corrective-action rows, when compared with NONCONFORMITY_COMMAND_ROLES, then the same commands need the same roles in the same order', () => {
    // given
    const rows = rowsOf('Corrective action');
    // when
    const readme = Object.fromEntries([...rows].map(([command, row]) => [command, row.roles]));
    // then
    expect(readme).toEqual(NONCONFORMITY_COMMAND_ROLES);
  });

  it('given the raise row, when compared with the step roles, then whoever may take a step may raise, in the table order', () => {
    const { RaiseNonconformity: raise, ...steps } = NONCONFORMITY_COMMAND_ROLES;
    expect(raise).toEqual([...new Set(Object.values(steps).flat())]);
  });

  it('given the rows, when their roles are read, then every one names known AIMS roles or says who else decides', () => {
    for (const row of roleTable) {
      expect({ command: row.command, readable: row.roles !== null || row.command === 'DecideHumanTask' }).toEqual({
        command: row.command,
        readable: true,
      });
    }
  });
});

describe("README's endpoint tables against its role table", () => {
  /** Each endpoint row that mentions a path of the role table, with the roles it states. */
  const endpointRows = tables(README)
    .filter((rows) => rows.length > 0 && 'Endpoint' in rows[0] && !('Command' in rows[0]))
    .flat()
    .map((row) => {
      const fragments = [...row.Endpoint.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      const method = /^(GET|POST|PUT|PATCH|DELETE) /.exec(fragments[0] ?? '')?.[1] ?? '';
      // Later fragments of a cell (`… · /versions`) are paths relative to the first; `…/{id}/x` abbreviates.
      const paths = fragments.map((f) => f.replace(/^(GET|POST|PUT|PATCH|DELETE) /, '').replace(/^…/, ''));
      const governed = roleTable.filter(
        (r) => r.endpoint !== null && r.endpoint.method === method && paths.some((p) => p.startsWith('/') && r.endpoint!.path.endsWith(p)),
      );
      // The roles are a Roles column, or else the Meaning's last sentence ("… engineer, ci.").
      const stated = 'Roles' in row ? row.Roles : (/(?:^|[.)]\s)([^.]*\.?)\s*$/.exec(row.Meaning)?.[1] ?? '');
      return { endpoint: row.Endpoint, governed, roles: rolesIn(stated) };
    })
    .filter((row) => row.governed.length > 0);

  it('given the endpoint tables, when read, then they mention the endpoints of the role table', () => {
    const mentioned = new Set(endpointRows.flatMap((row) => row.governed.map((r) => r.command)));
    const withEndpoint = roleTable.filter((r) => r.endpoint !== null && r.roles !== null).map((r) => r.command);
    expect(withEndpoint.filter((command) => !mentioned.has(command))).toEqual([]);
  });

  it('given each endpoint row with fixed roles, when compared with the role table, then it states the same roles in the same order', () => {
    for (const row of endpointRows) {
      for (const governing of row.governed.filter((r) => r.roles !== null)) {
        expect({ endpoint: row.endpoint, command: governing.command, roles: row.roles }).toEqual({
          endpoint: row.endpoint,
          command: governing.command,
          roles: governing.roles,
        });
      }
    }
  });
});
