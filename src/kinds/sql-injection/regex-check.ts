/**
 * The regex check of `sql_injection_rules[].regex`. DBSS is a Java service, so a rule's regex is
 * most likely a `java.util.regex.Pattern`; Node has no Java regex engine. The check compiles the
 * pattern as a JavaScript `RegExp` without flags (the `u` flag would refuse escapes such as `\'`
 * that Java accepts) after rewriting the Java-only syntax JavaScript lacks into an equivalent:
 * inline flags `(?i)` / `(?i:…)`, atomic groups `(?>…)`, possessive quantifiers `*+ ++ ?+ }+`,
 * `\Q…\E` quoting and the anchors `\A \z \Z`. It is a syntax check, not a promise: DBSS may
 * refuse a pattern this accepts (JavaScript is lenient with unknown escapes such as `\q`, Java is
 * not) and, more rarely, accept one it refuses. A refused create or update shows in `apply`.
 */

/** Why `pattern` is not a regex, or undefined when it compiles. */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(asJavaScript(pattern));
    return undefined;
  } catch (err) {
    return `not a valid regular expression (checked as a JavaScript RegExp after reading Java-only syntax; DBSS checks with its own, Java, rules): ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`;
  }
}

const escapeLiteral = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The JavaScript form of a Java pattern (see the module comment); other text is kept as is. */
export function asJavaScript(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end < 0 ? pattern.length : end);
        out += escapeLiteral(literal);
        i = end < 0 ? pattern.length : end + 1;
        continue;
      }
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && (n === 'z' || n === 'Z')) out += '$';
      else out += c + (n ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // a ']' right after '[' or '[^' is a literal in Java (and an empty class in JavaScript)
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const flags = /^\(\?[idmsuxU-]+([:)])/.exec(pattern.slice(i));
      if (flags) {
        out += flags[1] === ':' ? '(?:' : '';
        i += flags[0].length - 1;
        continue;
      }
      if (pattern[i + 2] === '>') {
        out += '(?:';
        i += 2;
        continue;
      }
    }
    if (c === '+' && i > 0 && /[*+?}]/.test(pattern[i - 1]!) && !out.endsWith('\\' + pattern[i - 1])) continue;
    out += c;
  }
  return out;
}
