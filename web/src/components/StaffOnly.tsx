export interface StaffOnlyProps {
  /** The page's heading. */
  title: string;
  /** What only staff may do, finishing "Only instructors and administrators can …". */
  what: string;
}

/** What a learner sees on a page for instructors and admins (the nav never leads there, a typed
 * URL may). */
export function StaffOnly({ title, what }: StaffOnlyProps) {
  return (
    <div className="problem">
      <h1>{title}</h1>
      <p>Only instructors and administrators can {what}.</p>
    </div>
  );
}
