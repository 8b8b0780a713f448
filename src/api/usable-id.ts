/**
 * Ids from the API are data. A rule or instance id goes back into requests as one path
 * segment (show, update, delete) or as one item of a comma-joined list (the switch call's
 * `ids`); an id that cannot be exactly that would address something else: `a,b` switches two
 * rules, `a/../b` another path. Such an id is never written: the planner reports the rule and
 * leaves it alone (src/plan), and the client refuses to send it (src/api/client.ts).
 */

/** Controls, line and paragraph separators, bidi and zero-width characters, BOM. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * Why an id from the API cannot be written back as one path segment and one item of a
 * comma-joined list, or undefined when it can.
 */
export function idProblem(id: string): string | undefined {
  if (id === '') return 'it is empty';
  if (id.includes(',')) return 'it contains the batch separator ","';
  if (INVISIBLE.test(id)) return 'it contains a control or invisible character';
  if (/\s/.test(id)) return 'it contains whitespace';
  if (/[/\\?#%]/.test(id)) return 'it cannot be one path segment (it contains "/", "\\", "?", "#" or "%")';
  if (id.includes('..') || id === '.') return 'it cannot be one path segment (it is or contains a dot segment)';
  return undefined;
}

/** The message of an unusable id: the id quoted and escaped (JSON), and why. */
export function unusableIdMessage(what: string, id: string, problem: string): string {
  return `unusable ${what} id ${JSON.stringify(id)}: ${problem}`;
}
