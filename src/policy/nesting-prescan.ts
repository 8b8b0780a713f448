/**
 * A cheap look at the raw text before the YAML parser sees it. The parser's own depth check
 * (parse-documents.ts) runs on its token tree, which for a file of a million `[` already costs
 * seconds and hundreds of megabytes to build. One linear pass over the characters finds the
 * two ways to nest deeply in few bytes — flow collections (`[[[…`, `{a: {b: …`) and compact
 * block sequences on one line (`- - - - …`) — and refuses the file at the first level too
 * deep, with its position. Quoted scalars and comments are skipped; anything it misses is
 * still caught by the parser's check.
 */

/** Where the text first nests deeper than `maxDepth` levels (the top mapping counting as one), or undefined. */
export function nestingTooDeep(text: string, maxDepth: number, from = 0): { offset: number; depth: number } | undefined {
  let flow = 0;
  let lineStart = true;
  let compact = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lineStart = true;
      compact = 0;
      continue;
    }
    if (lineStart) {
      // leading blanks, then a run of `- ` (each one a nested block sequence)
      if (c === 0x20 || c === 0x09) continue;
      if (c === 0x2d /* - */ && (text.charCodeAt(i + 1) === 0x20 || text.charCodeAt(i + 1) === 0x0a)) {
        if (++compact >= maxDepth) return { offset: i, depth: compact };
        i++;
        continue;
      }
      lineStart = false;
    }
    switch (c) {
      case 0x5b: // [
      case 0x7b: // {
        if (++flow >= maxDepth) return { offset: i, depth: flow };
        break;
      case 0x5d: // ]
      case 0x7d: // }
        if (flow > 0) flow--;
        break;
      case 0x22: // " (backslash escapes)
        for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
        break;
      case 0x27: // ' ('' escapes); an apostrophe inside a plain word is not a quote
        if (i > 0 && /[\w]/.test(text[i - 1]!)) break;
        for (i++; i < text.length; i++) {
          if (text.charCodeAt(i) !== 0x27) continue;
          if (text.charCodeAt(i + 1) === 0x27) i++;
          else break;
        }
        break;
      case 0x23: // # starts a comment after a blank (or at the line start)
        if (i === 0 || /\s/.test(text[i - 1]!)) {
          while (i + 1 < text.length && text.charCodeAt(i + 1) !== 0x0a) i++;
        }
        break;
    }
  }
  return undefined;
}

/**
 * The text with every document that nests deeper than `maxDepth` emptied (only its line
 * breaks kept, so the other documents keep their lines and columns), and the offsets (in the
 * original text) where those documents went too deep. Documents are separated by `---` at a line start.
 */
export function blankTooDeep(text: string, maxDepth = 100): { text: string; deep: number[] } {
  const deep: number[] = [];
  let out = text;
  let shift = 0;
  for (let from = 0; ; ) {
    const hit = nestingTooDeep(out, maxDepth, from);
    if (!hit) return { text: out, deep };
    deep.push(hit.offset + shift);
    const marker = /^---/gm;
    let start = 0;
    let end = out.length;
    for (let m = marker.exec(out); m; m = marker.exec(out)) {
      if (m.index <= hit.offset) start = m.index + 3;
      else {
        end = m.index;
        break;
      }
    }
    const kept = out.slice(start, end).replace(/[^\n]/g, '');
    shift += end - start - kept.length;
    out = out.slice(0, start) + kept + out.slice(end);
    from = start + kept.length;
  }
}
