import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';

export interface ApiAnswer {
  readonly status: number;
  readonly body: string;
}

export interface ApplyVerdict {
  readonly accepted: boolean;
  /** The API server's message (or why the request could not be made). */
  readonly message: string;
  /** HTTP status of the answer; 0 when no request was made. */
  readonly status?: number;
  /** The Status reason of a refusal: Invalid, BadRequest, Forbidden, NotFound, ... */
  readonly reason?: string;
}

/**
 * Raw HTTPS requests to a real kube-apiserver with a kubeconfig's credentials: the oracle sends
 * manifests as YAML text, exactly as written, which client libraries would re-serialize.
 */
export class RawKube {
  private readonly discovery = new Map<
    string,
    Promise<Array<{ kind: string; name: string; namespaced: boolean }>>
  >();

  private constructor(
    private readonly server: string,
    private readonly options: https.RequestOptions,
  ) {}

  static async connect(kubeconfigPath: string, context: string): Promise<RawKube> {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    config.setCurrentContext(context);
    const options: https.RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    const server = config.getCurrentCluster()?.server;
    if (!server) {
      throw new Error(`context ${context} names no server`);
    }
    return new RawKube(server, options);
  }

  request(
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ): Promise<ApiAnswer> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        new URL(path, this.server),
        {
          ...this.options,
          method,
          timeout: 30_000,
          headers: {
            ...(this.options.headers ?? {}),
            'Content-Type': contentType,
            Accept: 'application/json',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  /** The REST resource of a kind, from discovery; undefined when the server does not serve it. */
  async resourceOf(
    apiVersion: string,
    kind: string,
  ): Promise<{ name: string; namespaced: boolean } | undefined> {
    let resources = this.discovery.get(apiVersion);
    if (!resources) {
      resources = this.request(
        'GET',
        apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
      ).then((answer) =>
        answer.status === 200
          ? (
              JSON.parse(answer.body) as {
                resources: Array<{ kind: string; name: string; namespaced: boolean }>;
              }
            ).resources.filter((resource) => !resource.name.includes('/'))
          : [],
      );
      this.discovery.set(apiVersion, resources);
    }
    return (await resources).find((resource) => resource.kind === kind);
  }

  /** Server-side apply with dryRun=All and strict field validation: the API server's verdict. */
  async dryRunApply(text: string, namespace: string): Promise<ApplyVerdict> {
    let identity: { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
    try {
      identity = (parse(text, { uniqueKeys: false }) ?? {}) as typeof identity;
    } catch (error) {
      return { accepted: false, message: `not YAML: ${String(error)}` };
    }
    const { apiVersion, kind } = identity;
    const name = identity.metadata?.name;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      return { accepted: false, message: 'no apiVersion or kind' };
    }
    const resource = await this.resourceOf(apiVersion, kind);
    if (!resource) {
      return {
        accepted: false,
        message: `no matches for kind "${kind}" in version "${apiVersion}"`,
      };
    }
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const collection = `${base}${resource.namespaced ? `/namespaces/${namespace}` : ''}/${resource.name}`;
    const query = 'dryRun=All&fieldValidation=Strict&fieldManager=gitops-workbench-oracle';
    const answer =
      typeof name === 'string'
        ? await this.request(
            'PATCH',
            `${collection}/${encodeURIComponent(name)}?${query}&force=true`,
            text,
            'application/apply-patch+yaml',
          )
        : await this.request('POST', `${collection}?${query}`, text, 'application/yaml');
    const accepted = answer.status >= 200 && answer.status < 300;
    let message = `HTTP ${answer.status}`;
    let reason: string | undefined;
    try {
      const status = JSON.parse(answer.body) as { message?: string; reason?: string };
      message = status.message ?? message;
      reason = status.reason;
    } catch {
      // not JSON: keep the status line
    }
    return {
      accepted,
      message: accepted ? 'accepted' : message,
      status: answer.status,
      ...(accepted || reason === undefined ? {} : { reason }),
    };
  }
}
