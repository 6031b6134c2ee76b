import type { AttemptPart } from '../api/client';
import { RichHtml } from '../components/RichHtml';
import { partVerdict, type PartTone } from './parts';

const kMarks: Record<PartTone, string> = { correct: '✓', partial: '◐', incorrect: '✗' };

/** The ✓ / ✗ beside a part; decoration only (PartNote says it in words). */
export function PartMark({ tone }: { tone: PartTone }) {
  return (
    <span className={`part-mark part-mark-${tone}`} aria-hidden="true">
      {kMarks[tone]}
    </span>
  );
}

export interface PartNoteProps {
  id: string;
  part: AttemptPart;
  chosen?: boolean;
  /** Names the part when the note sits away from it ("Gap 2"). */
  name?: string;
}

/**
 * A part's verdict and the author's feedback on it; the part's input points here. A verdict with
 * no feedback is for screen readers only: the mark beside the part shows it.
 */
export function PartNote({ id, part, chosen, name }: PartNoteProps) {
  const verdict = partVerdict(part, chosen);
  if (!verdict && !part.feedback_html) return null;
  const tone = `part-note-${verdict?.tone ?? 'neutral'}`;
  return (
    <div id={id} className={part.feedback_html ? `part-note ${tone}` : 'visually-hidden'}>
      {name && <span className="part-note-name">{name}: </span>}
      {verdict && <strong className="part-note-label">{verdict.label}.</strong>}{' '}
      {part.feedback_html && <RichHtml className="part-note-text" html={part.feedback_html} />}
    </div>
  );
}
