import { describe, expect, it } from 'vitest'
import { seededRandom } from '@pipette/test-support'
import type { SpecifierSet, Version } from '../src/index.js'
import { parseSpecifier, parseSpecifierSet, rangeFromSpecifier, rangeFromSpecifierSet, tryParseSpecifierSet, tryParseVersion, VersionRange } from '../src/index.js'

const R = (text: string) => rangeFromSpecifierSet(parseSpecifierSet(text))

describe('VersionRange from specifiers', () => {
  it('keeps the exact boundaries of the operators', () => {
    const lt = R('<2.0')
    expect(lt.contains('1.9.post3+x')).toBe(true)
    expect(lt.contains('2.0rc1')).toBe(false) // <V excludes V's pre-releases
    expect(lt.contains('2.0.dev0')).toBe(false)
    expect(lt.contains('1.99rc1')).toBe(true) // but not those of smaller releases
    const ltPre = R('<2.0rc2')
    expect(ltPre.contains('2.0rc1')).toBe(true) // ...unless V is itself a pre-release
    const ltPost = R('<1.0.post2')
    expect(ltPost.contains('1.0.post1')).toBe(true)
    expect(ltPost.contains('1.0.post1.dev0')).toBe(false) // a pre-release of 1.0's family
    expect(ltPost.contains('1.0+local')).toBe(true)
    const gt = R('>1.0')
    expect(gt.contains('1.0.post1')).toBe(false) // >V excludes V's post-releases
    expect(gt.contains('1.0+local')).toBe(false) // ...and its local versions
    expect(gt.contains('1.0.1')).toBe(true)
    expect(gt.contains('1.1.dev0')).toBe(true)
    const gtPost = R('>1.0.post1')
    expect(gtPost.contains('1.0.post2')).toBe(true)
    expect(gtPost.contains('1.0.post2+x')).toBe(false)
    expect(R('<=1.0').contains('1.0+local')).toBe(true)
    expect(R('==1.0').contains('1.0.0+local')).toBe(true)
    expect(R('==1.0+local').contains('1.0')).toBe(false)
    expect(R('!=1.0').contains('1.0+x')).toBe(false)
    expect(R('==1.0.*').contains('1.0.5a1')).toBe(true)
    expect(R('==1.0.*').contains('1.1.dev0')).toBe(false)
    expect(R('~=1.4.5').contains('1.4.99')).toBe(true)
    expect(R('~=1.4.5').contains('1.5.0a1')).toBe(false)
    expect(R('==1!1.0.*').contains('1!1.0')).toBe(false) // packaging's string prefix match
    expect(R('==0.*').contains('3!5.0')).toBe(true)
  })

  it('treats === as equality of normalized strings, carried beside the intervals', () => {
    const r = R('===1.0')
    expect(r.contains('1.0')).toBe(true)
    expect(r.contains('v1.0')).toBe(true)
    expect(r.contains('1.0.0')).toBe(false) // equal versions, different strings
    expect(r.isEmpty()).toBe(false)
    expect(r.toString()).toBe('===1.0')
    expect(r.complement().contains('1.0.0')).toBe(true)
    expect(r.complement().contains('1.0')).toBe(false)
    expect(r.intersect(R('>=1.0')).contains('1.0')).toBe(true)
    expect(r.intersect(R('>1.0')).isEmpty()).toBe(true)
    expect(R('===foo').isEmpty()).toBe(true)
    expect(R('===1.0').union(R('===1.0.0')).equals(R('==1.0'))).toBe(false)
  })

  it('decides emptiness at the subtle boundaries', () => {
    expect(R('>1.0,<1.0.post0').isEmpty()).toBe(true) // only 1.0's locals and post-dev releases lie between
    expect(R('>=1.0,<1.0.post0').isEmpty()).toBe(false)
    expect(R('>1.0a1,<1.0a2').isEmpty()).toBe(false) // 1.0a2.dev0
    expect(R('>1.0a1,<1.0a2')._witness()?.toString()).toBe('1.0a2.dev0')
    expect(R('>1.0,<1.0.1').isEmpty()).toBe(false) // 1.0.0.1
    expect(R('>=2.0,<2.0').isEmpty()).toBe(true)
    expect(R('<0.dev0').isEmpty()).toBe(true) // nothing is below the first version
    expect(R('<0.dev1').isEmpty()).toBe(false)
    expect(R('==1.0+a,!=1.0+a').isEmpty()).toBe(true)
    expect(VersionRange.exactly('1.0+a').complement().isEmpty()).toBe(false)
    expect(R('>=1.0').isAny()).toBe(false)
    expect(R('').isAny()).toBe(true)
    expect(R('<1.0').union(R('>=1.0.dev0')).isAny()).toBe(true)
    expect(R('<1.0').union(R('>=1.0')).isAny()).toBe(false) // 1.0's pre-releases are in neither
    expect(R('<1.0.post0').union(R('>1.0')).isAny()).toBe(false)
  })

  it('has any, empty and exactly', () => {
    expect(VersionRange.any().contains('1.0a1')).toBe(true)
    expect(VersionRange.any().toString()).toBe('*')
    expect(VersionRange.empty().contains('1.0')).toBe(false)
    expect(VersionRange.empty().toString()).toBe('∅')
    const one = VersionRange.exactly('1.0')
    expect(one.contains('1.0.0')).toBe(true)
    expect(one.contains('1.0+local')).toBe(false)
    expect(one.isEmpty()).toBe(false)
    expect(one.isSubsetOf(R('==1.0'))).toBe(true)
    expect(R('==1.0').isSubsetOf(one)).toBe(false)
    expect(VersionRange.exactly('1.0.poſt1').contains('1.0.poſt1')).toBe(true)
  })

  it('reads as specifiers', () => {
    const a = R('>=1.0,<2')
    const b = R('>=1.5')
    expect(a.intersect(b).toString()).toBe('>=1.5, <2')
    expect(R('>=1.0,<2').union(R('==3.1')).toString()).toBe('>=1.0, <2 | ==3.1')
    expect(R('!=1.0').toString()).toBe('!=1.0')
    expect(R('>=1.0,!=1.5').toString()).toBe('>=1.0, !=1.5')
    expect(R('==1.4.*').toString()).toBe('==1.4.*')
    expect(R('<1.0.post1').union(R('==1.0rc1')).toString()).toBe('<1.0.post1 | ==1.0rc1')
    expect(R('>1.0a1').toString()).toBe('>1.0a1')
  })
})

