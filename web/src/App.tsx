import { Suspense, lazy, useEffect, useRef, type ReactNode } from 'react';
import { api, type ApiClient } from './api/client';
import { RequireSignIn } from './auth/RequireSignIn';
import { SessionNotices } from './auth/SessionNotices';
import { LoadingView } from './components/StatusViews';
import { SiteNav } from './components/SiteNav';
import { CatalogPage } from './pages/catalog/CatalogPage';
import { CoursePage } from './pages/course/CoursePage';
import { LessonPage } from './pages/lesson/LessonPage';
import { LoginPage } from './pages/login/LoginPage';
import { NotFoundPage } from './pages/not-found/NotFoundPage';
import { SignupPage } from './pages/signup/SignupPage';
import type { AuthoringPage } from './pages/authoring';
import { Link, matchPath, paths, usePathname } from './router/router';

// Pages that only signed-in users reach load on first use, keeping the first download small.
const AccountPage = lazy(() =>
  import('./pages/account/AccountPage').then((module) => ({ default: module.AccountPage })),
);
const ProgressPage = lazy(() =>
  import('./pages/progress/ProgressPage').then((module) => ({ default: module.ProgressPage })),
);
const ReviewsPage = lazy(() =>
  import('./pages/reviews/ReviewsPage').then((module) => ({ default: module.ReviewsPage })),
);
const AdminUsersPage = lazy(() =>
  import('./pages/admin-users/AdminUsersPage').then((module) => ({
    default: module.AdminUsersPage,
  })),
);

// Instructors' analytics: Chart.js comes with the dashboard's chunk only.
const AnalyticsCoursesPage = lazy(() =>
  import('./pages/analytics/AnalyticsCoursesPage').then((module) => ({
    default: module.AnalyticsCoursesPage,
  })),
);
const CourseAnalyticsPage = lazy(() =>
  import('./pages/analytics/CourseAnalyticsPage').then((module) => ({
    default: module.CourseAnalyticsPage,
  })),
);

// Instructors' authoring: the editors, the authoring API's methods and their stylesheet come in
// one chunk, on first use.
const AuthoringRoute = lazy(() => import('./pages/authoring'));

interface Route {
  pattern: string;
  render: (params: Record<string, string>, client: ApiClient) => ReactNode;
  /** Tables rather than reading: the page may use a wider column. */
  wide?: boolean;
}

/** An authoring page, for signed-in users (the page itself turns learners away). */
function authoring(page: AuthoringPage): Route['render'] {
  return (params, client) => (
    <RequireSignIn session={client.session}>
      {(user) => <AuthoringRoute page={page} client={client} user={user} params={params} />}
    </RequireSignIn>
  );
}

// The app's pages; the server answers every non-/api path with index.html, so each of these
// URLs also works when opened directly or reloaded.
const kRoutes: Route[] = [
  { pattern: '/', render: (_, client) => <CatalogPage client={client} /> },
  {
    pattern: '/courses/:course',
    render: (p, client) => <CoursePage course={p.course ?? ''} client={client} />,
  },
  {
    pattern: '/courses/:course/lessons/:lesson',
    render: (p, client) => (
      <LessonPage course={p.course ?? ''} lesson={p.lesson ?? ''} client={client} />
    ),
  },
  { pattern: paths.login(), render: (_, client) => <LoginPage client={client} /> },
  { pattern: paths.signup(), render: (_, client) => <SignupPage client={client} /> },
  {
    pattern: paths.progress(),
    render: (_, client) => (
      <RequireSignIn session={client.session}>
        {(user) => <ProgressPage client={client} userId={user.id} />}
      </RequireSignIn>
    ),
  },
  {
    pattern: paths.reviews(),
    render: (_, client) => (
      <RequireSignIn session={client.session}>
        {(user) => <ReviewsPage client={client} session={client.session} userId={user.id} />}
      </RequireSignIn>
    ),
  },
  {
    pattern: paths.account(),
    render: (_, client) => (
      <RequireSignIn session={client.session}>
        {(user) => <AccountPage client={client} user={user} />}
      </RequireSignIn>
    ),
  },
  {
    pattern: paths.adminUsers(),
    render: (_, client) => (
      <RequireSignIn session={client.session}>
        {(user) => <AdminUsersPage client={client} user={user} />}
      </RequireSignIn>
    ),
    wide: true,
  },
  {
    pattern: paths.analytics(),
    render: (_, client) => (
      <RequireSignIn session={client.session}>
        {(user) => <AnalyticsCoursesPage client={client} user={user} />}
      </RequireSignIn>
    ),
  },
  {
    pattern: '/analytics/courses/:course',
    render: (p, client) => (
      <RequireSignIn session={client.session}>
        {(user) => <CourseAnalyticsPage client={client} course={p.course ?? ''} user={user} />}
      </RequireSignIn>
    ),
    wide: true,
  },
  { pattern: paths.authoring(), render: authoring('courses') },
  { pattern: '/authoring/courses/:course', render: authoring('course'), wide: true },
  {
    pattern: '/authoring/courses/:course/lessons/:lesson',
    render: authoring('lesson'),
    wide: true,
  },
  // A new exercise, once saved, is edited at its own address by the same page.
  {
    pattern: '/authoring/courses/:course/lessons/:lesson/new-exercise',
    render: authoring('exercise'),
    wide: true,
  },
  {
    pattern: '/authoring/courses/:course/exercises/:exercise',
    render: authoring('exercise'),
    wide: true,
  },
];

function findRoute(pathname: string): { route: Route; params: Record<string, string> } | null {
  for (const route of kRoutes) {
    const params = matchPath(route.pattern, pathname);
    if (params) return { route, params };
  }
  return null;
}

export function App({ client = api }: { client?: ApiClient }) {
  const pathname = usePathname();
  const found = findRoute(pathname);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // The access token lives in memory only: after a reload, the refresh cookie brings it back.
  useEffect(() => void client.restoreSession(), [client]);

  // After an in-app navigation, move focus to the new page, as a full page load would, so that
  // keyboard and screen reader users start reading at its top.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link className="site-name" to={paths.catalog()}>
            Practica
          </Link>
          <SiteNav client={client} />
        </div>
      </header>
      <main
        id="main"
        ref={main}
        tabIndex={-1}
        className={found?.route.wide ? 'site-main site-main-wide' : 'site-main'}
      >
        <SessionNotices session={client.session} />
        <Suspense fallback={<LoadingView label="Loading…" />}>
          {found ? found.route.render(found.params, client) : <NotFoundPage />}
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>Practica · open-source learning</p>
      </footer>
    </>
  );
}
