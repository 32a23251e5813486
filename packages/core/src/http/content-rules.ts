import { headerOf, type HeaderSource } from './headers.js';
import { callbackRefusal, type CallbackResponse } from './refusal.js';

/** Whether a content type is JSON (`application/json`, `application/*+json`, any parameters). */
export const isJsonContentType = (type: string): boolean => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type.trim());

/** 415 for a body that is not JSON, or that is compressed, checked before anything is read; undefined when acceptable. */
export function refuseContentType(headers: HeaderSource): CallbackResponse | undefined {
  const contentType = headerOf(headers, 'content-type');
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    return callbackRefusal(415, 'unsupported_media_type', `expected application/json, got ${contentType.slice(0, 100)}`);
  }
  const encoding = headerOf(headers, 'content-encoding');
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return callbackRefusal(415, 'unsupported_encoding', `content-encoding ${encoding.slice(0, 40)} is not accepted`);
  }
  return undefined;
}

/** 413 for a body whose `Content-Length` is above `limit`, refused before a byte is read; undefined otherwise. */
export function refuseDeclaredLength(headers: HeaderSource, limit: number | undefined): CallbackResponse | undefined {
  if (limit === undefined) return undefined;
  const declared = Number(headerOf(headers, 'content-length'));
  // A Content-Length that is not a number is left to the reader, which counts what really comes.
  if (!Number.isFinite(declared) || declared <= limit) return undefined;
  return callbackRefusal(413, 'payload_too_large', `the body is larger than ${limit} bytes`);
}
