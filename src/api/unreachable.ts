import type { Endpoint } from './endpoint.js';

/** Transport codes of a connection that was never made: the endpoint (or the proxy to it) cannot be reached. */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The detail of a call whose connection was never made: the endpoint URL and what to check,
 * so `connection refused` never stands without saying to what. `https://dbss.{region}...` is
 * the region's default endpoint (the region comes from the policy); anything else was set by
 * DBSS_ENDPOINT or --endpoint. Loopback hosts (the emulator) never go through a proxy.
 */
export function unreachableDetail(endpoint: Endpoint, reason: string): string {
  const url = `${endpoint.origin}${endpoint.basePath}`;
  const regional = /^https:\/\/dbss\.[a-z0-9-]+\.myhuaweicloud\.com$/.test(url);
  const where = regional
    ? "the region in the policy (its default endpoint), or set DBSS_ENDPOINT / --endpoint"
    : 'DBSS_ENDPOINT / --endpoint';
  const checks = endpoint.loopback ? `is a server listening there? check ${where}` : `check DNS, the proxy (HTTPS_PROXY, NO_PROXY) and ${where}`;
  return `cannot reach ${url} (${reason}): ${checks}`;
}
