import type { EmulatorContext } from '../context.js';
import { GraphHttpError, itemNotFound } from '../http/errors.js';
import type { Route } from '../http/server.js';

/** Where recordings are served: `GET {base}recordings/{id}` (the completion's `recordingLocation`). */
const RECORDING = /^\/recordings\/(?<recordingId>[^/]+)$/;

const REFUSALS = {
  noToken: 'The request has no Authorization: Bearer <recordingAccessToken> header.',
  wrongToken: 'The access token does not open this recording.',
  expired: 'The recording access token has expired.',
} as const;

/**
 * The recording download: the WAV bytes as `application/octet-stream` (as the
 * recordResponse page shows) for `Authorization: Bearer <recordingAccessToken>`;
 * 401 `InvalidAuthenticationToken` without it, with another token or once the
 * token expired; 404 for an unknown recording.
 */
export function recordingRoutes(ctx: EmulatorContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: RECORDING,
      handler: (req) => {
        const id = req.params.recordingId ?? '';
        const result = ctx.recordings.download(id, req.headers.authorization);
        if ('audio' in result) return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: result.audio };
        if (result.refused === 'unknown') throw itemNotFound(`Recording ${id} was not found.`);
        throw new GraphHttpError(401, 'InvalidAuthenticationToken', REFUSALS[result.refused], { 'WWW-Authenticate': 'Bearer' });
      },
    },
  ];
}
