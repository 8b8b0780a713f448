import type { InstanceState, RuleState } from './types.js';

/**
 * Answers a hostile (or badly broken) DBSS could give that no reading of the API reference
 * excuses, offered so that tests can show the client never trusts them (issue 18). They are
 * not readings of open points (ApiProfile), so the probe neither observes nor names them;
 * every one is off unless asked for.
 */
export interface HostileAnswers {
  /**
   * Created custom rules get ids no client may write back as they are, in turn: the switch
   * separator followed by the id of the instance's first rule (`<id>,<first rule's id>`), a
   * space, a path (`<id>/../<first rule's id>`) and a control character. Path and switch calls
   * then accept any id, and a switch switches every comma-separated part that names a rule
   * (unknown parts ignored), as a lenient backend would.
   */
  readonly ruleIds?: boolean;
  /**
   * Built-in rules are listed with rule_type `BUILT_IN` (neither SYSTEM nor CUSTOMIZE), and rule
   * lists carry no customize_total.
   */
  readonly builtInType?: boolean;
  /**
   * Creates that answer SUCCESS but store nothing: `always`, or `once` per instance and rule
   * name (the next create of that name lands).
   */
  readonly lyingCreate?: 'always' | 'once';
}

/** A hostile id (ruleIds): the next form in turn on this instance, built on a fresh id and the first rule's id. */
export function hostileRuleId(fresh: string, instance: InstanceState): string {
  const victim = instance.rules[0]?.id ?? fresh;
  const forms = [`${fresh},${victim}`, `${fresh} ${victim}`, `${fresh}/../${victim}`, `${fresh}\u0007`];
  const handedOut = instance.rules.filter((r) => !/^[A-Za-z0-9_-]+$/.test(r.id)).length;
  return forms[handedOut % forms.length]!;
}

/** The rule_type a list item shows for a rule (builtInType: BUILT_IN for built-in rules). */
export function listedRuleType(rule: RuleState, hostile: HostileAnswers): string {
  return hostile.builtInType && rule.ruleType === 'SYSTEM' ? 'BUILT_IN' : rule.ruleType;
}

/**
 * True when this create must answer SUCCESS and store nothing (lyingCreate); `lied` remembers
 * the names lied about once.
 */
export function liesAboutCreate(hostile: HostileAnswers, lied: Set<string>, instance: InstanceState, name: string): boolean {
  if (hostile.lyingCreate === 'always') return true;
  if (hostile.lyingCreate !== 'once') return false;
  const key = `${instance.id}\u0000${name}`;
  if (lied.has(key)) return false;
  lied.add(key);
  return true;
}
