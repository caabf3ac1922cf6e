/**
 * Pull-request creation against LOCAL STAND-INS of the forges' REST APIs (test/integration/
 * support/forgeStandIn.ts), not the real GitHub, GitLab or Gitea: the requests we send are
 * asserted (method, path, body, auth header), and so is every failure message, which must never
 * hold the token, nor may anything written to the console.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ForgeError } from '../../server/src/engine/forge/forgeErrors';
import { forgeOf } from '../../server/src/engine/forge/forgeRepo';
import { createPullRequest } from '../../server/src/engine/forge/pullRequest';
import type { ForgeRepo, PullRequestResult } from '../../server/src/engine/git/types';
import { ForgeStandIn, RATE_LIMIT_RESET } from './support/forgeStandIn';
import type { StandInFlavor } from './support/forgeStandIn';

const TOKEN = 'tok_S3cr3t-do-not-leak-0123456789';

/**
 * What `run` writes: console calls are recorded (and kept off the screen); stdout and stderr
 * writes are recorded and still passed through, since the test runner itself reports there.
 */
async function capturingOutput<T>(
  run: () => Promise<T>,
): Promise<{ value: T; output: string; streams: string }> {
  const consoleLines: string[] = [];
  const streamChunks: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  // The originals are put back as they were, unbound, in `finally`.
  /* eslint-disable @typescript-eslint/unbound-method */
  const saved = methods.map((name) => console[name]);
  const savedOut = process.stdout.write;
  const savedErr = process.stderr.write;
  /* eslint-enable @typescript-eslint/unbound-method */
  for (const name of methods) {
    console[name] = (...args: unknown[]): void => {
      consoleLines.push(args.map(String).join(' '));
    };
  }
  const tap = (original: typeof process.stdout.write): typeof process.stdout.write => {
    const passOn = original as (...args: unknown[]) => boolean;
    return function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      streamChunks.push(Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk));
      return passOn.call(this, chunk, ...rest);
    };
  };
  process.stdout.write = tap(savedOut);
  process.stderr.write = tap(savedErr);
  try {
    const value = await run();
    return { value, output: consoleLines.join('\n'), streams: streamChunks.join('') };
  } finally {
    methods.forEach((name, i) => (console[name] = saved[i] as (typeof console)[typeof name]));
    process.stdout.write = savedOut;
    process.stderr.write = savedErr;
  }
}

/** The ForgeError `run` throws; asserts the token is neither in it nor in the output. */
async function forgeFailure(run: () => Promise<unknown>): Promise<ForgeError> {
  const { value, output, streams } = await capturingOutput(async () => {
    try {
      await run();
    } catch (error) {
      return error;
    }
    assert.fail('expected a ForgeError');
  });
  assert.ok(value instanceof ForgeError, String(value));
  assert.ok(!output.includes(TOKEN), 'token written to the console');
  assert.ok(!streams.includes(TOKEN), 'token written to stdout or stderr');
  assert.ok(!value.message.includes(TOKEN), 'token in the message');
  assert.ok(!JSON.stringify(value).includes(TOKEN), 'token in the error');
  assert.ok(!String(value.stack).includes(TOKEN), 'token in the stack');
  assert.match(value.message, /^[^\n]+[.!]$/, 'one sentence');
  return value;
}

interface Case {
  readonly flavor: StandInFlavor;
  readonly provider: string;
  readonly repoPath: string;
  readonly createPath: string;
  readonly authHeader: [string, string];
  readonly expectedBody: Record<string, string>;
  readonly url: (origin: string, n: number) => string;
}

const CASES: readonly Case[] = [
  {
    flavor: 'github',
    provider: 'the GitHub REST API',
    repoPath: 'acme/app',
    createPath: '/api/v3/repos/acme/app/pulls',
    authHeader: ['authorization', `Bearer ${TOKEN}`],
    expectedBody: { title: 'Revert: bump', head: 'rollback/abc1234', base: 'main', body: 'Body' },
    url: (origin, n) => `${origin}/acme/app/pull/${n}`,
  },
  {
    flavor: 'gitlab',
    provider: 'the GitLab REST API',
    repoPath: 'group/sub/app',
    createPath: '/api/v4/projects/group%2Fsub%2Fapp/merge_requests',
    authHeader: ['private-token', TOKEN],
    expectedBody: {
      source_branch: 'rollback/abc1234',
      target_branch: 'main',
      title: 'Revert: bump',
      description: 'Body',
    },
    url: (origin, n) => `${origin}/group/sub/app/-/merge_requests/${n}`,
  },
  {
    flavor: 'gitea',
    provider: 'the Gitea REST API',
    repoPath: 'acme/app',
    createPath: '/api/v1/repos/acme/app/pulls',
    authHeader: ['authorization', `token ${TOKEN}`],
    expectedBody: { head: 'rollback/abc1234', base: 'main', title: 'Revert: bump', body: 'Body' },
    url: (origin, n) => `${origin}/acme/app/pulls/${n}`,
  },
];

