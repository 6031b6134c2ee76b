import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { Link, paths } from '../../router/router';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <div className="problem">
      <h1>Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link to={paths.catalog()}>Back to the course catalog</Link>
      </p>
    </div>
  );
}
