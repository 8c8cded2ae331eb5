import { createHash } from 'node:crypto'
import { WheelError } from './errors.js'
import { nodeHashName } from './record.js'

const RECORD_HINT = 'the wheel was modified after it was built; rebuild it or download it again'

/**
 * Checks a member's bytes against the size the archive declares and its
 * RECORD row (`algorithm=digest`, size). Throws the errors the reader and
 * the extraction workers report.
 */
export function verifyMemberBytes(
  data: Uint8Array,
  check: { readonly wheel: string; readonly name: string; readonly declaredSize: number; readonly hash: string; readonly recordSize: string },
): void {
  if (data.length !== check.declaredSize) {
    throw new WheelError('ERR_WHEEL_CORRUPT', `${check.wheel} is not a valid wheel: ${check.name} inflates to ${data.length} bytes, the archive says ${check.declaredSize}`, {
      hint: 'the file is damaged or truncated; download it again (a wheel is a zip archive: `unzip -t file.whl` checks it)',
    })
  }
  if (check.hash === '') return
  const eq = check.hash.indexOf('=')
  const algorithm = check.hash.slice(0, eq)
  const digest = createHash(nodeHashName(algorithm)).update(data).digest('base64url')
  if (digest !== check.hash.slice(eq + 1).replace(/=+$/, '')) {
    throw new WheelError('ERR_WHEEL_RECORD_MISMATCH', `${check.wheel}: the hash of ${check.name} does not match RECORD (${algorithm}=${digest}, RECORD says ${check.hash})`, { hint: RECORD_HINT })
  }
  if (check.recordSize !== '' && Number(check.recordSize) !== data.length) {
    throw new WheelError('ERR_WHEEL_RECORD_MISMATCH', `${check.wheel}: ${check.name} is ${data.length} bytes, RECORD says ${check.recordSize}`, { hint: RECORD_HINT })
  }
}
