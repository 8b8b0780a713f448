import { describe, expect, it } from 'vitest';
import { annotation } from '../../src/gitops/workflow-commands.js';

describe('annotation', () => {
  it('escapes the message and the properties so nothing can end the command early', () => {
    expect(annotation('warning', '50% done\r\nnext ::error::x', { title: 'a: b, c', file: 'policies/prod.yaml', line: 3, col: 7 })).toBe(
      '::warning file=policies/prod.yaml,line=3,col=7,title=a%3A b%2C c::50%25 done%0D%0Anext ::error::x\n',
    );
  });

  it('leaves out absent properties', () => {
    expect(annotation('notice', 'plain')).toBe('::notice::plain\n');
    expect(annotation('error', 'x', { title: '' })).toBe('::error::x\n');
  });
});
