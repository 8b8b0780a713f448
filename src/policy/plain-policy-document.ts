import type { LineCounter } from 'yaml';
import type { SourceLocation } from '../domain.js';
import type { NodeOffsets } from './plain-yaml.js';
import type { PolicyDocument } from './policy-document.js';

const offsetOf = (node: NodeOffsets): number => (typeof node === 'number' ? node : node.at);

/**
 * A PolicyDocument read by the fast reader (plain-yaml.ts): it keeps the data and one small
 * table of offsets per mapping and list instead of yaml's node objects, so a tree of 100,000
 * rules stays small. `locate` answers exactly as the yaml-backed document does: the node at the
 * path, the key for `part: 'key'` or a value left out, the nearest existing ancestor for a path
 * that does not exist.
 */
export function createPlainPolicyDocument(
  file: string,
  index: number,
  data: Record<string, unknown>,
  offsets: NodeOffsets,
  lineCounter: LineCounter,
): PolicyDocument {
  const position = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  return {
    file,
    index,
    data,
    locate(path, part = 'value') {
      let node = offsets;
      for (let i = 0; i < path.length; i++) {
        const seg = path[i]!;
        if (typeof node === 'object' && 'keys' in node) {
          const k = node.keys.indexOf(String(seg));
          if (k < 0) return position(node.at);
          const value = node.values[k]!;
          // An empty value (`name:`) has no node of its own: point at its key.
          if ((i === path.length - 1 && part === 'key') || value === -1) return position(node.keyAt[k]!);
          node = value;
        } else if (typeof node === 'object' && typeof seg === 'number') {
          const item = node.items[seg];
          if (item === undefined) return position(node.at);
          node = item;
        } else {
          return position(offsetOf(node));
        }
      }
      return position(offsetOf(node));
    },
  };
}
