/**
 * A LOCAL STAND-IN for the forges' REST APIs, for tests: a node:http server on 127.0.0.1 that
 * answers the few endpoints GitOps Workbench uses, with the status codes and JSON shapes the
 * providers' published API documentation gives. It is not GitHub, GitLab or Gitea; it holds one
 * repository with a set of pushed branches, records every request, and has switches for the
 * failures we turn into messages (401, 403, rate limits, 429, validation, never answering).
 *
 * - GitHub (Enterprise layout, under `/api/v3`): `POST /repos/{o}/{r}/pulls` -> 201 `{ number,
 *   html_url, … }`; 422 `{ message: 'Validation Failed', errors: [{ resource, code, message }] }`;
 *   `GET /repos/{o}/{r}/pulls?head=o:branch&base=&state=open` -> array.
 * - GitLab (under `/api/v4`): `POST /projects/:id/merge_requests` -> 201 `{ iid, web_url, … }`;
 *   409 `{ message: ['Another open merge request already exists for this source branch: !1'] }`;
 *   `GET /projects/:id/merge_requests?source_branch=&target_branch=&state=opened` -> array.
 * - Gitea/Forgejo (under `/api/v1`): `POST /repos/{o}/{r}/pulls` -> 201 `{ number, html_url }`;
 *   409 `{ message: 'pull request already exists for these targets […]' }`;
 *   `GET /repos/{o}/{r}/pulls/{base}/{head}` (1.20+) and `GET /repos/{o}/{r}/pulls?state=open`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInFlavor = 'github' | 'gitlab' | 'gitea';

/** How the stand-in answers the next requests. */
export type StandInMode =
  | 'normal'
  /** 401: the token is refused. */
  | 'unauthorized'
  /** 403: the token may not write to the repository. */
  | 'forbidden'
  /** 403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (GitHub's primary limit). */
  | 'rateLimited'
  /** 429 with `Retry-After: 42`. */
  | 'tooManyRequests'
  /** Accepts the connection and never answers. */
  | 'hang';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface StoredPull {
  readonly number: number;
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
}

const PREFIX: Record<StandInFlavor, string> = {
  github: '/api/v3',
  gitlab: '/api/v4',
  gitea: '/api/v1',
};

/** Epoch seconds the rate limit resets at in 'rateLimited' mode: 2030-01-01T12:34:56Z. */
export const RATE_LIMIT_RESET = 1893501296;

export class ForgeStandIn {
  readonly requests: RecordedRequest[] = [];
  mode: StandInMode = 'normal';
  /** Branches that were pushed; a pull request needs both of its branches here. */
  readonly branches = new Set<string>(['main']);
  /** Branches with no commits beyond the base (GitHub/Gitea refuse them with 422). */
  readonly emptyBranches = new Set<string>();
  /** Answer 404 to Gitea's `GET pulls/{base}/{head}`, as Gitea before 1.20 does. */
  legacyGitea = false;
  readonly pulls: StoredPull[] = [];

  private constructor(
    readonly flavor: StandInFlavor,
    /** The repository's path: `acme/app`, or for GitLab a namespace path `group/sub/app`. */
    readonly repoPath: string,
    /** The one token accepted. */
    readonly token: string,
    private readonly server: http.Server,
  ) {}

