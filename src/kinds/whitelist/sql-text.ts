/**
 * The identity of a whitelist entry: its SQL text, normalised. DBSS cannot edit an entry's SQL
 * (UpdateWhitelistRequest has no `sql`), so the text is the key, and two spellings of one
 * statement must not read as two entries. The normal form:
 * - leading and trailing whitespace removed;
 * - every run of whitespace (spaces, tabs, newlines) outside quotes becomes one space, so a
 *   statement folded over several YAML lines is the same entry as the one-line form;
 * - text inside quotes ('…', "…", `…`) is kept exactly: whitespace in a string literal or a
 *   quoted identifier is part of what the statement matches. A doubled quote ('') and a
 *   backslash escape (\') stay inside the literal.
 * - case is kept everywhere: string literals are case-sensitive, and whether DBSS matches
 *   keywords case-insensitively is not documented, so `select` and `SELECT` are two entries;
 * - nothing else changes: no space is added or removed around operators (`a=1` and `a = 1` are
 *   two entries), and a trailing `;` is kept.
 * The client sends the normal form on create, and reads live entries through the same function.
 */
export function normaliseSql(text: string): string {
  let out = '';
  let quote: string | undefined;
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      out += ch;
      if (ch === '\\' && i + 1 < text.length) out += text[++i]!;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (/\s/.test(ch)) {
      pendingSpace = out !== '';
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += ch;
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
  }
  return out;
}
