import type { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { GraphRequestError } from '../errors.js';
import type { CommsOperation, InvitationParticipantInfo } from '../model/graph.js';
import { isRecord } from '../model/json.js';

/** The Graph API version invites go to. */
export type GraphVersion = 'v1.0' | 'beta';

/** Graph's answer to an invite. */
export interface InviteResponse {
  /** The inviteParticipantsOperation from the body (an empty object when Graph sent none). */
  operation: CommsOperation;
  /** From the body, or else the last segment of the Location header. */
  id: string | null;
}


/**
 * POSTs `participants/invite` through the Graph client. The RAW response type gives the
 * status and headers and does not throw on non-2xx; the client's own retry handler has
 * already re-sent on 429/503/504 by then, with the same clientContext.
 */
export async function sendInvite(
  client: Client,
  version: GraphVersion,
  callId: string,
  body: { participants: InvitationParticipantInfo[]; clientContext: string },
): Promise<InviteResponse> {
  let response: Response;
  try {
    response = (await client
      .api(`/communications/calls/${encodeURIComponent(callId)}/participants/invite`)
      .version(version)
      .responseType('raw' as ResponseType)
      .post(body)) as Response;
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
  const id = typeof operation.id === 'string' && operation.id ? operation.id : idFromLocation(response.headers.get('location'));
  return { operation, id };
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

/** `https://graph.microsoft.com/v1.0/communications/calls/{id}/operations/{opId}` → `{opId}`. */
function idFromLocation(location: string | null): string | null {
  if (!location) return null;
  const match = /\/operations\/([^/?#]+)/i.exec(location);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}
