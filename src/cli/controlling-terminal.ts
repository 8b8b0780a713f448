import { closeSync, openSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';
import type { TerminalInput } from './io.js';

/**
 * The opener of the controlling terminal (`/dev/tty`) when this process has one, for asking a
 * person whose standard input is a file or a pipe (`dbss-policy apply < /dev/null` typed in a
 * shell); undefined without one (cron, a detached job, Windows).
 */
export function controllingTerminal(path = '/dev/tty'): (() => TerminalInput | undefined) | undefined {
  try {
    closeSync(openSync(path, 'r'));
  } catch {
    return undefined;
  }
  return () => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    if (!isatty(fd)) {
      closeSync(fd);
      return undefined;
    }
    const stream = new ReadStream(fd);
    return Object.assign(stream, { close: () => void stream.destroy() });
  };
}
