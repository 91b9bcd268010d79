/**
 * The pack's readable index: recorded values cannot break out of their cell or the page, nor hide behind
 * control or bidi characters; approvals and shipped artefacts are picked from the events as documented.
 */
import {
  DECISIONS,
  DEPLOYMENTS,
  escapeHtml,
  escapeMarkdown,
  HTML,
  type IndexedEvent,
  isDecision,
  isDeployment,
  MARKDOWN,
  TIMELINE,
} from '../../../domain/evidence/evidence-pack-index';

const event = (type: string, data: IndexedEvent['data'], actor?: { id: string; role: string }): IndexedEvent => ({
  position: 7,
  revision: 2,
  stream: 'ai-system-42',
  type,
  recordedAt: '2026-03-31T10:00:00.000Z',
  data,
  metadata: actor ? { actor } : {},
});

describe('evidence pack index', () => {
  it('escapes HTML and shows control and bidi characters instead of obeying them', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;&#38;');
    expect(escapeHtml('evil\u202Egpj.exe\u0007')).toBe('evil\\u202egpj.exe\\u0007');
    expect(escapeHtml('naïve ✓ 😀')).toBe('naïve ✓ 😀');
  });

  it('keeps a Markdown cell one cell: pipes, markup and line breaks are escaped', () => {
    expect(escapeMarkdown('a | b\n[x](http://e) <b>*c*</b> `d` &amp;')).toBe(
      'a \\| b\\\\u000a\\[x\\](http://e) \\<b\\>\\*c\\*\\</b\\> \\`d\\` \\&amp;',
    );
    const row = MARKDOWN.row(TIMELINE, event('X', { name: 'a|b\nc' }, { id: 'eve|x', role: 'r' }));
    expect(row.split('\n')).toHaveLength(2);
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(TIMELINE.columns.length + 1);
  });

  it('picks decisions with who made them, and deployments with the artefact digest shipped', () => {
    const approved = event(
      'DeploymentApproved',
      { requestId: 'deployment-1', artifactDigest: 'sha256:ab', modelVersion: 'v1' },
      { id: 'carla', role: 'deployment-approver' },
    );
    const completed = event('DeploymentCompleted', { requestId: 'deployment-1', artifactDigest: 'sha256:ab', production: true });
    expect([approved, completed].map(isDeployment)).toEqual([true, true]);
    expect([approved, completed].map(isDecision)).toEqual([true, false]);
    expect(isDecision(event('HumanTaskDecided', { outcome: 'approved' }))).toBe(true);
    expect(isDecision(event('MonitoringReportRecorded', {}))).toBe(false);
    expect(DEPLOYMENTS.cells(completed)).toEqual([
      '7',
      '2026-03-31T10:00:00.000Z',
      'DeploymentCompleted (shipped, production)',
      'deployment-1',
      '-',
      'sha256:ab',
      '-',
      '-',
      '-',
    ]);
    const approval = (automatic: boolean): IndexedEvent['data'] => ({
      requestId: 'deployment-1',
      artifactDigest: 'sha256:ab',
      approval: { by: { id: 'carla', role: 'deployment-approver' }, at: 'now', automatic, taskId: automatic ? null : '42-task-3' },
    });
    expect(DEPLOYMENTS.cells(event('DeploymentApproved', approval(false)))[7]).toBe('carla (deployment-approver), task 42-task-3');
    expect(DEPLOYMENTS.cells(event('DeploymentApproved', approval(true)))[7]).toBe("automatic (the risk tier's policy)");
    expect(DECISIONS.cells(approved)).toEqual([
      '7',
      '2026-03-31T10:00:00.000Z',
      'DeploymentApproved',
      'carla (deployment-approver)',
      'requestId=deployment-1; modelVersion=v1; artifactDigest=sha256:ab',
    ]);
  });

  it('the HTML page loads nothing and runs nothing', () => {
    const page =
      HTML.start({
        title: 'Evidence pack of <script>',
        createdAt: 'now',
        asOf: { position: 1, requested: '1' },
        checkpoint: { origin: 'o', size: 1, rootHash: 'r', keyName: 'k', verifierKeys: ['k+1+AQ'] },
        selection: 's',
        events: 1,
      }) +
      HTML.sectionStart(TIMELINE) +
      HTML.row(TIMELINE, event('X', { name: '<script>alert(1)</script>' })) +
      HTML.sectionEnd(TIMELINE, 1) +
      HTML.end();
    expect(page).not.toMatch(/<script|<img|<link|src=|href=/i);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});
