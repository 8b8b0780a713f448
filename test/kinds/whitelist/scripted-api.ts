import type { KindApi, KindCall } from '../../../src/kinds/kind.js';

/** A KindApi answering list pages from a script (for tolerant reading). */
export function scripted(pages: readonly unknown[], pageSize = 100): { api: KindApi; calls: KindCall[] } {
  const calls: KindCall[] = [];
  const api: KindApi = {
    pageSize,
    read: async (_t, c) => {
      calls.push(c);
      return pages[Math.min(calls.length - 1, pages.length - 1)];
    },
    write: async () => undefined,
    settle: async (read) => read(),
  };
  return { api, calls };
}
