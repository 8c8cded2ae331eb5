export interface PipetteErrorOptions {
  /** What the user can do about it, e.g. an example of valid input. */
  readonly hint?: string | undefined
  /** The lower-level error that led to this one. */
  readonly cause?: unknown
}

/**
 * The base of every error pipette throws on purpose. `code` is stable (tests and
 * callers switch on it, never on the message); `hint` tells the user what to do.
 * The CLI prints `message` and `hint` and exits non-zero, without a stack trace.
 */
export class PipetteError extends Error {
  readonly code: string
  readonly hint: string | undefined

  constructor(code: string, message: string, options: PipetteErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.hint = options.hint
  }

  override get name(): string {
    return this.constructor.name
  }
}

/** True for errors pipette threw on purpose (from any copy of this package). */
export function isPipetteError(value: unknown): value is PipetteError {
  if (value instanceof PipetteError) return true
  if (!(value instanceof Error)) return false
  const code = (value as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('ERR_') && 'hint' in value
}
