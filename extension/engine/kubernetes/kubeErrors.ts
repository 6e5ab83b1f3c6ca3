// Kubernetes API failures as pydock errors that name the cause and what to do: permissions, quotas, a missing namespace.
import { PydockError } from '../errors';

/** What an API call was doing, for the message: e.g. {verb: 'create', resource: 'pods', namespace: 'team-a'}. */
export interface ApiCall {
  verb: string;
  resource: string;
  namespace: string;
}

/** The HTTP status and the server's Status message of a failed call (client-node's ApiException, or a handshake's answer). */
export function apiFailure(error: unknown): { code?: number; message: string; reason?: string } {
  const e = error as { code?: unknown; body?: unknown; message?: string };
  let body = e?.body;
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch { /* a plain text body */ }
  }
  const status = body as { message?: string; reason?: string } | undefined;
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const message = status?.message ?? (typeof body === 'string' && body ? body : undefined) ?? e?.message ?? String(error);
  return { code, message, ...(status?.reason ? { reason: status.reason } : {}) };
}

export function kubeError(error: unknown, call: ApiCall, server: string): PydockError {
  if (error instanceof PydockError) return error;
  const { code, message } = apiFailure(error);
  const where = `in namespace ${call.namespace} on ${server}`;
  if (code === 403 && /exceeded quota|forbidden: exceeded/i.test(message)) {
    return new PydockError('start-failed', `The namespace's resource quota does not allow another session pod: ${message}`,
      'Stop sessions or pool workers you no longer need (pydock: Show Containers, or "kubectl get pods -l pydock"), lower memory/cpus '
      + 'in .pydock/environment.json, or ask the cluster\'s administrator for a larger quota.');
  }
  if (code === 403 || code === 401) {
    const verbs = call.resource.startsWith('pods/') ? 'create and get' : call.verb; // a WebSocket subresource opens with GET
    return new PydockError('start-failed', `The cluster refused to ${call.verb} ${call.resource} ${where}: ${message}`,
      `Your account needs the RBAC verb${verbs.includes(' ') ? 's' : ''} ${verbs} on the resource ${call.resource} in ${call.namespace} `
      + `("kubectl auth can-i ${call.verb} ${call.resource} -n ${call.namespace}" checks it); ask for a Role that grants it, or use another context.`);
  }
  if (code === 404 && /namespaces? .*not found/i.test(message)) {
    return new PydockError('start-failed', `The namespace ${call.namespace} does not exist on ${server}.`,
      'Create it ("kubectl create namespace NAME"), or set kubernetes.namespace in .pydock/environment.json or pydock.kubernetes.namespace to one that exists.');
  }
  return new PydockError('start-failed', `The Kubernetes API could not ${call.verb} ${call.resource} ${where}: ${message}${code ? ` (HTTP ${code})` : ''}.`);
}
