import { percent } from '../practice/verdict';

export interface CompletionBarProps {
  /** In [0, 1]. */
  completion: number;
  /** What is being completed, for the bar's accessible name ("Everyday Data"). */
  label: string;
}

/** How much of a course is done: a bar, and the share in words beside it. */
export function CompletionBar({ completion, label }: CompletionBarProps) {
  const value = Math.min(1, Math.max(0, completion));
  return (
    <span className="completion">
      <progress
        className="completion-bar"
        max={1}
        value={value}
        aria-label={`${label}: completion`}
      />
      <span className="completion-text">{percent(value)} complete</span>
    </span>
  );
}
