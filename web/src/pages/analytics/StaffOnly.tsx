/** What a learner sees on an analytics page (the nav never leads there, a typed URL may). */
export function StaffOnly() {
  return (
    <div className="problem">
      <h1>Analytics</h1>
      <p>Only instructors and administrators can see course analytics.</p>
    </div>
  );
}
