import { PipetteError } from '@pipette/errors'
import type { PipetteErrorOptions } from '@pipette/errors'

/**
 * Errors of @pipette/installer. Stable codes:
 * - `ERR_INVALID_OPTION`: an option value pip would refuse;
 * - `ERR_NO_REQUIREMENTS`: nothing to install was given;
 * - `ERR_UNSUPPORTED_REQUIREMENT`: an editable or project-directory requirement (not supported);
 * - `ERR_DOUBLE_REQUIREMENT`: one project asked for twice with different URLs;
 * - `ERR_HASH_REQUIRED`: hash-checking mode without a hash or a `==` pin for some requirement;
 * - `ERR_HASH_MISMATCH`: a downloaded file does not have a hash the requirements allow;
 * - `ERR_NO_MATCHING_DISTRIBUTION`: a project has no usable file at all;
 * - `ERR_SDIST_UNSUPPORTED`: a source distribution would have to be built with build requirements;
 * - `ERR_SDIST_BUILD_FAILED`: building a source distribution failed;
 * - `ERR_METADATA_INCONSISTENT`: a distribution's metadata contradicts its file name.
 */
export class InstallerError extends PipetteError {
  constructor(code: `ERR_${string}`, message: string, options: PipetteErrorOptions = {}) {
    super(code, message, options)
  }
}
