import type { ConfigHint } from '../configHint';
import type { ForgeRepo } from '../git/types';

/** Why a forge did not open a pull request; each message says what to do. */
export type ForgeErrorReason =
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'invalid'
  | 'rateLimited'
  | 'unreachable'
  | 'timeout'
  | 'cancelled'
  | 'failed';

export class ForgeError extends Error {
  constructor(
    readonly reason: ForgeErrorReason,
    message: string,
    /** The HTTP status of the answer, when there was one. */
    readonly status?: number,
    /** `forgeHosts` when the forge's API URL may be the fix. */
    readonly hint?: ConfigHint,
  ) {
    super(message);
    this.name = 'ForgeError';
  }
}

/** What the errors need of an answer: its status, headers and body text. */
export interface ForgeAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * The error for a failed answer. `token` is only used to scrub the provider's own message, in
 * case it echoes the credential back; it never appears in the result.
 */
export function errorForAnswer(
  repo: ForgeRepo,
  answer: ForgeAnswer,
  token: string | undefined,
  now: () => number = Date.now,
): ForgeError {
  const { status, headers } = answer;
  const host = repo.host;
  const detail = scrub(providerMessage(answer.text), token);
  const rateLimit = rateLimitSentence(host, headers, now);
  if ((status === 403 || status === 429) && rateLimit) {
    return new ForgeError('rateLimited', rateLimit, status);
  }
  switch (status) {
    case 401:
      return new ForgeError(
        'unauthorized',
        `${host} refused the token as invalid or expired (401): sign in again or store a new token, then retry.`,
        status,
      );
    case 403:
      return new ForgeError(
        'forbidden',
        `${host} does not allow this token to open pull requests on ${repo.path} (403${suffix(detail)}): grant the token write access to the repository or use another account.`,
        status,
      );
    case 404:
      return new ForgeError(
        'notFound',
        `${host} has no repository ${repo.path} that this token can see, or a branch is missing (404${suffix(detail)}): check the remote URL, the token's scopes and that the branch was pushed.`,
        status,
      );
    case 400:
    case 409:
    case 422:
      return new ForgeError(
        'invalid',
        `${host} refused the pull request on ${repo.path} (${status}${suffix(detail || 'validation failed')}): check that the head branch was pushed and has commits the base branch lacks.`,
        status,
      );
    case 301:
    case 302:
    case 307:
    case 308:
      return new ForgeError(
        'notFound',
        `${host} says ${repo.path} moved to another address (${status}): update the remote URL, or the API URL of the forge host.`,
        status,
        'forgeHosts',
      );
    case 429:
      return new ForgeError(
        'rateLimited',
        `${host} is rate limiting requests (429): wait a minute, then retry.`,
        status,
      );
    default:
      return new ForgeError(
        'failed',
        `${host} answered ${status}${suffix(detail)} to the pull request on ${repo.path}: try again later or open it in the browser.`,
        status,
      );
  }
}

/** The error for a request that got no answer: cancelled, out of time or unreachable. */
export function errorForNoAnswer(
  repo: ForgeRepo,
  error: unknown,
  cause: 'cancelled' | 'timeout' | 'network',
  timeoutMs: number,
  token: string | undefined,
): ForgeError {
  const host = repo.host;
  if (cause === 'cancelled') {
    return new ForgeError('cancelled', `Opening the pull request on ${host} was cancelled.`);
  }
  if (cause === 'timeout') {
    return new ForgeError(
      'timeout',
      `${host} did not answer within ${Math.round(timeoutMs / 1000)} s: check the network or the forge's status, then retry.`,
    );
  }
  const code = scrub(networkCode(error), token);
  return new ForgeError(
    'unreachable',
    `Could not reach ${host}${code ? ` (${code})` : ''}: check the network, a proxy, or the API URL of the forge host.`,
    undefined,
    'forgeHosts',
  );
}

/** A sentence when the headers say the rate limit is spent, else undefined. */
function rateLimitSentence(host: string, headers: Headers, now: () => number): string | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = retryAfterSeconds(retryAfter, now);
    if (seconds !== undefined) {
      return `${host} is rate limiting requests: retry after ${seconds} s.`;
    }
  }
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  if (remaining !== null && Number(remaining) === 0) {
    const reset = Number(headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'));
    const until = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
    return until
      ? `${host} is rate limiting this token until ${until.toISOString().slice(11, 19)} UTC: retry after that.`
      : `${host} is rate limiting this token: wait a few minutes, then retry.`;
  }
  return undefined;
}

/** Retry-After as seconds: a number of seconds, or an HTTP date. */
function retryAfterSeconds(value: string, now: () => number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now()) / 1000));
}

/**
 * The provider's own words from an error body: GitHub `{ message, errors: [{ message | field,
 * code }] }`, GitLab `{ message: string | string[] | { field: string[] } }` or `{ error }`,
 * Gitea `{ message }`. At most 300 characters.
 */
export function providerMessage(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return '';
  }
  if (!isRecord(body)) {
    return '';
  }
  const parts: string[] = [];
  const errors = body['errors'];
  if (Array.isArray(errors)) {
    for (const error of errors) {
      if (typeof error === 'string') {
        parts.push(error);
      } else if (isRecord(error)) {
        const message = error['message'];
        const field = error['field'];
        const code = error['code'];
        if (typeof message === 'string' && message) {
          parts.push(message);
        } else if (typeof field === 'string' && typeof code === 'string') {
          parts.push(`${field} ${code}`);
        }
      }
    }
  }
  if (parts.length === 0) {
    parts.push(...flatten(body['message']), ...flatten(body['error']));
  }
  const message = parts.join('; ').replace(/\s+/g, ' ').trim();
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}

function flatten(value: unknown): string[] {
  if (typeof value === 'string') {
    return value ? [value] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap(flatten);
  }
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([field, inner]) =>
      flatten(inner).map((text) => `${field} ${text}`),
    );
  }
  return [];
}

/** Removes the token from text, should a server or a library ever echo it. */
export function scrub(text: string, token: string | undefined): string {
  return token && token.length >= 4 ? text.split(token).join('***') : text;
}

function suffix(detail: string): string {
  return detail ? `: ${detail.replace(/[.\s]+$/, '')}` : '';
}

function networkCode(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (isRecord(cause) && typeof cause['code'] === 'string') {
    return cause['code'];
  }
  return '';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
