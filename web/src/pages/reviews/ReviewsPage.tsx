import type { LearningApi, Page, ReviewCard, Session } from '../../api/client';
import { LoadingView, ProblemView } from '../../components/StatusViews';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useResource } from '../../lib/useResource';
import { ReviewSession } from './ReviewSession';

export interface ReviewsPageProps {
  client: Pick<LearningApi, 'listReviews' | 'rateReview' | 'submitAttempt' | 'takeHint'>;
  session: Session;
  userId: string;
}

/** The review queue: the cards due now, one at a time. */
export function ReviewsPage({ client, session, userId }: ReviewsPageProps) {
  const due = useResource<Page<ReviewCard>>(`reviews/${userId}`, (signal) =>
    client.listReviews({}, signal),
  );
  useDocumentTitle('Reviews');

  if (due.state === 'loading') return <LoadingView label="Loading your reviews…" />;
  if (due.state === 'error') return <ProblemView problem={due.problem} onRetry={due.reload} />;
  return <ReviewSession first={due.data} client={client} session={session} />;
}
