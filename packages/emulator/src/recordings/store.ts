import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { silentWav } from './wav.js';

// One second of silence, shared by every recording: it is never written to.
const SILENCE = silentWav(1);

/** A recording made by a recordResponse, as a test sees it. */
export interface RecordingSnapshot {
  /** The recording's id. */
  readonly id: string;
  /** The call it was made in. */
  readonly callId: string;
  /** The recordResponse operation that made it. */
  readonly operationId: string;
  /** Where the bot downloads it (the completion's `recordingLocation`). */
  readonly location: string;
  /** The completion's `recordingAccessToken`. */
  readonly accessToken: string;
  /** When the token stops opening the recording (ms since the epoch). */
  readonly expiresAt: number;
  /** How often it was downloaded. */
  readonly downloads: number;
}

interface Recording extends RecordingSnapshot {
  readonly audio: Buffer;
  downloads: number;
}

/** Why a download was refused, or the audio. */
export type DownloadResult = { audio: Buffer } | { refused: 'unknown' | 'noToken' | 'wrongToken' | 'expired' };

/** The recordings of recordResponse operations and the tokens that open them. */
export class RecordingStore {
  private readonly recordings = new Map<string, Recording>();

  constructor(private readonly lifetimeMs: number) {}

  /** Makes a recording (one second of silence) with a new random access token. */
  create(baseUrl: string, callId: string, operationId: string): RecordingSnapshot {
    const id = randomUUID();
    const recording: Recording = {
      id,
      callId,
      operationId,
      location: new URL(`recordings/${id}`, baseUrl).toString(),
      accessToken: randomBytes(32).toString('base64url'),
      expiresAt: Date.now() + this.lifetimeMs,
      downloads: 0,
      audio: SILENCE,
    };
    this.recordings.set(id, recording);
    return recording;
  }

  /** Hands out the audio for `Authorization: Bearer <accessToken>` while the token is valid. */
  download(id: string, authorization: string | undefined): DownloadResult {
    const recording = this.recordings.get(id);
    if (recording === undefined) return { refused: 'unknown' };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (match?.[1] === undefined) return { refused: 'noToken' };
    if (!sameToken(match[1], recording.accessToken)) return { refused: 'wrongToken' };
    if (Date.now() >= recording.expiresAt) return { refused: 'expired' };
    recording.downloads += 1;
    return { audio: recording.audio };
  }

  /** Every recording so far, oldest first. */
  list(): RecordingSnapshot[] {
    return [...this.recordings.values()].map(({ audio: _audio, ...rest }) => ({ ...rest }));
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
