/** Why talking to a cluster failed; the UI turns each reason into a sentence with what to do. */
export type ClusterErrorReason =
  | 'contextNotFound'
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'badResponse'
  | 'cancelled'
  /** 409: the object changed meanwhile, or another field manager owns the field. */
  | 'conflict'
  /** 422: the server refused the object as invalid. */
  | 'invalid'
  /** 410: a watch or list resumed from a resourceVersion the server no longer keeps. */
  | 'gone';

export class ClusterError extends Error {
  constructor(
    readonly reason: ClusterErrorReason,
    message: string,
    readonly context?: string,
  ) {
    super(message);
  }
}

/** The sentence for an HTTP status, naming the context and what to do. */
export function errorForStatus(
  status: number,
  context: string,
  what: string,
  body: string,
): ClusterError {
  const detail = messageOf(body);
  if (status === 401) {
    return new ClusterError(
      'unauthorized',
      `The credentials of context "${context}" were refused (401): log in again or renew the token, then retry.`,
      context,
    );
  }
  if (status === 403) {
    return new ClusterError(
      'forbidden',
      `Context "${context}" may not ${what} (403 Forbidden${detail ? `: ${detail}` : ''}). Ask for that permission or use another context.`,
      context,
    );
  }
  if (status === 404) {
    return new ClusterError(
      'notFound',
      `The cluster of context "${context}" does not serve ${what} (404${detail ? `: ${detail}` : ''}).`,
      context,
    );
  }
  if (status === 409) {
    return new ClusterError(
      'conflict',
      `The cluster of context "${context}" refused to ${what} because of a conflict (409${detail ? `: ${detail}` : ''}). Reload the object and retry.`,
      context,
    );
  }
  if (status === 410) {
    return new ClusterError(
      'gone',
      `The cluster of context "${context}" no longer has the history asked for to ${what} (410 Gone); it has to be read again.`,
      context,
    );
  }
  if (status === 422) {
    return new ClusterError(
      'invalid',
      `The cluster of context "${context}" refused to ${what} as invalid (422${detail ? `: ${detail}` : ''}). Correct the manifest and retry.`,
      context,
    );
  }
  return new ClusterError(
    'badResponse',
    `The cluster of context "${context}" answered ${status} to ${what}${detail ? `: ${detail}` : ''}.`,
    context,
  );
}

function messageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
