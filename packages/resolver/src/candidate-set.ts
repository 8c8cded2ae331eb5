import type { VersionSet } from './pubgrub/version-set.js'

/**
 * A set of candidates of one package, as a bit set over that package's
 * candidate list (index 0 is the most preferred candidate). The resolver
 * fetches a package's candidates before it looks at any requirement on it, so
 * every set it needs is a subset of a known, finite list, and this is both
 * exact (a requirement is compiled once, by asking `@pipette/pep440` which
 * candidates it admits) and fast (set operations are a few word operations).
 * Immutable.
 */
export class CandidateSet implements VersionSet<CandidateSet> {
  /** Number of candidates of the package (the size of the universe). */
  readonly size: number
  private readonly words: Uint32Array

  private constructor(size: number, words: Uint32Array) {
    this.size = size
    this.words = words
  }

  static empty(size: number): CandidateSet {
    return new CandidateSet(size, new Uint32Array((size + 31) >>> 5))
  }

  static any(size: number): CandidateSet {
    return CandidateSet.empty(size).complement()
  }

  static of(size: number, indexes: Iterable<number>): CandidateSet {
    const words = new Uint32Array((size + 31) >>> 5)
    for (const i of indexes) {
      if (i < 0 || i >= size) throw new RangeError(`candidate index ${i} outside 0..${size - 1}`)
      words[i >>> 5]! |= 1 << (i & 31)
    }
    return new CandidateSet(size, words)
  }

  /** The candidates for which `predicate(index)` is true. */
  static where(size: number, predicate: (index: number) => boolean): CandidateSet {
    const words = new Uint32Array((size + 31) >>> 5)
    for (let i = 0; i < size; i++) if (predicate(i)) words[i >>> 5]! |= 1 << (i & 31)
    return new CandidateSet(size, words)
  }

  has(index: number): boolean {
    return index >= 0 && index < this.size && (this.words[index >>> 5]! & (1 << (index & 31))) !== 0
  }

  /** The smallest index in the set that `accept` accepts, or -1. */
  first(accept?: (index: number) => boolean): number {
    const { words } = this
    for (let w = 0; w < words.length; w++) {
      let word = words[w]!
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word)
        const index = (w << 5) + bit
        if (accept === undefined || accept(index)) return index
        word &= word - 1
      }
    }
    return -1
  }

  *indexes(): IterableIterator<number> {
    const { words } = this
    for (let w = 0; w < words.length; w++) {
      let word = words[w]!
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word)
        yield (w << 5) + bit
        word &= word - 1
      }
    }
  }

  count(): number {
    let n = 0
    for (const word of this.words) {
      let v = word - ((word >>> 1) & 0x55555555)
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
    }
    return n
  }

  intersect(other: CandidateSet): CandidateSet {
    this.check(other)
    const a = this.words
    const b = other.words
    const words = new Uint32Array(a.length)
    for (let i = 0; i < a.length; i++) words[i] = a[i]! & b[i]!
    return new CandidateSet(this.size, words)
  }

  union(other: CandidateSet): CandidateSet {
    this.check(other)
    const a = this.words
    const b = other.words
    const words = new Uint32Array(a.length)
    for (let i = 0; i < a.length; i++) words[i] = a[i]! | b[i]!
    return new CandidateSet(this.size, words)
  }

  difference(other: CandidateSet): CandidateSet {
    this.check(other)
    const a = this.words
    const b = other.words
    const words = new Uint32Array(a.length)
    for (let i = 0; i < a.length; i++) words[i] = a[i]! & ~b[i]!
    return new CandidateSet(this.size, words)
  }

  complement(): CandidateSet {
    const words = new Uint32Array(this.words.length)
    for (let i = 0; i < words.length; i++) words[i] = ~this.words[i]!
    const tail = this.size & 31
    if (tail !== 0) words[words.length - 1]! &= (1 << tail) - 1
    return new CandidateSet(this.size, words)
  }

  isEmpty(): boolean {
    for (const word of this.words) if (word !== 0) return false
    return true
  }

  isAny(): boolean {
    return this.count() === this.size
  }

  isSubsetOf(other: CandidateSet): boolean {
    this.check(other)
    const a = this.words
    const b = other.words
    for (let i = 0; i < a.length; i++) if ((a[i]! & ~b[i]!) !== 0) return false
    return true
  }

  isDisjoint(other: CandidateSet): boolean {
    this.check(other)
    const a = this.words
    const b = other.words
    for (let i = 0; i < a.length; i++) if ((a[i]! & b[i]!) !== 0) return false
    return true
  }

  equals(other: CandidateSet): boolean {
    if (this.size !== other.size) return false
    const a = this.words
    const b = other.words
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
  }

  toString(): string {
    return `{${[...this.indexes()].join(', ')}}`
  }

  private check(other: CandidateSet): void {
    if (other.size !== this.size) throw new RangeError(`candidate sets of different packages (${this.size} vs ${other.size} candidates)`)
  }
}
