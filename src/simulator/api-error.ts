/** @module The error the simulator answers with, in the OpenAI/vLLM error envelope. */

/**
 * An HTTP error with OpenAI's body shape `{ error: { message, type, param, code } }`, which the
 * `openai` SDK turns into typed errors (`BadRequestError`, `NotFoundError`, …). `type` uses vLLM's
 * spelling (`BadRequestError`), `code` the HTTP status, as vLLM's OpenAI server does.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | number | null = status,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The JSON body to send. */
  toBody(): { error: { message: string; type: string; param: string | null; code: string | number | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400 with `param` naming the offending request field. */
export function badRequest(message: string, param: string | null = null): ApiError {
  return new ApiError(400, message, "BadRequestError", param);
}
