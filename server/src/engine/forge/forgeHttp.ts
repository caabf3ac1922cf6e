import type { ForgeRepo } from '../git/types';
import { ForgeError, errorForAnswer, errorForNoAnswer, isRecord } from './forgeErrors';
import type { ForgeAnswer } from './forgeErrors';

export interface ForgeRequestOptions {
  /** The caller's cancellation. */
  readonly signal?: AbortSignal;
  /** Time limit for the whole operation, all requests included; default 30 s. */
  readonly timeoutMs?: number;
  /** Stands in for the global `fetch` (tests). */
  readonly fetchImpl?: typeof fetch;
}

export const DEFAULT_FORGE_TIMEOUT_MS = 30_000;

export interface ForgeJsonAnswer extends ForgeAnswer {
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

/**
 * JSON requests to one forge under one time limit and the caller's signal. It never logs, and
 * the credential header it is given never reaches an error: failures become ForgeErrors built
 * from the status and the provider's message only.
 */
export class ForgeHttp {
  private readonly signal: AbortSignal;
  private readonly timeoutSignal: AbortSignal;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(
    readonly repo: ForgeRepo,
    private readonly authHeaders: Readonly<Record<string, string>>,
    private readonly token: string | undefined,
    private readonly options: ForgeRequestOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_FORGE_TIMEOUT_MS;
    this.timeoutSignal = AbortSignal.timeout(this.timeoutMs);
    this.signal = options.signal
      ? AbortSignal.any([options.signal, this.timeoutSignal])
      : this.timeoutSignal;
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  /** Throws a ForgeError when the caller cancelled before anything was sent. */
  throwIfCancelled(): void {
    if (this.options.signal?.aborted) {
      throw errorForNoAnswer(this.repo, undefined, 'cancelled', this.timeoutMs, this.token);
    }
  }

  /** Sends a request relative to the API base; any status comes back, no answer throws. */
  async send(
    method: 'GET' | 'POST',
    apiPath: string,
    extraHeaders: Readonly<Record<string, string>> = {},
    body?: unknown,
  ): Promise<ForgeJsonAnswer> {
    this.throwIfCancelled();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'gitops-workbench',
      ...extraHeaders,
      ...this.authHeaders,
    };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let url = `${this.repo.apiUrl}${apiPath}`;
    try {
      // Redirects are followed by hand and only within the API's origin, so the credential
      // (GitLab's PRIVATE-TOKEN is no header fetch drops on its own) never goes to another host.
      for (let hop = 0; ; hop++) {
        const response = await this.fetchImpl(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: this.signal,
          redirect: 'manual',
        });
        const text = await response.text();
        const next = sameOriginRedirect(url, response);
        if (next && hop < MAX_REDIRECTS) {
          url = next;
          continue;
        }
        return { status: response.status, headers: response.headers, text, json: parseJson(text) };
      }
    } catch (error) {
      throw this.noAnswer(error);
    }
  }

  /** The ForgeError for a failed answer. */
  fail(answer: ForgeAnswer): ForgeError {
    return errorForAnswer(this.repo, answer, this.token);
  }

  private noAnswer(error: unknown): ForgeError {
    const cause = this.options.signal?.aborted
      ? 'cancelled'
      : this.timeoutSignal.aborted
        ? 'timeout'
        : 'network';
    return errorForNoAnswer(this.repo, error, cause, this.timeoutMs, this.token);
  }
}

/** A URL field of a JSON object answer (`html_url`, `web_url`); a ForgeError when it is missing. */
export function urlField(http: ForgeHttp, answer: ForgeJsonAnswer, field: string): string {
  const json = answer.json;
  const value = isRecord(json) ? json[field] : undefined;
  if (typeof value === 'string' && /^https?:\/\//.test(value)) {
    return value;
  }
  throw new ForgeError(
    'failed',
    `${http.repo.host} answered ${answer.status} without the pull request's address: open it in the browser instead.`,
    answer.status,
  );
}

const MAX_REDIRECTS = 3;

/** The target of a 301/302/307/308 answer when it stays on the same origin, else undefined. */
function sameOriginRedirect(from: string, response: Response): string | undefined {
  const location = response.headers.get('location');
  if (![301, 302, 307, 308].includes(response.status) || !location) {
    return undefined;
  }
  try {
    const target = new URL(location, from);
    return target.origin === new URL(from).origin ? target.href : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
