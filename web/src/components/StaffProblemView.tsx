import { kProblemTypes } from '../api/client';
import { Link, paths } from '../router/router';
import { ProblemView, type ProblemViewProps } from './StatusViews';

export interface StaffProblemViewProps extends ProblemViewProps {
  /** Who must set up two-factor authentication before what, in a sentence. */
  mfaReason: string;
}

/**
 * A problem on a page for instructors or admins: their routes answer 403
 * mfa-enrollment-required until two-factor authentication is set up, which leads to the account
 * page; any other problem shows as usual.
 */
export function StaffProblemView({ problem, onRetry, mfaReason }: StaffProblemViewProps) {
  if (problem.type !== kProblemTypes.mfaEnrollmentRequired) {
    return <ProblemView problem={problem} onRetry={onRetry} />;
  }
  return (
    <div className="problem" role="alert">
      <p>
        <strong>Two-factor authentication is required.</strong> {mfaReason}
      </p>
      <p>
        <Link to={`${paths.account()}#two-factor`}>Set it up on your account page</Link>
      </p>
    </div>
  );
}
