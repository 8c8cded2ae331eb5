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
 * - N(n): a number that sorts numerically, in code units below 0x100 so that
 *   keys stay one-byte strings (compared with memcmp): n < 0xC0 is the one
 *   unit n + 2 (so never \x00 or \x01); a bigger n is \xC2 + its byte count
 *   (\xFF + N(byte count) beyond 60 bytes) followed by its bytes, big-endian.
 *   Any size is exact (packaging uses Python ints).
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

/**
 * Builds one key: code units are pushed into a reused array and turned into
 * a flat string once (no rope of small concatenations).
 */
export class KeyBuilder {
  /** Code units of the key being built; only the first `length` count. */
  private readonly codes: number[] = new Array<number>(64).fill(0)
  length = 0

  reset(): void {
    this.length = 0
  }

  code(c: number): void {
    this.codes[this.length++] = c
  }

  text(text: string): void {
    for (let i = 0; i < text.length; i++) this.codes[this.length++] = text.charCodeAt(i)
  }

  number(n: Num): void {
    if (typeof n === 'number') {
      if (n < 0xc0) {
        this.codes[this.length++] = n + 2
        return
      }
      let bytes = 0
      for (let x = n; x >= 1; x = Math.floor(x / 256)) bytes++
      this.codes[this.length++] = 0xc2 + bytes
      for (let i = bytes - 1; i >= 0; i--) this.codes[this.length++] = Math.floor(n / 256 ** i) % 256
      return
    }
    let hex = n.toString(16)
    if (hex.length % 2 === 1) hex = `0${hex}`
    const bytes = hex.length / 2
    if (bytes <= 60) this.code(0xc2 + bytes)
    else {
      this.code(0xff)
      this.number(bytes)
    }
    for (let i = 0; i < hex.length; i += 2) this.code(Number.parseInt(hex.slice(i, i + 2), 16))
  }

  /** The key as a flat string (short keys without any intermediate allocation). */
  finish(): string {
    const c = this.codes
    const f = String.fromCharCode
    switch (this.length) {
      case 4:
        return f(c[0]!, c[1]!, c[2]!, c[3]!)
      case 5:
        return f(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!)
      case 6:
        return f(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!)
      case 7:
        return f(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!)
      case 8:
        return f(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!)
      case 9:
        return f(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!)
      case 10:
        return f(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!)
      case 11:
        return f(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!)
      case 12:
        return f(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!)
      default: {
        // Long keys (many release numbers, local segments): in chunks.
        let text = ''
        for (let i = 0; i < this.length; i += 4096) text += f.apply(null, c.slice(i, Math.min(this.length, i + 4096)))
        return text
      }
    }
  }
}

/** Section markers (code units, see the layout above). */
export const RELEASE_END = 0x01
export const PRE_DEV_ONLY = 0x02
export const PRE_SOME = 0x03
export const PRE_NONE = 0x04
export const POST_NONE = 0x02
export const POST_SOME = 0x03
export const DEV_SOME = 0x02
export const DEV_NONE = 0x03
export const LOCAL_WORD = 0x02
export const LOCAL_NUMBER = 0x03
export const WORD_END = 0x01
/** Sorts after every local version of a key: `key + AFTER_LOCALS`. */
export const AFTER_LOCALS = '\x04'
/** Sorts right after a key and before its local versions: `key + AFTER_KEY`. */
export const AFTER_KEY = '\x00'
/** Sorts after every version of a family: `familyPrefix + AFTER_FAMILY`. */
export const AFTER_FAMILY = '\x05'
