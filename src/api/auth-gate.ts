import type { Credentials } from './credentials.js';

/**
 * DBSS locks an access key after 5 failed authentications in a row, and every pipeline sharing
 * the key is locked out with it. So a credential is trusted to fan out only once an endpoint
 * has answered it: until then one request at a time goes out with it (the first to each
 * endpoint alone, and the very first of the run alone across all endpoints), and after a 401
 * nothing more is sent with it in this process: what waits is refused at once.
 */

/** Whether an answer's status says the credential was accepted, refused, or neither (429: maybe throttled before authentication). */
export type AuthVerdict = 'accepted' | 'refused' | 'unknown';

/** The verdict of an answer with `status` (undefined: no answer at all). */
export function authVerdict(status: number | undefined): AuthVerdict {
  if (status === 401) return 'refused';
  return status === undefined || status === 429 ? 'unknown' : 'accepted';
}

/** A request's permission to go out; settle it exactly once with what its answer said. */
export type AuthTicket = (verdict: AuthVerdict, failure?: string) => void;

/** Why a request was refused before sending: the credential failed authentication earlier. */
export class AuthRefused extends Error {
  /** The first failure's message (method, path, status, code). */
  readonly failure: string;
  constructor(failure: string) {
    super(`not sent: an earlier request with the same credentials failed authentication (${failure})`);
    this.name = 'AuthRefused';
    this.failure = failure;
  }
}

const ANY_ENDPOINT = '*';

/** The gate of one credential, shared by every client that signs with it. */
export class AuthGate {
  #failure: string | undefined;
  readonly #accepted = new Set<string>();
  /** The request in flight alone, per endpoint (ANY_ENDPOINT while no endpoint accepted yet). */
  readonly #alone = new Map<string, Promise<void>>();

  /** Waits until a request to `endpoint` may go; throws AuthRefused once the credential failed. */
  async admit(endpoint: string): Promise<AuthTicket> {
    for (;;) {
      if (this.#failure !== undefined) throw new AuthRefused(this.#failure);
      if (this.#accepted.has(endpoint)) return () => undefined;
      const key = this.#accepted.size === 0 ? ANY_ENDPOINT : endpoint;
      const inFlight = this.#alone.get(key);
      if (!inFlight) return this.#goAlone(key, endpoint);
      await inFlight;
    }
  }

  #goAlone(key: string, endpoint: string): AuthTicket {
    let release!: () => void;
    this.#alone.set(key, new Promise<void>((resolve) => (release = resolve)));
    let settled = false;
    return (verdict, failure) => {
      if (settled) return;
      settled = true;
      if (verdict === 'refused') this.#failure ??= failure ?? '401';
      if (verdict === 'accepted') this.#accepted.add(endpoint);
      this.#alone.delete(key);
      release();
    };
  }
}

const gates = new WeakMap<Credentials, AuthGate>();

/** The gate of `credentials` (one per credentials object, for the life of the process). */
export function authGateOf(credentials: Credentials): AuthGate {
  let gate = gates.get(credentials);
  if (!gate) {
    gate = new AuthGate();
    gates.set(credentials, gate);
  }
  return gate;
}

/** Why a request was not sent after `refused`: names the credential's variables, never values (the advice is on the 401 itself). */
export function refusedEarlier(credentials: Credentials, refused: AuthRefused): string {
  const where = credentials.source ? ` (${credentials.source})` : '';
  return `not sent: an earlier request with the same credentials${where} failed authentication (${refused.failure})`;
}

/** What to tell a user whose credential failed authentication; names variables, never values. */
export function authAdvice(credentials: Credentials): string {
  const where = credentials.source ? ` (${credentials.source})` : '';
  if (credentials.kind === 'token') return `the IAM token${where} was refused: it may have expired (tokens last 24 h); nothing more is sent with it in this run`;
  return (
    `the access key${where} was refused: check the key pair; DBSS locks an access key after 5 failed ` +
    `authentications in a row (for every pipeline using it), so nothing more is sent with it in this run`
  );
}