// ---------------------------------------------------------------------------
// Properties over random specifier sets and versions.

const random = seededRandom(Number(process.env['PIPETTE_PEP440_SEED'] ?? 440))
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
const chance = (p: number) => random() < p
const int = (n: number) => Math.floor(random() * n)

function versionText(): string {
  let text = chance(0.05) ? `${int(2) + 1}!` : ''
  const release = Array.from({ length: 1 + int(3) }, () => String(int(4)))
  text += release.join('.')
  if (chance(0.3)) text += pick(['a', 'b', 'rc']) + int(3)
  if (chance(0.3)) text += `.post${int(3)}`
  if (chance(0.25)) text += `.dev${int(3)}`
  if (chance(0.2)) text += `+${pick(['a', 'b', '0', '1', 'a.1', 'z', '00a'])}`
  return text
}

function exoticText(): string {
  return pick([`1.${int(3)}prevİew${int(2)}`, `1.${int(3)}.poſt${int(2)}`, `1.0a1.poſt${int(2)}+x`, `1.${int(2)}prevıew1`])
}

function specText(): string {
  const op = pick(['==', '!=', '<', '<=', '>', '>=', '~=', '===', '==', '<', '>'])
  let version = versionText().replace(/\+.*/, '')
  if (op === '===') return `===${pick([versionText(), '1.0', 'foo'])}`
  if ((op === '==' || op === '!=') && chance(0.3)) return `${op}${version.replace(/[a-z].*$/, '')}.*`
  if ((op === '==' || op === '!=') && chance(0.2)) return `${op}${versionText()}`
  if (op === '~=' && !/^[0-9!]+\.[0-9]/.test(version.replace(/^\d+!/, ''))) version = version.replace(/^(\d+!)?(\d+)/, '$1$2.0')
  if (chance(0.05)) version = exoticText().replace(/\+.*/, '')
  return op + version
}

function setText(): string {
  return Array.from({ length: 1 + int(3) }, specText).join(',')
}

/** Versions around every version named in the sets, plus random ones. */
function samples(sets: readonly SpecifierSet[]): Version[] {
  const texts = new Set<string>()
  for (let i = 0; i < 300; i++) texts.add(versionText())
  for (let i = 0; i < 30; i++) texts.add(exoticText())
  for (const set of sets) {
    for (const spec of set.specifiers) {
      const v = spec._target
      if (v === null) continue
      const base = v.baseVersion
      for (const suffix of ['', '.dev0', 'a0', 'a1.dev1', 'rc9', '.post0.dev0', '.post0', '.post1', '.post1.dev2', '+x', '.post0+x', 'a1+0', '.0.1', '.1', '.0']) {
        texts.add(base + suffix)
      }
      texts.add(v.toString())
      texts.add(`${v.public}+00a`)
      texts.add(`${v.public}.dev7`)
    }
  }
  return [...texts].map((t) => tryParseVersion(t)).filter((v): v is Version => v !== null)
}

/** Emptiness and subsets only consider versions with standard labels (see range.ts). */
function isStandard(v: Version): boolean {
  return (v.pre === null || ['a', 'b', 'rc'].includes(v.pre[0])) && (v._postLabel === null || v._postLabel === 'post')
}

function truth(set: SpecifierSet, v: Version): boolean | undefined {
  try {
    return set.contains(v, { prereleases: true })
  } catch {
    return undefined // packaging raises here (a label it cannot re-parse)
  }
}

