import { describe, expect, it } from 'vitest'
import { CandidateSet } from '../src/candidate-set.js'

describe('CandidateSet', () => {
  const size = 70 // more than two words, with a partial last word
  const evens = CandidateSet.where(size, (i) => i % 2 === 0)
  const low = CandidateSet.where(size, (i) => i < 40)

  it('has set algebra over a fixed universe', () => {
    expect(evens.count()).toBe(35)
    expect(evens.complement().count()).toBe(35)
    expect(evens.complement().has(69)).toBe(true)
    expect(evens.intersect(low).count()).toBe(20)
    expect(evens.union(low).count()).toBe(40 + 15)
    expect(low.difference(evens).count()).toBe(20)
    expect(CandidateSet.any(size).isAny()).toBe(true)
    expect(CandidateSet.empty(size).isEmpty()).toBe(true)
    expect(CandidateSet.any(size).complement().isEmpty()).toBe(true)
  })

  it('compares sets', () => {
    expect(evens.intersect(low).isSubsetOf(low)).toBe(true)
    expect(low.isSubsetOf(evens)).toBe(false)
    expect(evens.isDisjoint(evens.complement())).toBe(true)
    expect(evens.isDisjoint(low)).toBe(false)
    expect(CandidateSet.of(size, [1, 3]).equals(CandidateSet.where(size, (i) => i === 1 || i === 3))).toBe(true)
  })

  it('iterates members in index order and finds the first accepted', () => {
    const set = CandidateSet.of(size, [68, 3, 33, 0])
    expect([...set.indexes()]).toEqual([0, 3, 33, 68])
    expect(set.first()).toBe(0)
    expect(set.first((i) => i > 10)).toBe(33)
    expect(set.first((i) => i > 68)).toBe(-1)
    expect(set.toString()).toBe('{0, 3, 33, 68}')
  })

  it('refuses to mix packages', () => {
    expect(() => evens.intersect(CandidateSet.any(3))).toThrow(RangeError)
    expect(() => CandidateSet.of(3, [3])).toThrow(RangeError)
  })
})
