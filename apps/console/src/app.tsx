/** The shell: sign-in, then the pages, each at a deep link of its own. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { Link, Route, Switch, useLocation } from 'wouter';
import { answer, api, ApiProblem } from './api/client';
import { Loading, ProblemNotice } from './components/states';
import { AUDIT_READERS, holdsAny, MeContext, useMe } from './me';
import { AiSystemPage } from './pages/ai-system';
import { AiSystemsPage } from './pages/ai-systems';
import { AuditPage } from './pages/audit';
import { AuditProgrammePage } from './pages/audit-programme';
import { AuditsPage } from './pages/audits';
import { DocumentPage } from './pages/document';
import { DocumentsPage, MasterListPage } from './pages/documents';
import { EvidencePage } from './pages/evidence';
import { MeasurePage } from './pages/measure';
import { MeasuresPage } from './pages/measures';
import { NonconformitiesPage } from './pages/nonconformities';
import { NonconformityPage } from './pages/nonconformity';
import { PeoplePage, RoleAssignmentsPage } from './pages/people';
import { PersonPage } from './pages/person';
import { RaciPage } from './pages/raci';
import { ObjectivePage } from './pages/objective';
import { ObjectivesPage } from './pages/objectives';
import { READINESS_READERS, ReadinessPage } from './pages/readiness';
import { ReviewPage } from './pages/review';
import { ReviewsPage } from './pages/reviews';
import { RisksPage } from './pages/risks';
import { SignIn } from './pages/sign-in';
import { SoaPage } from './pages/soa';
import { SoaControlPage } from './pages/soa-control';
import { StreamPage } from './pages/stream';
import { TasksPage } from './pages/tasks';
import { forgetToken, storedToken } from './session';

/** A path segment as the record's id (ids may hold characters links escape, such as `:`). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function App() {
  const [token, setToken] = useState(storedToken());
  const queries = useQueryClient();
  const signOut = () => {
    forgetToken();
    queries.clear();
    setToken(null);
  };
  if (token === null) return <SignIn onSignedIn={() => setToken(storedToken())} />;
  return <SignedIn onSignOut={signOut} />;
}

function SignedIn({ onSignOut }: { onSignOut: () => void }) {
  const me = useQuery({ queryKey: ['me'], queryFn: () => answer(api.GET('/v1/me')) });
  // A token revoked or expired since sign-in: back to the sign-in page.
  useEffect(() => {
    if (me.error instanceof ApiProblem && me.error.problem.status === 401) onSignOut();
  }, [me.error, onSignOut]);
  if (me.isPending) return <Loading what="who you are" />;
  if (me.error) return <ProblemNotice error={me.error} />;
  return (
    <MeContext.Provider value={me.data}>
      <Header onSignOut={onSignOut} />
      <main id="main" tabIndex={-1}>
        <Switch>
          <Route path="/">
            <TasksPage />
          </Route>
          <Route path="/tasks">
            <TasksPage />
          </Route>
          <Route path="/tasks/:taskId">{(p) => <TasksPage taskId={decoded(p.taskId)} />}</Route>
          <Route path="/ai-systems">
            <AiSystemsPage />
          </Route>
          <Route path="/ai-systems/:id">{(p) => <AiSystemPage systemId={decoded(p.id)} />}</Route>
          <Route path="/nonconformities">
            <NonconformitiesPage />
          </Route>
          <Route path="/nonconformities/:id">{(p) => <NonconformityPage nonconformityId={decoded(p.id)} />}</Route>
          <Route path="/risks">
            <RisksPage />
          </Route>
          <Route path="/objectives">
            <ObjectivesPage />
          </Route>
          <Route path="/objectives/:id">{(p) => <ObjectivePage objectiveId={decoded(p.id)} />}</Route>
          <Route path="/measures">
            <MeasuresPage />
          </Route>
          <Route path="/measures/:id">{(p) => <MeasurePage measureId={decoded(p.id)} />}</Route>
          <Route path="/soa">
            <SoaPage />
          </Route>
          <Route path="/soa/controls/:id">{(p) => <SoaControlPage controlId={decoded(p.id)} />}</Route>
          <Route path="/documents">
            <DocumentsPage />
          </Route>
          <Route path="/documents/master-list">
            <MasterListPage />
          </Route>
          <Route path="/documents/:id">{(p) => <DocumentPage documentId={decoded(p.id)} />}</Route>
          <Route path="/people">
            <PeoplePage />
          </Route>
          <Route path="/people/role-assignments">
            <RoleAssignmentsPage />
          </Route>
          <Route path="/people/raci">
            <RaciPage />
          </Route>
          <Route path="/people/:id">{(p) => <PersonPage personId={decoded(p.id)} />}</Route>
          <Route path="/audits">
            <AuditsPage />
          </Route>
          <Route path="/audits/programmes/:period">{(p) => <AuditProgrammePage period={decoded(p.period)} />}</Route>
          <Route path="/audits/:id">{(p) => <AuditPage auditId={decoded(p.id)} />}</Route>
          <Route path="/reviews">
            <ReviewsPage />
          </Route>
          <Route path="/reviews/:id">{(p) => <ReviewPage reviewId={decoded(p.id)} />}</Route>
          <Route path="/readiness">
            <ReadinessPage />
          </Route>
          <Route path="/evidence">
            <EvidencePage />
          </Route>
          <Route path="/evidence/streams/:stream">{(p) => <StreamPage stream={decoded(p.stream)} />}</Route>
          <Route>
            <h1>Not found</h1>
            <p>
              No page here. <Link href="/tasks">Go to my tasks</Link>.
            </p>
          </Route>
        </Switch>
      </main>
    </MeContext.Provider>
  );
}

function Header({ onSignOut }: { onSignOut: () => void }) {
  const me = useMe();
  const [location] = useLocation();
  const pages = [
    { href: '/tasks', label: 'My tasks' },
    { href: '/ai-systems', label: 'AI systems' },
    { href: '/nonconformities', label: 'Nonconformities' },
    { href: '/risks', label: 'Risks' },
    // Every role may read the objectives and measures (GET /v1/objectives and /v1/measures: ANY_ROLE).
    { href: '/objectives', label: 'Objectives' },
    { href: '/soa', label: 'Statement of Applicability' },
    // Every role may read documents and people (the API's @Roles(...ANY_ROLE) on their GET routes).
    { href: '/documents', label: 'Documents' },
    { href: '/people', label: 'People' },
    // Every role may read the audits and the reviews (the API's ANY_ROLE), so both are offered to all.
    { href: '/audits', label: 'Audits' },
    { href: '/reviews', label: 'Reviews' },
    ...(holdsAny(me, READINESS_READERS) ? [{ href: '/readiness', label: 'Readiness' }] : []),
    ...(holdsAny(me, AUDIT_READERS) ? [{ href: '/evidence', label: 'Evidence' }] : []),
  ];
  const current = (href: string) => location === href || location.startsWith(`${href}/`) || (href === '/tasks' && location === '/');
  return (
    <header className="top">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <span className="brand">aims</span>
      <nav aria-label="Pages">
        <ul>
          {pages.map((p) => (
            <li key={p.href}>
              <Link href={p.href} aria-current={current(p.href) ? 'page' : undefined}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <span className="who">
        {me.name} <span className="muted">({me.roles.join(', ')})</span>
      </span>
      <Button onPress={onSignOut}>Sign out</Button>
    </header>
  );
}