for (const c of CASES) {
  describe(`pull requests against a local stand-in of ${c.provider}`, () => {
    let standIn: ForgeStandIn;
    let repo: ForgeRepo;
    const open = (
      overrides: { token?: string; head?: string; timeoutMs?: number } = {},
    ): Promise<PullRequestResult> =>
      createPullRequest(
        {
          repo,
          head: overrides.head ?? 'rollback/abc1234',
          base: 'main',
          title: 'Revert: bump',
          body: 'Body',
          token: 'token' in overrides ? overrides.token : TOKEN,
        },
        { timeoutMs: overrides.timeoutMs ?? 5_000 },
      );

    before(async () => {
      standIn = await ForgeStandIn.start(c.flavor, c.repoPath, TOKEN);
      // The hosts setting makes forgeOf choose the stand-in, with the kind's default API path.
      repo = forgeOf(`${standIn.origin}/${c.repoPath}.git`, {
        [standIn.host]: { kind: c.flavor },
      });
      assert.equal(repo.apiUrl, standIn.apiUrl);
    });
    after(() => standIn.stop());
    afterEach(() => {
      standIn.mode = 'normal';
      standIn.requests.length = 0;
      standIn.pulls.length = 0;
      standIn.branches.clear();
      standIn.branches.add('main');
      standIn.emptyBranches.clear();
      standIn.legacyGitea = false;
    });

    it('sends the documented request and returns the new pull request', async () => {
      standIn.branches.add('rollback/abc1234');
      const { value, output, streams } = await capturingOutput(() => open());
      assert.deepEqual(value, { url: c.url(standIn.origin, 1), existed: false });
      assert.equal(output, '');
      assert.ok(!streams.includes(TOKEN));
      assert.equal(standIn.requests.length, 1);
      const [request] = standIn.requests;
      assert.equal(request?.method, 'POST');
      assert.equal(request?.path, c.createPath);
      assert.deepEqual(request?.body, c.expectedBody);
      assert.equal(request?.headers[c.authHeader[0]], c.authHeader[1]);
      assert.equal(request?.headers['content-type'], 'application/json');
      if (c.flavor === 'github') {
        assert.equal(request?.headers['accept'], 'application/vnd.github+json');
        assert.equal(request?.headers['x-github-api-version'], '2022-11-28');
      }
    });

    it('returns the pull request that already exists for the branch', async () => {
      standIn.branches.add('rollback/abc1234');
      await open();
      standIn.requests.length = 0;
      const again = await open();
      assert.deepEqual(again, { url: c.url(standIn.origin, 1), existed: true });
      assert.equal(standIn.requests[0]?.method, 'POST');
      const lookup = standIn.requests[1];
      assert.equal(lookup?.method, 'GET');
      const expected = {
        github: '/api/v3/repos/acme/app/pulls?head=acme%3Arollback%2Fabc1234&base=main&state=open',
        gitlab:
          '/api/v4/projects/group%2Fsub%2Fapp/merge_requests?source_branch=rollback%2Fabc1234&target_branch=main&state=opened',
        gitea: '/api/v1/repos/acme/app/pulls/main/rollback/abc1234',
      }[c.flavor];
      assert.equal(lookup?.path, expected);
      assert.equal(lookup?.headers[c.authHeader[0]], c.authHeader[1]);
    });

    it('turns 401, 403 and rate limits into sentences naming the host and what to do', async () => {
      standIn.branches.add('rollback/abc1234');
      standIn.mode = 'unauthorized';
      const unauthorized = await forgeFailure(() => open());
      assert.equal(unauthorized.reason, 'unauthorized');
      assert.match(unauthorized.message, new RegExp(`^${standIn.host} refused the token`));
      assert.match(unauthorized.message, /sign in again/);

      standIn.mode = 'forbidden';
      const forbidden = await forgeFailure(() => open());
      assert.equal(forbidden.reason, 'forbidden');
      assert.match(forbidden.message, new RegExp(`open pull requests on ${c.repoPath} \\(403`));

      standIn.mode = 'rateLimited';
      const limited = await forgeFailure(() => open());
      assert.equal(limited.reason, 'rateLimited');
      const until = new Date(RATE_LIMIT_RESET * 1000).toISOString().slice(11, 19);
      assert.match(limited.message, new RegExp(`rate limiting this token until ${until} UTC`));

      standIn.mode = 'tooManyRequests';
      const tooMany = await forgeFailure(() => open());
      assert.equal(tooMany.reason, 'rateLimited');
      assert.equal(tooMany.status, 429);
      assert.match(tooMany.message, /retry after 42 s\.$/);
    });

    it("passes on the provider's validation message", async () => {
      standIn.branches.add('rollback/abc1234');
      standIn.emptyBranches.add('rollback/abc1234');
      const empty = await forgeFailure(() => open());
      assert.equal(empty.reason, 'invalid');
      assert.match(empty.message, /No commits between main and rollback\/abc1234/);
      if (c.flavor === 'github') {
        const unpushed = await forgeFailure(() => open({ head: 'not-pushed' }));
        assert.equal(unpushed.reason, 'invalid');
        assert.match(unpushed.message, /\(422: head invalid\)/);
      }
    });

    it('gives up on a server that never answers, within the time limit', async () => {
      standIn.mode = 'hang';
      const started = Date.now();
      const timeout = await forgeFailure(() => open({ timeoutMs: 300 }));
      const elapsed = Date.now() - started;
      assert.equal(timeout.reason, 'timeout');
      assert.ok(elapsed >= 250 && elapsed < 2_000, `${elapsed} ms`);
      assert.match(timeout.message, new RegExp(`^${standIn.host} did not answer within`));
    });

    it('sends nothing without a token and offers the compare page', async () => {
      const result = await open({ token: undefined });
      assert.equal(result.existed, false);
      assert.equal(result.url, result.compareUrl);
      assert.ok(result.url.startsWith(`${standIn.origin}/${c.repoPath}`));
      assert.equal(standIn.requests.length, 0);
    });
  });
}

