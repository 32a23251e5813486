/** The answer to give Graph. */
export interface CallbackResponse {
  status: 202 | 400 | 401 | 408 | 413 | 415 | 500 | 503;
  headers?: Record<string, string>;
  body?: { error: { code: string; message: string } };
}

/** A refusal with a JSON error body, as every runtime adapter sends it. */
export const callbackRefusal = (status: CallbackResponse['status'], code: string, message: string, headers?: Record<string, string>): CallbackResponse =>
  headers ? { status, headers, body: { error: { code, message } } } : { status, body: { error: { code, message } } };
