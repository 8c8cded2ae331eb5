/**
 * The comparison key of a version: one string whose plain lexicographic order
 * (JavaScript `<` on UTF-16 code units) is exactly the order of PyPA
 * packaging's `_cmpkey` tuple. Comparing two versions is then one string
 * comparison, sorting is a sort of strings, and the key's prefixes name useful
 * sets: every version of one release ("family", e.g. all of 1.0's pre-, post-,
 * dev- and local versions) shares the prefix up to the release terminator, and
 * a version's public part (without `+local`) is a prefix of its key.
 *
 * Layout (each part is self-delimiting, so no key is a proper prefix of
 * another except a public version of its own local versions):
 *
 *   N(epoch) N(r1) ... N(rk) \x01  PRE  POST  DEV  LOCAL
 *
 * - release: trailing zeros stripped (packaging compares 1.0 == 1), then the
 *   terminator \x01, lower than every number, so a shorter release sorts first.
 * - N(n): a number that sorts numerically: n < 0xEFFE is one code unit n + 2
 *   (so never \x00 or \x01); bigger numbers are a length class
 *   (\uF000 + digit count, or \uFFFF + N(digit count) for absurd lengths)
 *   followed by the decimal digits. Any size is exact (packaging uses Python ints).
 * - PRE: \x02 for a dev-only release (packaging's -Infinity, so 1.0.dev0 <
 *   1.0a0), \x03 letter \x01 N(n) for a pre-release, \x04 for none (+Infinity).
 * - POST: \x02 for none, \x03 letter \x01 N(n) for a post-release. The letter
 *   is kept ("post", or "poſt" which Python's case folding also accepts and
 *   which packaging keeps as a distinct, greater, label).
 * - DEV: \x02 N(n) for a dev release, \x03 for none (+Infinity).
 * - LOCAL: nothing for no local segment (so it sorts first), else per part
 *   \x02 text \x01 for a word (words sort before numbers, lexicographically)
 *   or \x03 N(n) for a number.
 */

export type Num = number | bigint

const SMALL_LIMIT = 0xeffe

/** Encodes a non-negative integer so that string order is numeric order. */
export function encodeNumber(n: Num): string {
  if (typeof n === 'number' && n < SMALL_LIMIT) return String.fromCharCode(n + 2)
  return encodeDigits(typeof n === 'number' ? String(n) : n.toString())
}

function encodeDigits(digits: string): string {
  const length = digits.length
  if (length < 0x0fff) return String.fromCharCode(0xf000 + length) + digits
  return '\uffff' + encodeNumber(length) + digits
}

/** Section markers (see the layout above). */
export const RELEASE_END = '\x01'
export const PRE_DEV_ONLY = '\x02'
export const PRE_SOME = '\x03'
export const PRE_NONE = '\x04'
export const POST_NONE = '\x02'
export const POST_SOME = '\x03'
export const DEV_SOME = '\x02'
export const DEV_NONE = '\x03'
export const LOCAL_WORD = '\x02'
export const LOCAL_NUMBER = '\x03'
export const WORD_END = '\x01'
/** Sorts after every local version of a key: `key + AFTER_LOCALS`. */
export const AFTER_LOCALS = '\x04'
/** Sorts right after a key and before its local versions: `key + AFTER_KEY`. */
export const AFTER_KEY = '\x00'
/** Sorts after every version of a family: `familyPrefix + AFTER_FAMILY`. */
export const AFTER_FAMILY = '\x05'
