/** Why talking to a cluster failed; the UI turns each reason into a sentence with what to do. */
export type ClusterErrorReason =
  | 'contextNotFound'
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'badResponse'
  | 'cancelled';

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
      `The cluster of context "${context}" does not serve ${what} (404).`,
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
