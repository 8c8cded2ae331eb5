import { PipetteError } from '@pipette/errors'
import type { PipetteErrorOptions } from '@pipette/errors'

/**
 * Everything this package refuses: a bad file name, a damaged or unsafe
 * archive, a wheel that does not fit the target. `code` tells which:
 *
 * - `ERR_INVALID_WHEEL_FILENAME`: the file name is not `name-version(-build)?-py-abi-plat.whl`.
 * - `ERR_WHEEL_CORRUPT`: not a zip, truncated, a member that does not inflate.
 * - `ERR_WHEEL_INVALID`: no or several `.dist-info`, WHEEL missing or unsupported, bad RECORD.
 * - `ERR_WHEEL_UNSAFE_PATH`: a member that would land outside its target (absolute, `..`).
 * - `ERR_WHEEL_SYMLINK`: a member that is a symbolic link, or a link in the target leading out of it.
 * - `ERR_WHEEL_RECORD_MISMATCH`: a member whose hash or size differs from RECORD, or that RECORD lacks.
 * - `ERR_WHEEL_UNSUPPORTED`: tags that do not match the interpreter.
 * - `ERR_WHEEL_INSTALL`: the file system refused a write.
 */
export class WheelError extends PipetteError {
  constructor(code: string, message: string, options: PipetteErrorOptions = {}) {
    super(code, message, options)
  }
}