  static async start(
    flavor: StandInFlavor,
    repoPath: string,
    token: string,
  ): Promise<ForgeStandIn> {
    const server = http.createServer();
    const standIn = new ForgeStandIn(flavor, repoPath, token, server);
    server.on('request', (req, res) => standIn.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  /** `http://127.0.0.1:<port>`: the web origin; the API is under `/api/v3|v4|v1`. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `127.0.0.1:<port>`, the key of a hosts setting that sends forgeOf here. */
  get host(): string {
    return this.origin.slice('http://'.length);
  }

  get apiUrl(): string {
    return `${this.origin}${PREFIX[this.flavor]}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
      }
      const path = req.url ?? '/';
      this.requests.push({ method: req.method ?? '', path, headers, body });
      if (this.mode === 'hang') {
        return; // never answers; stop() closes the socket
      }
      const [status, payload, extra] = this.answer(req.method ?? '', path, headers, body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extra });
      res.end(JSON.stringify(payload));
    });
  }

  private answer(
    method: string,
    rawPath: string,
    headers: Readonly<Record<string, string>>,
    body: unknown,
  ): [number, unknown, Record<string, string>?] {
    const url = new URL(rawPath, this.origin);
    if (!this.authorized(headers)) {
      return [401, this.unauthorizedBody()];
    }
    if (this.mode === 'forbidden') {
      return [403, { message: this.forbiddenMessage() }, { 'x-ratelimit-remaining': '4999' }];
    }
    if (this.mode === 'rateLimited') {
      return [
        403,
        { message: 'API rate limit exceeded for user ID 1.' },
        {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(RATE_LIMIT_RESET),
          'x-ratelimit-used': '5000',
        },
      ];
    }
    if (this.mode === 'tooManyRequests') {
      return [
        429,
        { message: 'You have exceeded a secondary rate limit.' },
        { 'retry-after': '42' },
      ];
    }
    const prefix = PREFIX[this.flavor];
    if (!url.pathname.startsWith(`${prefix}/`)) {
      return [404, this.notFoundBody()];
    }
    // GitLab's project id arrives URL-encoded (`group%2Fsub%2Fapp`): compare the raw path.
    const rest = url.pathname.slice(prefix.length);
    const repoBase =
      this.flavor === 'gitlab'
        ? `/projects/${encodeURIComponent(this.repoPath)}/merge_requests`
        : `/repos/${this.repoPath}/pulls`;
    if (!rest.startsWith(repoBase)) {
      return [404, this.notFoundBody()];
    }
    const tail = decodeURIComponent(rest.slice(repoBase.length));
    if (method === 'POST' && tail === '') {
      return this.create(body);
    }
    if (method === 'GET' && tail === '') {
      return [200, this.list(url.searchParams).map((pull) => this.render(pull))];
    }
    if (method === 'GET' && this.flavor === 'gitea' && tail.startsWith('/') && !this.legacyGitea) {
      const [base, ...head] = tail.slice(1).split('/');
      const pull = this.pulls.find((p) => p.base === base && p.head === head.join('/'));
      return pull ? [200, this.render(pull)] : [404, this.notFoundBody()];
    }
    return [404, this.notFoundBody()];
  }

  private create(body: unknown): [number, unknown] {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    const gitlab = this.flavor === 'gitlab';
    const head = text(fields[gitlab ? 'source_branch' : 'head']);
    const base = text(fields[gitlab ? 'target_branch' : 'base']);
    const title = text(fields['title']);
    const description = text(fields[gitlab ? 'description' : 'body']);
    const existing = this.pulls.find((p) => p.head === head && p.base === base);
    if (existing) {
      if (this.flavor === 'github') {
        const message = `A pull request already exists for ${this.owner}:${head}.`;
        return [422, validation([{ resource: 'PullRequest', code: 'custom', message }])];
      }
      if (gitlab) {
        return [
          409,
          {
            message: [
              `Another open merge request already exists for this source branch: !${existing.number}`,
            ],
          },
        ];
      }
      return [
        409,
        {
          message: `pull request already exists for these targets [id: ${existing.number}, issue_id: ${existing.number}, head_repo_id: 1, base_repo_id: 1, head_branch: ${head}, base_branch: ${base}]`,
          url: `${this.apiUrl}/swagger`,
        },
      ];
    }
    if (!this.branches.has(head) || !this.branches.has(base)) {
      if (this.flavor === 'github') {
        const field = this.branches.has(head) ? 'base' : 'head';
        return [422, validation([{ resource: 'PullRequest', field, code: 'invalid' }])];
      }
      if (gitlab) {
        return [422, { message: [`Source branch or target branch does not exist`] }];
      }
      return [404, this.notFoundBody()];
    }
    if (this.emptyBranches.has(head)) {
      const message = `No commits between ${base} and ${head}`;
      return this.flavor === 'github'
        ? [422, validation([{ resource: 'PullRequest', code: 'custom', message }])]
        : [422, { message: gitlab ? [message] : message }];
    }
    const pull = { number: this.pulls.length + 1, head, base, title, body: description };
    this.pulls.push(pull);
    return [201, this.render(pull)];
  }

  private list(query: URLSearchParams): StoredPull[] {
    if (this.flavor === 'github') {
      const head = query.get('head');
      const base = query.get('base');
      return this.pulls.filter(
        (p) => (!head || `${this.owner}:${p.head}` === head) && (!base || p.base === base),
      );
    }
    if (this.flavor === 'gitlab') {
      const source = query.get('source_branch');
      const target = query.get('target_branch');
      return this.pulls.filter(
        (p) => (!source || p.head === source) && (!target || p.base === target),
      );
    }
    const page = Number(query.get('page') ?? '1');
    const limit = Number(query.get('limit') ?? '30');
    return this.pulls.slice((page - 1) * limit, page * limit);
  }

  private render(pull: StoredPull): Record<string, unknown> {
    const web = `${this.origin}/${this.repoPath}`;
    if (this.flavor === 'gitlab') {
      return {
        id: 1000 + pull.number,
        iid: pull.number,
        project_id: 1,
        title: pull.title,
        description: pull.body,
        state: 'opened',
        source_branch: pull.head,
        target_branch: pull.base,
        web_url: `${web}/-/merge_requests/${pull.number}`,
      };
    }
    const label = (ref: string): Record<string, string> => ({ ref, label: `${this.owner}:${ref}` });
    return {
      id: 1000 + pull.number,
      number: pull.number,
      state: 'open',
      title: pull.title,
      body: pull.body,
      url: `${this.apiUrl}/repos/${this.repoPath}/pulls/${pull.number}`,
      html_url: `${web}/${this.flavor === 'github' ? 'pull' : 'pulls'}/${pull.number}`,
      head: label(pull.head),
      base: label(pull.base),
    };
  }

  private get owner(): string {
    return this.repoPath.split('/')[0] ?? '';
  }

  private authorized(headers: Readonly<Record<string, string>>): boolean {
    if (this.mode === 'unauthorized') {
      return false;
    }
    const authorization = headers['authorization'] ?? '';
    switch (this.flavor) {
      case 'github':
        return authorization === `Bearer ${this.token}` || authorization === `token ${this.token}`;
      case 'gitlab':
        return headers['private-token'] === this.token || authorization === `Bearer ${this.token}`;
      case 'gitea':
        return authorization === `token ${this.token}`;
    }
  }

  private unauthorizedBody(): unknown {
    switch (this.flavor) {
      case 'github':
        return { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' };
      case 'gitlab':
        return { message: '401 Unauthorized' };
      case 'gitea':
        return { message: 'token is required', url: `${this.apiUrl}/swagger` };
    }
  }

  private forbiddenMessage(): string {
    return this.flavor === 'gitlab' ? '403 Forbidden' : 'Resource not accessible by this token';
  }

  private notFoundBody(): unknown {
    switch (this.flavor) {
      case 'github':
        return { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };
      case 'gitlab':
        return { message: '404 Project Not Found' };
      case 'gitea':
        return { errors: [], message: "The target couldn't be found.", url: this.apiUrl };
    }
  }
}

function validation(errors: ReadonlyArray<Record<string, string>>): unknown {
  return {
    message: 'Validation Failed',
    errors,
    documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