describe('VersionRange properties', () => {
  const sets: SpecifierSet[] = []
  while (sets.length < 400) {
    const set = tryParseSpecifierSet(setText())
    if (set !== null) sets.push(set)
  }
  const ranges = sets.map(rangeFromSpecifierSet)
  const versions = samples(sets)

  it('agrees with SpecifierSet.contains(v, { prereleases: true })', () => {
    let checked = 0
    const wrong: string[] = []
    sets.forEach((set, i) => {
      for (const v of versions) {
        const expected = truth(set, v)
        if (expected === undefined) continue
        checked++
        if (ranges[i]!.contains(v) !== expected) wrong.push(`${set.toString()} ${v.toString()} expected ${expected}`)
      }
    })
    expect(wrong.slice(0, 10)).toEqual([])
    expect(checked).toBeGreaterThan(100_000)
  })

  it('combines pointwise: intersect, union, difference, complement', () => {
    const wrong: string[] = []
    for (let n = 0; n < 300; n++) {
      const i = int(ranges.length)
      const j = int(ranges.length)
      const a = ranges[i]!
      const b = ranges[j]!
      const ops = { intersect: a.intersect(b), union: a.union(b), difference: a.difference(b), complement: a.complement() }
      for (const v of versions) {
        const x = a.contains(v)
        const y = b.contains(v)
        const expected = { intersect: x && y, union: x || y, difference: x && !y, complement: !x }
        for (const [name, range] of Object.entries(ops)) {
          if (range.contains(v) !== expected[name as keyof typeof expected]) {
            wrong.push(`${name}(${sets[i]!.toString()}, ${sets[j]!.toString()}) at ${v.toString()}`)
          }
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([])
  })

  it('finds a member of every non-empty range and none in an empty one', () => {
    const wrong: string[] = []
    let empties = 0
    for (let n = 0; n < 600; n++) {
      const a = ranges[int(ranges.length)]!
      const b = ranges[int(ranges.length)]!
      for (const range of [a.intersect(b), a.difference(b), a.complement(), a.union(b).complement()]) {
        const witness = range._witness()
        if (witness !== null) {
          if (!range.contains(witness)) wrong.push(`witness ${witness.toString()} not in ${range.toString()}`)
          expect(range.isEmpty()).toBe(false)
          continue
        }
        empties++
        expect(range.isEmpty()).toBe(true)
        for (const v of versions) {
          if (range.contains(v) && isStandard(v)) {
            wrong.push(`${range.toString()} is empty but holds ${v.toString()}`)
          }
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([])
    expect(empties).toBeGreaterThan(20)
  })

  it('answers isSubsetOf, isDisjoint and equals consistently with membership', () => {
    const wrong: string[] = []
    for (let n = 0; n < 300; n++) {
      const a = ranges[int(ranges.length)]!
      const b = ranges[int(ranges.length)]!
      const ab = a.intersect(b)
      expect(ab.isSubsetOf(a)).toBe(true)
      expect(a.isSubsetOf(a.union(b))).toBe(true)
      expect(a.difference(b).isDisjoint(b)).toBe(true)
      expect(a.complement().complement().equals(a)).toBe(true)
      expect(a.union(b).complement().equals(a.complement().intersect(b.complement()))).toBe(true)
      if (a.isSubsetOf(b)) {
        for (const v of versions) if (isStandard(v) && a.contains(v) && !b.contains(v)) wrong.push(`subset ${a} of ${b} but ${v}`)
      } else {
        const w = a.difference(b)._witness()
        if (w === null || !a.contains(w) || b.contains(w)) wrong.push(`not subset ${a} of ${b}: witness ${w}`)
      }
    }
    expect(wrong.slice(0, 10)).toEqual([])
  })

  it('prints every range exactly (or in version-order notation)', () => {
    const wrong: string[] = []
    let spelled = 0
    for (let n = 0; n < 300; n++) {
      const a = ranges[int(ranges.length)]!
      const b = ranges[int(ranges.length)]!
      for (const range of [a, a.intersect(b), a.union(b), a.complement()]) {
        const text = range.toString()
        if (/[[(]|===|∅|except|\u0307/.test(text)) continue // version-order notation, strings, unparseable labels
        spelled++
        const negated = text.startsWith('not ')
        const inner = negated ? text.slice(4).replace(/^\((.*)\)$/, '$1') : text
        const read = inner
          .split(' | ')
          .map((piece) => (piece === '*' ? VersionRange.any() : rangeFromSpecifierSet(parseSpecifierSet(piece))))
          .reduce((x, y) => x.union(y))
        const reread = negated ? read.complement() : read
        if (!reread.equals(range)) wrong.push(`${text}`)
      }
    }
    expect(wrong.slice(0, 10)).toEqual([])
    expect(spelled).toBeGreaterThan(300)
  })

  it('builds single specifiers too', () => {
    expect(rangeFromSpecifier(parseSpecifier('>=1.0')).equals(R('>=1.0'))).toBe(true)
  })
})
