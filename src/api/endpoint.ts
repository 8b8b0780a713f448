import { isIP } from 'node:net';
import { ConfigError } from '../errors.js';

/** Where one client sends its requests. */
export interface Endpoint {
  /** Scheme, host and port, e.g. `https://dbss.cn-north-4.myhuaweicloud.com`. */
  readonly origin: string;
  /** Path prefix before the API paths (usually empty), without a trailing slash. */
  readonly basePath: string;
  /** The host is a loopback address (127.0.0.0/8, ::1, localhost): proxies never apply. */
  readonly loopback: boolean;
}

const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/** True for localhost, 127.0.0.0/8 and ::1 (a URL hostname may carry IPv6 brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * The DBSS endpoint of a region, `https://dbss.{region}.myhuaweicloud.com`, or `override`.
 * An override must be https, except on a loopback host (the emulator); it may not carry
 * user info, a query or a fragment. Bad values are a ConfigError naming the value.
 */
export function resolveEndpoint(region: string, override?: string): Endpoint {
  if (override === undefined || override === '') {
    if (!REGION.test(region)) throw new ConfigError(`region "${region}" is not a region id like cn-north-4`);
    return { origin: `https://dbss.${region}.myhuaweicloud.com`, basePath: '', loopback: false };
  }
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new ConfigError(`endpoint "${override}" is not a URL`);
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`endpoint "${override}": only https (or http on a loopback host) is supported`);
  }
  if (url.protocol === 'http:' && !loopback) {
    throw new ConfigError(`endpoint "${override}": plain http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https`);
  }
  if (url.username !== '' || url.password !== '') throw new ConfigError('endpoint URL must not contain user info');
  if (url.search !== '' || url.hash !== '') throw new ConfigError(`endpoint "${override}" must not have a query or fragment`);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), loopback };
}
