import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * No module of src/ imports itself back through others (type-only imports included): a circle
 * makes the load order decide what a module sees, and hides which idea depends on which.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

/** Every circle of relative imports, each as `a -> b -> a` with paths relative to the repository. */
function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const circles = new Set<string>();
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): void => {
    const at = path.indexOf(node);
    if (at >= 0) {
      circles.add([...path.slice(at), node].join(' -> '));
      return;
    }
    if (done.has(node)) return;
    path.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    path.pop();
    done.add(node);
  };
  for (const node of graph.keys()) visit(node);
  return [...circles];
}

describe('src/ imports', () => {
  it('form no circle', async () => {
    const files = await sources(join(root, 'src'));
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const targets = [...text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map((m) => relative(root, join(dirname(file), `${m[1]}.ts`)));
      graph.set(relative(root, file), targets.filter((t) => files.includes(join(root, t))));
    }
    expect(graph.size).toBeGreaterThan(100);
    expect(importCircles(graph)).toEqual([]);
  });

  it('the check finds a circle, type-only or not', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(importCircles(graph)).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
  });
});
