import { MemoryCallStore, type CallRecord, type Logger, type Step } from '@graph-comms/core';

/** A store that can be made to fail, as Redis does when it is down. */
export class SwitchableStore extends MemoryCallStore {
  failing = false;
  override async updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    if (this.failing) throw new Error('store down');
    return super.updateCall(callId, step);
  }
}

/** One line a bot logged. */
export interface LogLine {
  level: keyof Logger;
  fields: Record<string, unknown>;
  message: string | undefined;
}

/** A logger that keeps every line, for the suite to check what was logged (and that no token was). */
export const capture = () => {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (fields: Record<string, unknown>, message?: string) => void lines.push({ level, fields, message });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } satisfies Logger };
};
