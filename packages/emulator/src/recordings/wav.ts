/** Format of the recordings the emulator makes: 16 kHz, mono, 16-bit PCM. */
export const WAV_SAMPLE_RATE = 16_000;
const CHANNELS = 1;
const BITS_PER_SAMPLE = 16;

/**
 * A valid RIFF/WAVE file of `seconds` of silence: a 44-byte header (`RIFF`,
 * `WAVE`, a PCM `fmt ` chunk, a `data` chunk) followed by zero samples.
 */
export function silentWav(seconds: number): Buffer {
  const blockAlign = (CHANNELS * BITS_PER_SAMPLE) / 8;
  const dataBytes = Math.round(seconds * WAV_SAMPLE_RATE) * blockAlign;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // PCM fmt chunk size
  wav.writeUInt16LE(1, 20); // audio format: PCM
  wav.writeUInt16LE(CHANNELS, 22);
  wav.writeUInt32LE(WAV_SAMPLE_RATE, 24);
  wav.writeUInt32LE(WAV_SAMPLE_RATE * blockAlign, 28); // byte rate
  wav.writeUInt16LE(blockAlign, 32);
  wav.writeUInt16LE(BITS_PER_SAMPLE, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  return wav;
}
