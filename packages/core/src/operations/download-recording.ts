import { Readable } from 'node:stream';
import { GraphCommsError } from '../errors.js';
import { isRecord, nonEmptyString } from '../model/json.js';
import type { OperationOutcome } from './operation.js';
import type { RecordOperation } from './resources.js';

/** Why a recording could not be downloaded. */
export type RecordingErrorCode = 'recording_missing' | 'recording_expired' | 'recording_not_found' | 'recording_unavailable';

/** A recording could not be downloaded; `code` says why (`recording_expired`: its access token is no longer accepted). */
export class RecordingDownloadError extends GraphCommsError {
  /** HTTP status of the answer; 0 when none arrived. */
  readonly status: number;

  constructor(code: RecordingErrorCode, message: string, status = 0, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}

/** Options of `bot.downloadRecording()`. */
export interface DownloadRecordingOptions {
  /** Resolve with a Node stream of the audio instead of a Buffer. */
  stream?: boolean;
  /** The whole download's time limit; default 60 000 ms. */
  timeoutMs?: number;
  /** Aborts the download. */
  signal?: AbortSignal;
}

/** A recordResponse outcome, or its recordOperation. */
export type RecordingSource = OperationOutcome<RecordOperation> | RecordOperation;

/**
 * Downloads a recording from its `recordingLocation` with its `recordingAccessToken`. Graph keeps
 * recordings briefly and the token is short-lived: download promptly after the outcome.
 */
export async function downloadRecording(source: RecordingSource, options: DownloadRecordingOptions = {}): Promise<Buffer | Readable> {
  const operation: unknown = isRecord(source) && isRecord(source['operation']) ? source['operation'] : source;
  const location = isRecord(operation) ? nonEmptyString(operation['recordingLocation']) : undefined;
  const token = isRecord(operation) ? nonEmptyString(operation['recordingAccessToken']) : undefined;
  if (!location || !token) throw new RecordingDownloadError('recording_missing', 'the outcome has no recordingLocation and recordingAccessToken (was the recording completed?)');
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new RecordingDownloadError('recording_missing', 'recordingLocation is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RecordingDownloadError('recording_missing', `recordingLocation is not an http(s) URL (${url.protocol})`);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal, redirect: 'follow' });
  } catch (cause) {
    throw new RecordingDownloadError('recording_unavailable', `the recording could not be fetched: ${cause instanceof Error ? cause.message : String(cause)}`, 0, { cause });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 401 || response.status === 403) {
      throw new RecordingDownloadError('recording_expired', `the recording's access token was refused (${response.status}): it has expired or does not match; download promptly after the outcome`, response.status);
    }
    if (response.status === 404 || response.status === 410) throw new RecordingDownloadError('recording_not_found', `the recording is gone (${response.status})`, response.status);
    throw new RecordingDownloadError('recording_unavailable', `the recording's server answered ${response.status}`, response.status);
  }
  if (options.stream) return response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>) : Readable.from([]);
  try {
    return Buffer.from(await response.arrayBuffer());
  } catch (cause) {
    throw new RecordingDownloadError('recording_unavailable', `the recording's download broke off: ${cause instanceof Error ? cause.message : String(cause)}`, response.status, { cause });
  }
}
