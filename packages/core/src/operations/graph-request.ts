import type { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { GraphRequestError } from '../errors.js';
import type { CommsOperation } from '../model/graph.js';
import { isRecord, nonEmptyString } from '../model/json.js';

/** The Graph API version requests go to. */
export type GraphVersion = 'v1.0' | 'beta';

/** One request to Graph. */
export interface GraphRequest {
  method: 'POST' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
}

/** Graph's answer: the operation in the body (an empty object when none), and its id. */
export interface GraphAnswer {
  operation: CommsOperation;
  /** From the body, or else the last segment of the Location header. */
  id: string | null;
  /** The HTTP status Graph answered (2xx). */
  status: number;
}

/**
 * Sends one request through the user's Graph client. The RAW response type gives the status and
 * headers and does not throw on non-2xx; the client's retry handler has already re-sent on
 * 429/503/504 by then, with the same clientContext. Rejects with `GraphRequestError`.
 */
export async function sendGraphRequest(client: Client, version: GraphVersion, request: GraphRequest): Promise<GraphAnswer> {
  let response: Response;
  try {
    const api = client.api(request.path).version(version).responseType('raw' as ResponseType);
    // No body at all where the action takes none (keepAlive: "do not supply a request body").
    response = (await (request.method === 'DELETE' ? api.delete() : api.post(request.body))) as Response;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new GraphRequestError({ status: 0, message, cause });
  }
  const payload = await readJson(response);
  const requestId = response.headers.get('request-id') ?? response.headers.get('client-request-id') ?? undefined;
  if (!response.ok) {
    const error = isRecord(payload) && isRecord(payload['error']) ? payload['error'] : {};
    throw new GraphRequestError({
      status: response.status,
      graphCode: typeof error['code'] === 'string' ? error['code'] : undefined,
      graphMessage: typeof error['message'] === 'string' ? error['message'] : response.statusText || undefined,
      requestId,
    });
  }
  const operation = unwrap(payload);
  return { operation, id: nonEmptyString(operation.id) ?? idFromLocation(response.headers.get('location')), status: response.status };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// Older generated pages wrap the operation in `value` (seed 000).
function unwrap(payload: unknown): CommsOperation {
  if (!isRecord(payload)) return {};
  if (!('status' in payload) && !('id' in payload) && isRecord(payload['value'])) return payload['value'] as CommsOperation;
  return payload as CommsOperation;
}

/** `.../communications/calls/{id}/operations/{opId}` → `{opId}`; `.../communications/calls/{id}` (a new call) → `{id}`. */
function idFromLocation(location: string | null): string | null {
  if (!location) return null;
  const match = /\/operations\/([^/?#]+)/i.exec(location) ?? /\/calls\/([^/?#]+)\/?(?:[?#]|$)/i.exec(location);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