describe('forge requests in general (local stand-in of the Gitea REST API)', () => {
  let standIn: ForgeStandIn;
  let repo: ForgeRepo;
  before(async () => {
    standIn = await ForgeStandIn.start('gitea', 'acme/app', TOKEN);
    repo = forgeOf(`${standIn.origin}/acme/app.git`, { [standIn.host]: { kind: 'gitea' } });
  });
  after(() => standIn.stop());
  const request = (head: string): Parameters<typeof createPullRequest>[0] => ({
    repo,
    head,
    base: 'main',
    title: 't',
    body: 'b',
    token: TOKEN,
  });

  it('finds an existing pull request in the list on Gitea before 1.20', async () => {
    standIn.legacyGitea = true;
    for (const branch of ['a', 'b', 'c']) {
      standIn.branches.add(branch);
      await createPullRequest(request(branch));
    }
    standIn.requests.length = 0;
    const existing = await createPullRequest(request('b'));
    assert.deepEqual(existing, { url: `${standIn.origin}/acme/app/pulls/2`, existed: true });
    assert.deepEqual(
      standIn.requests.map((r) => `${r.method} ${r.path}`),
      [
        'POST /api/v1/repos/acme/app/pulls',
        'GET /api/v1/repos/acme/app/pulls/main/b',
        'GET /api/v1/repos/acme/app/pulls?state=open&page=1&limit=50',
      ],
    );
  });

  it('stops at once when the caller cancels', async () => {
    standIn.mode = 'hang';
    const controller = new AbortController();
    const pending = forgeFailure(() =>
      createPullRequest(request('a'), { signal: controller.signal, timeoutMs: 10_000 }),
    );
    setImmediate(() => controller.abort());
    const cancelled = await pending;
    assert.equal(cancelled.reason, 'cancelled');
    standIn.mode = 'normal';
  });

  it('says so when the forge cannot be reached', async () => {
    const closed = await ForgeStandIn.start('gitea', 'acme/app', TOKEN);
    const gone = forgeOf(`${closed.origin}/acme/app.git`, { [closed.host]: { kind: 'gitea' } });
    await closed.stop();
    const unreachable = await forgeFailure(() =>
      createPullRequest({ ...request('a'), repo: gone }),
    );
    assert.equal(unreachable.reason, 'unreachable');
    assert.match(unreachable.message, /^Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('follows a redirect on the same origin only, so the token stays with the forge', async () => {
    const calls: string[] = [];
    const redirecting =
      (target: string): typeof fetch =>
      (input) => {
        const url = input instanceof Request ? input.url : input.toString();
        calls.push(url);
        return Promise.resolve(
          url.includes('/moved/')
            ? new Response(JSON.stringify({ html_url: 'https://forge.test/acme/app/pulls/9' }), {
                status: 201,
              })
            : new Response('', { status: 307, headers: { location: target } }),
        );
      };
    const same = await createPullRequest(request('a'), {
      fetchImpl: redirecting(`${standIn.apiUrl}/repos/moved/app/pulls`),
    });
    assert.equal(same.url, 'https://forge.test/acme/app/pulls/9');
    assert.deepEqual(calls, [
      `${standIn.apiUrl}/repos/acme/app/pulls`,
      `${standIn.apiUrl}/repos/moved/app/pulls`,
    ]);
    calls.length = 0;
    const away = await forgeFailure(() =>
      createPullRequest(request('a'), {
        fetchImpl: redirecting('https://elsewhere.example/api/v1/repos/moved/app/pulls'),
      }),
    );
    assert.equal(away.reason, 'notFound');
    assert.match(away.message, /moved to another address \(307\): update the remote URL/);
    assert.equal(calls.length, 1);
  });

  it('scrubs the token should a forge echo it back', async () => {
    const echo: typeof fetch = () =>
      Promise.resolve(
        new Response(JSON.stringify({ message: `bad token ${TOKEN}` }), { status: 422 }),
      );
    const failure = await forgeFailure(() => createPullRequest(request('a'), { fetchImpl: echo }));
    assert.match(failure.message, /bad token \*\*\*/);
  });
});
