import type { Problem } from '../../api/client';

/**
 * The authoring API names fields by their path in the request ("exercise.options[1].correct",
 * "blocks[2].markdown", "tags[0]"). This puts each error on the closest path the form shows: the
 * field itself, else its nearest enclosing group ("options[1]", then "options"), so that a message
 * about a part the form has no input for still sits beside the list it belongs to. Errors of no
 * shown path keep their field's name and go to the form's message (formErrors does that).
 *
 * `prefix`: the request's wrapper ("exercise."), dropped from each path.
 */
export function placeErrors(problem: Problem, known: ReadonlySet<string>, prefix = ''): Problem {
  if (!problem.errors) return problem;
  return {
    ...problem,
    errors: problem.errors.map(({ field, message }) => {
      const path = prefix && field.startsWith(prefix) ? field.slice(prefix.length) : field;
      const cleaned = message.replace(/\s*\(line \d+\)/g, '').trim();
      for (let at: string | null = path; at !== null; at = parentPath(at)) {
        if (!known.has(at)) continue;
        // Beside its own input the message need not name the field again ("'prompt' must not
        // be empty" → "must not be empty"); beside a group it must say which part it is about.
        return { field: at, message: at === path ? withoutOwnName(cleaned, path) : cleaned };
      }
      // For the form's message: one that names its field already needs no name in front.
      const named = cleaned.includes(`'${path}'`) || cleaned.includes(`'${lastName(path)}'`);
      return {
        field: path,
        message: named ? cleaned.charAt(0).toUpperCase() + cleaned.slice(1) : cleaned,
      };
    }),
  };
}

/** "options[1].correct" → "options[1]" → "options" → null; "variables.x" → "variables". */
export function parentPath(path: string): string | null {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut > 0 ? path.slice(0, cut) : null;
}

/** "options[1].score" → "score"; "gaps[2]" → "gaps". */
function lastName(path: string): string {
  return path.replace(/\[\d+\]$/, '').replace(/^.*\./, '');
}

function withoutOwnName(message: string, path: string): string {
  const quoted = `'${path}' `;
  return message.startsWith(quoted) ? message.slice(quoted.length) : message;
}
