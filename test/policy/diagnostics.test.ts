import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/policy/diagnostics.js';
import { formatDiagnostics, hasErrors, sortDiagnostics } from '../../src/policy/diagnostics.js';

const d = (file: string, line: number, col: number, message: string, severity: Diagnostic['severity'] = 'error', path = '$.a'): Diagnostic => ({
  file,
  line,
  col,
  path,
  message,
  severity,
});

describe('diagnostics', () => {
  it('sorts by file, line and column, errors before warnings at one place', () => {
    const sorted = sortDiagnostics([d('b.yaml', 1, 1, 'x'), d('a.yaml', 10, 2, 'y'), d('a.yaml', 2, 9, 'w', 'warning'), d('a.yaml', 2, 9, 'z')]);
    expect(sorted.map((x) => `${x.file}:${x.line}:${x.col}:${x.severity}`)).toEqual([
      'a.yaml:2:9:error',
      'a.yaml:2:9:warning',
      'a.yaml:10:2:error',
      'b.yaml:1:1:error',
    ]);
    expect(hasErrors(sorted)).toBe(true);
    expect(hasErrors([d('a', 1, 1, 'w', 'warning')])).toBe(false);
  });

  it('prints text as file:line:col <json path>: message', () => {
    const text = formatDiagnostics([d('p.yaml', 3, 5, 'bad'), d('p.yaml', 4, 1, 'meh', 'warning'), d('dir/', 0, 0, 'empty', 'error', '')], 'text');
    expect(text).toBe('p.yaml:3:5 $.a: bad\np.yaml:4:1 $.a: warning: meh\ndir/: empty\n');
    expect(formatDiagnostics([], 'text')).toBe('');
  });

  it('prints JSON that reads back to the same list', () => {
    const list = [d('p.yaml', 3, 5, 'bad')];
    expect(JSON.parse(formatDiagnostics(list, 'json'))).toEqual(list);
  });

  it('prints escaped GitHub workflow annotations', () => {
    const out = formatDiagnostics([d('a,b:c.yaml', 3, 5, '50% bad\nreally'), d('x/', 0, 0, 'gone', 'warning', '')], 'github');
    expect(out).toBe('::error file=a%2Cb%3Ac.yaml,line=3,col=5::$.a: 50%25 bad%0Areally\n::warning file=x/::gone\n');
  });
});
