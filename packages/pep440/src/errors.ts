import { PipetteError } from '@pipette/errors'

/** A string that PyPA packaging would reject as a version (`packaging.version.InvalidVersion`). */
export class InvalidVersionError extends PipetteError {
  /** The rejected text, exactly as given. */
  readonly input: string

  constructor(input: string, options: { readonly cause?: unknown } = {}) {
    super('ERR_INVALID_VERSION', `Invalid version: '${input}'`, {
      hint: 'a PEP 440 version looks like 1.0, 2.1.3rc1, 1!2.0.post3.dev4 or 1.0+local.7',
      cause: options.cause,
    })
    this.input = input
  }
}

/** A string that PyPA packaging would reject as a specifier (`packaging.specifiers.InvalidSpecifier`). */
export class InvalidSpecifierError extends PipetteError {
  /** The rejected text, exactly as given (the whole set for a specifier set). */
  readonly input: string

  constructor(input: string, options: { readonly part?: string | undefined; readonly cause?: unknown } = {}) {
    const where = options.part !== undefined && options.part !== input ? ` (in '${input}')` : ''
    super('ERR_INVALID_SPECIFIER', `Invalid specifier: '${options.part ?? input}'${where}`, {
      hint: 'a specifier is an operator and a version, e.g. >=1.0, ~=2.2, ==1.4.*, !=1.5, <2; separate several with commas: >=1.0,<2',
      cause: options.cause,
    })
    this.input = input
  }
}
