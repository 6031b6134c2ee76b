import { useEffect, useRef, type ReactNode } from 'react';
import { CatalogPage } from './pages/catalog/CatalogPage';
import { CoursePage } from './pages/course/CoursePage';
import { LessonPage } from './pages/lesson/LessonPage';
import { NotFoundPage } from './pages/not-found/NotFoundPage';
import { Link, matchPath, paths, usePathname } from './router/router';

interface Route {
  pattern: string;
  render: (params: Record<string, string>) => ReactNode;
}

// The app's pages; the server answers every non-/api path with index.html, so each of these
// URLs also works when opened directly or reloaded.
const kRoutes: Route[] = [
  { pattern: '/', render: () => <CatalogPage /> },
  { pattern: '/courses/:course', render: (p) => <CoursePage course={p.course ?? ''} /> },
  {
    pattern: '/courses/:course/lessons/:lesson',
    render: (p) => <LessonPage course={p.course ?? ''} lesson={p.lesson ?? ''} />,
  },
];

function renderRoute(pathname: string): ReactNode {
  for (const route of kRoutes) {
    const params = matchPath(route.pattern, pathname);
    if (params) return route.render(params);
  }
  return <NotFoundPage />;
}

export function App() {
  const pathname = usePathname();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

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
          <nav aria-label="Main">
            <ul className="site-nav">
              <li>
                <Link to={paths.catalog()} aria-current={pathname === '/' ? 'page' : undefined}>
                  Courses
                </Link>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="site-main">
        {renderRoute(pathname)}
      </main>
      <footer className="site-footer">
        <p>Practica · open-source learning</p>
      </footer>
    </>
  );
}
