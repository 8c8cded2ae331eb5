import { PipetteError } from '@pipette/errors'
import type { PipetteErrorOptions } from '@pipette/errors'

/**
 * Errors of @pipette/venv. Stable codes:
 * - `ERR_PYTHON_NOT_FOUND`: no interpreter where `--python` (or the defaults) point;
 * - `ERR_PYTHON_QUERY_FAILED`: the interpreter ran but its answer was unusable;
 * - `ERR_PYTHON_UNSUPPORTED`: Python 2 or another interpreter pipette cannot use;
 * - `ERR_VENV_EXISTS`: `createVenv` would write into a directory that is not an environment;
 * - `ERR_VENV_INVALID`: a directory that should be an environment is not one;
 * - `ERR_METADATA_INVALID`: an installed distribution's metadata cannot be read;
 * - `ERR_NOT_INSTALLED`: a distribution asked for is not installed;
 * - `ERR_UNINSTALL_OUTSIDE`: a RECORD lists a path outside the environment;
 * - `ERR_UNINSTALL_NO_RECORD`: a distribution without RECORD cannot be uninstalled;
 * - `ERR_UNINSTALL_FAILED`: removing files failed (everything was put back).
 */
export class VenvError extends PipetteError {
  constructor(code: `ERR_${string}`, message: string, options: PipetteErrorOptions = {}) {
    super(code, message, options)
  }
}
