/**
 * JSON and Graph shapes the emulator reads and writes.
 *
 * The emulator keeps Graph payloads as plain JSON objects rather than strict
 * interfaces: what it echoes back must keep every field the bot sent, and what
 * it sends must look like Graph's documented payloads, not like a class.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object; `undefined` members are dropped when serialised. */
export type JsonObject = { [key: string]: JsonValue | undefined };

/**
 * Graph's `resultInfo`: the outcome code of an operation or a call.
 * @property code An HTTP-like status code (200, 400, 408...).
 * @property subcode Graph's finer reason code.
 * @property message Graph's description, for people.
 */
export type ResultInfo = { code: number; subcode: number; message: string };

/** A Graph `identitySet`: kinds (`user`, `application`, `phone`, ...) mapped to identities. */
export type IdentitySet = JsonObject;

/** One commsNotification as delivered to the bot. */
export type CommsNotification = {
  /** `#microsoft.graph.commsNotification`. */
  '@odata.type': string;
  /** `created`, `updated` or `deleted`. */
  changeType: string;
  /** The resource's old `/app/calls/...` path. */
  resource: string;
  /** The resource's `/communications/calls/...` path. */
  resourceUrl: string;
  /** The resource: an object, or an array for participants. */
  resourceData: JsonObject | JsonObject[];
};

/** The body of one callback delivery. */
export type CommsNotifications = {
  /** `#microsoft.graph.commsNotifications`. */
  '@odata.type': string;
  /** The notifications of this delivery. */
  value: CommsNotification[];
};

/** Kinds of call the emulator distinguishes: invite rules differ between them. */
export type CallKind = 'peerToPeer' | 'group' | 'meeting';

/** Graph's call states (lower camel case, as documented). */
export type CallState =
  | 'incoming'
  | 'establishing'
  | 'ringing'
  | 'established'
  | 'hold'
  | 'transferring'
  | 'transferAccepted'
  | 'redirecting'
  | 'terminating'
  | 'terminated';

/** Status of a commsOperation, in Graph's documented casing. */
export type OperationStatus = 'notStarted' | 'running' | 'completed' | 'failed';

/** Narrows an unknown value to a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
