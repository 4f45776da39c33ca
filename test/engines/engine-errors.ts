/** @module Catches the EngineInputError a generator throws, so tests can assert on it exactly. */
import { EngineInputError } from "../../src/engines/engine-input-error";

/** The EngineInputError `run` throws; fails the test when it throws nothing or something else. */
export function errorOf(run: () => unknown): EngineInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineInputError) return error;
    throw new Error(`expected an EngineInputError, got ${String(error)}`);
  }
  throw new Error("expected an EngineInputError, but nothing was thrown");
}

/** The message of the EngineInputError `run` throws. */
export function messageOf(run: () => unknown): string {
  return errorOf(run).message;
}
