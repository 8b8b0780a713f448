import { escapeText } from '../render/escape.js';

/**
 * GitHub Actions workflow commands (`::warning title=…::message`), escaped the way the runner
 * expects so a message can never end a command early or start a new one.
 */

/** The annotation levels a step can raise. */
export type AnnotationLevel = 'notice' | 'warning' | 'error';

/** Where an annotation points (all optional). */
export interface AnnotationProperties {
  /** Title shown above the message. */
  readonly title?: string;
  /** Repository-relative file the annotation is about. */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** 1-based column in `file`. */
  readonly col?: number;
}

/** Escapes a command's message (data); ANSI sequences are removed and other controls shown escaped. */
export function escapeCommandData(text: string): string {
  const kept = text.split(/(\r|\n)/).map((part) => (part === '\r' || part === '\n' ? part : escapeText(part))).join('');
  return kept.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property value (also `:` and `,`, which separate properties). */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation line, ending in a newline. */
export function annotation(level: AnnotationLevel, message: string, props: AnnotationProperties = {}): string {
  const pairs = (['file', 'line', 'col', 'title'] as const)
    .filter((key) => props[key] !== undefined && props[key] !== '')
    .map((key) => `${key}=${escapeCommandProperty(String(props[key]))}`);
  const head = pairs.length > 0 ? `${level} ${pairs.join(',')}` : level;
  return `::${head}::${escapeCommandData(message)}\n`;
}
