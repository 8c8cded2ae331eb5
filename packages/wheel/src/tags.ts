/**
 * Compatibility tags (PEP 425, PEP 600 manylinux, PEP 656 musllinux, macOS).
 *
 * An installer needs, for one interpreter, the ordered list of tags it
 * accepts: the first tag in that list that a wheel carries decides how good a
 * match the wheel is. PyPA `packaging.tags.sys_tags()` is the reference; this
 * module computes the same list, in the same order, as a pure function over a
 * small structural `TagEnvironment` (the handful of values `sys_tags()` reads
 * from `sys`, `sysconfig`, `platform` and the C library). The interpreter
 * query in `@pipette/venv` provides those values once per interpreter, so the
 * list is computed in this process without starting Python.
 *
 * The order, from most to least preferred, is packaging's:
 *   1. CPython: `cpXY-<abi>-<platform>` for its own ABI, then `cpXY-abi3`,
 *      `cpXY-none`, then `cpXW-abi3` for every older minor down to 3.2; any
 *      other implementation: `<impl><ver>-<abi from EXT_SUFFIX>` and `-none`.
 *   2. `pyXY-none-<platform>`, `pyX-none-<platform>`, older `pyXW-none-...`.
 *   3. `cpXY-none-any` (or `pp3-none-any`), then `py*-none-any` likewise.
 * Platforms, inner loop of each of these: on Linux every `manylinux_2_M`
 * from the detected glibc downwards (with the legacy aliases manylinux2014,
 * manylinux2010, manylinux1 right after the version they stand for), then
 * `musllinux_1_M` downwards when Python is linked against musl, then
 * `linux_<arch>`; on macOS every compatible `macosx_X_Y_<format>`; elsewhere
 * the normalized `sysconfig.get_platform()`.
 */

/** One tag triple, lower-cased as packaging stores it. */
export interface Tag {
  readonly interpreter: string
  readonly abi: string
  readonly platform: string
}

/**
 * What `sys_tags()` reads about an interpreter. Fields named after the Python
 * value they hold; `null` means the value is unset (sysconfig returns None).
 */
export interface TagEnvironment {
  /** `sys.implementation.name`: `cpython`, `pypy`, `graalpy`, ... */
  readonly implementation: string
  /** `sys.version_info[:2]`. */
  readonly pythonVersion: readonly [number, number]
  /** `sysconfig.get_config_var('py_version_nodot')`. */
  readonly pyVersionNodot?: string | null | undefined
  /** `sysconfig.get_config_var('EXT_SUFFIX')`, e.g. `.cpython-311-x86_64-linux-gnu.so`. */
  readonly extSuffix?: string | null | undefined
  /** `importlib.machinery.EXTENSION_SUFFIXES`. */
  readonly extensionSuffixes?: readonly string[] | undefined
  /** `sysconfig.get_config_var('Py_DEBUG')` as a boolean, `null` when unset. */
  readonly pyDebug?: boolean | null | undefined
  /** `hasattr(sys, 'gettotalrefcount')` (a debug build). */
  readonly hasTotalRefcount?: boolean | undefined
  /** `sysconfig.get_config_var('WITH_PYMALLOC')` (only read before 3.8). */
  readonly withPymalloc?: boolean | null | undefined
  /** `sysconfig.get_config_var('Py_UNICODE_SIZE')` (only read before 3.3). */
  readonly unicodeSize?: number | null | undefined
  /** `sysconfig.get_config_var('Py_GIL_DISABLED')`: a free-threaded build (3.13t). */
  readonly gilDisabled?: boolean | undefined
  /** `platform.system()`: `Linux`, `Darwin`, `Windows`, ... */
  readonly system: string
  /** `sysconfig.get_platform()`, e.g. `linux-x86_64`, `macosx-11.0-arm64`, `win-amd64`. */
  readonly platform: string
  /** `sys.maxsize <= 2**32`. */
  readonly is32bit?: boolean | undefined
  /** glibc version (`os.confstr('CS_GNU_LIBC_VERSION')`), `null` when not glibc. */
  readonly glibcVersion?: readonly [number, number] | null | undefined
  /** musl version of the executable's loader, `null` when not musl. */
  readonly muslVersion?: readonly [number, number] | null | undefined
  /**
   * For 32-bit Linux arches packaging checks the executable's ELF header:
   * `armv7l` wheels need a hard-float EABI5 binary, `i686` wheels a 32-bit
   * x86 one. True when that check passes (ignored for other arches).
   */
  readonly elfAbiCompatible?: boolean | undefined
  /**
   * The answers of an importable `_manylinux` module, when there is one: per
   * architecture, whether it allows `manylinux_2_<minor>` (keys `2_<minor>`).
   * A missing answer allows the tag.
   */
  readonly manylinuxCompatible?: Readonly<Record<string, Readonly<Record<string, boolean>>>> | null | undefined
  /** `platform.mac_ver()`: the macOS version (after the 10.16 compatibility fix). */
  readonly macVersion?: readonly [number, number] | null | undefined
  /** `platform.mac_ver()[2]`: the CPU architecture, e.g. `arm64`, `x86_64`. */
  readonly macArch?: string | null | undefined
}

const INTERPRETER_SHORT_NAMES: Readonly<Record<string, string>> = {
  python: 'py',
  cpython: 'cp',
  pypy: 'pp',
  ironpython: 'ip',
  jython: 'jy',
}

export function tagToString(tag: Tag): string {
  return `${tag.interpreter}-${tag.abi}-${tag.platform}`
}

function makeTag(interpreter: string, abi: string, platform: string): Tag {
  return Object.freeze({ interpreter: interpreter.toLowerCase(), abi: abi.toLowerCase(), platform: platform.toLowerCase() })
}

/**
 * Expands a tag string, possibly a compressed tag set (`py2.py3-none-any`),
 * into its triples, lower-cased, without duplicates.
 */
export function parseTag(text: string): readonly Tag[] {
  // The result is frozen, so one expansion per text serves every caller (an index page repeats a few tag sets on every file).
  let known = parsedTags.get(text)
  if (known === undefined) {
    known = expandTag(text)
    if (parsedTags.size >= 1024) parsedTags.clear()
    parsedTags.set(text, known)
  }
  return known
}

const parsedTags = new Map<string, readonly Tag[]>()

function expandTag(text: string): readonly Tag[] {
  const parts = text.split('-')
  if (parts.length !== 3) throw new RangeError(`not a tag triple: ${JSON.stringify(text)}`)
  const [interpreters, abis, platforms] = parts as [string, string, string]
  const seen = new Set<string>()
  const tags: Tag[] = []
  for (const interpreter of interpreters.split('.')) {
    for (const abi of abis.split('.')) {
      for (const platform of platforms.split('.')) {
        const tag = makeTag(interpreter, abi, platform)
        const key = tagToString(tag)
        if (!seen.has(key)) {
          seen.add(key)
          tags.push(tag)
        }
      }
    }
  }
  return Object.freeze(tags)
}

const normalize = (text: string): string => text.replace(/[.-]/g, '_')
const nodot = (version: readonly number[]): string => version.join('')

/** `sys.implementation.name` shortened as in tags (`cpython` -> `cp`). */
export function interpreterName(env: TagEnvironment): string {
  return INTERPRETER_SHORT_NAMES[env.implementation] ?? env.implementation
}

/** `py_version_nodot`, else major and minor run together (`311`). */
export function interpreterVersion(env: TagEnvironment): string {
  return env.pyVersionNodot ? String(env.pyVersionNodot) : nodot(env.pythonVersion)
}

function cpythonAbis(env: TagEnvironment): string[] {
  const version = nodot(env.pythonVersion)
  const [major, minor] = env.pythonVersion
  const before = (a: number, b: number) => major < a || (major === a && minor < b)
  const threading = env.gilDisabled ? 't' : ''
  let debug = ''
  let pymalloc = ''
  let ucs4 = ''
  const hasExt = (env.extensionSuffixes ?? []).includes('_d.pyd')
  const withDebug = env.pyDebug ?? null
  if (withDebug === true || (withDebug === null && (env.hasTotalRefcount === true || hasExt))) debug = 'd'
  const abis: string[] = []
  if (before(3, 8)) {
    const withPymalloc = env.withPymalloc ?? null
    if (withPymalloc === true || withPymalloc === null) pymalloc = 'm'
    if (before(3, 3)) {
      const size = env.unicodeSize ?? null
      if (size === 4 || size === null) ucs4 = 'u'
    }
  } else if (debug) {
    abis.push(`cp${version}${threading}`)
  }
  abis.unshift(`cp${version}${threading}${debug}${pymalloc}${ucs4}`)
  return abis
}

function abi3Applies(env: TagEnvironment): boolean {
  const [major, minor] = env.pythonVersion
  return (major > 3 || (major === 3 && minor >= 2)) && !env.gilDisabled
}

/** The ABI tag of a non-CPython interpreter, from `EXT_SUFFIX`. */
function genericAbis(env: TagEnvironment): string[] {
  const ext = env.extSuffix
  if (typeof ext !== 'string' || !ext.startsWith('.')) {
    throw new RangeError(`invalid EXT_SUFFIX ${JSON.stringify(ext)}: the interpreter query must report sysconfig's EXT_SUFFIX`)
  }
  const parts = ext.split('.')
  if (parts.length < 3) return cpythonAbis(env)
  const soabi = parts[1]!
  let abi: string
  if (soabi.startsWith('cpython')) abi = `cp${soabi.split('-')[1] ?? ''}`
  else if (soabi.startsWith('cp')) abi = soabi.split('-')[0]!
  else if (soabi.startsWith('pypy')) abi = soabi.split('-').slice(0, 2).join('-')
  else if (soabi.startsWith('graalpy')) abi = soabi.split('-').slice(0, 3).join('-')
  else if (soabi) abi = soabi
  else return []
  return [normalize(abi)]
}

/** `cpython_tags()` for this environment and platforms. */
export function cpythonTags(env: TagEnvironment, platforms: readonly string[]): Tag[] {
  const [major, minor] = env.pythonVersion
  const interpreter = `cp${nodot(env.pythonVersion)}`
  const abis = cpythonAbis(env).filter((abi) => abi !== 'abi3' && abi !== 'none')
  const tags: Tag[] = []
  for (const abi of abis) for (const platform of platforms) tags.push(makeTag(interpreter, abi, platform))
  if (abi3Applies(env)) for (const platform of platforms) tags.push(makeTag(interpreter, 'abi3', platform))
  for (const platform of platforms) tags.push(makeTag(interpreter, 'none', platform))
  if (abi3Applies(env)) {
    for (let m = minor - 1; m > 1; m--) {
      for (const platform of platforms) tags.push(makeTag(`cp${major}${m}`, 'abi3', platform))
    }
  }
  return tags
}

/** `generic_tags()`: any interpreter that is not CPython. */
export function genericTags(env: TagEnvironment, platforms: readonly string[]): Tag[] {
  const interpreter = `${interpreterName(env)}${interpreterVersion(env)}`
  const abis = genericAbis(env)
  if (!abis.includes('none')) abis.push('none')
  const tags: Tag[] = []
  for (const abi of abis) for (const platform of platforms) tags.push(makeTag(interpreter, abi, platform))
  return tags
}

function pyInterpreterRange(version: readonly [number, number]): string[] {
  const [major, minor] = version
  const result = [`py${major}${minor}`, `py${major}`]
  for (let m = minor - 1; m >= 0; m--) result.push(`py${major}${m}`)
  return result
}

/** `compatible_tags()`: the pure-Python tags. */
export function compatibleTags(env: TagEnvironment, platforms: readonly string[], interpreter: string | undefined): Tag[] {
  const tags: Tag[] = []
  const versions = pyInterpreterRange(env.pythonVersion)
  for (const version of versions) for (const platform of platforms) tags.push(makeTag(version, 'none', platform))
  if (interpreter) tags.push(makeTag(interpreter, 'none', 'any'))
  for (const version of versions) tags.push(makeTag(version, 'none', 'any'))
  return tags
}

function macBinaryFormats(version: readonly [number, number], arch: string): string[] {
  const older = (a: number, b: number) => version[0] < a || (version[0] === a && version[1] < b)
  const newer = (a: number, b: number) => version[0] > a || (version[0] === a && version[1] > b)
  const formats = [arch]
  if (arch === 'x86_64') {
    if (older(10, 4)) return []
    formats.push('intel', 'fat64', 'fat32')
  } else if (arch === 'i386') {
    if (older(10, 4)) return []
    formats.push('intel', 'fat32', 'fat')
  } else if (arch === 'ppc64') {
    if (newer(10, 5) || older(10, 4)) return []
    formats.push('fat64')
  } else if (arch === 'ppc') {
    if (newer(10, 6)) return []
    formats.push('fat32', 'fat')
  }
  if (arch === 'arm64' || arch === 'x86_64') formats.push('universal2')
  if (['x86_64', 'i386', 'ppc64', 'ppc', 'intel'].includes(arch)) formats.push('universal')
  return formats
}

/** `mac_platforms()`: every macOS platform tag this machine runs. */
export function macPlatforms(version: readonly [number, number], arch: string): string[] {
  const result: string[] = []
  const [major, minor] = version
  if (major === 10) {
    for (let m = minor; m >= 0; m--) {
      for (const format of macBinaryFormats([10, m], arch)) result.push(`macosx_10_${m}_${format}`)
    }
  }
  if (major >= 11) {
    for (let v = major; v > 10; v--) {
      for (const format of macBinaryFormats([v, 0], arch)) result.push(`macosx_${v}_0_${format}`)
    }
    for (let m = 16; m > 3; m--) {
      if (arch === 'x86_64') {
        for (const format of macBinaryFormats([10, m], arch)) result.push(`macosx_10_${m}_${format}`)
      } else {
        result.push(`macosx_10_${m}_universal2`)
      }
    }
  }
  return result
}

const LEGACY_MANYLINUX: ReadonlyMap<string, string> = new Map([
  ['2.17', 'manylinux2014'],
  ['2.12', 'manylinux2010'],
  ['2.5', 'manylinux1'],
])
/** packaging assumes at most 50 minor releases of an older glibc major. */
const LAST_GLIBC_MINOR = 50

function manylinuxPlatforms(env: TagEnvironment, linux: string, arch: string): string[] {
  const compatibleAbi = arch === 'armv7l' || arch === 'i686' ? env.elfAbiCompatible === true : ['x86_64', 'aarch64', 'ppc64', 'ppc64le', 's390x'].includes(arch)
  if (!compatibleAbi) return []
  const glibc = env.glibcVersion ?? [-1, -1]
  const tooOld: [number, number] = arch === 'x86_64' || arch === 'i686' ? [2, 4] : [2, 16]
  const maxima: Array<[number, number]> = [[glibc[0], glibc[1]]]
  for (let major = glibc[0] - 1; major > 1; major--) maxima.push([major, LAST_GLIBC_MINOR])
  const result: string[] = []
  for (const [major, maxMinor] of maxima) {
    const minMinor = major === tooOld[0] ? tooOld[1] : -1
    for (let minor = maxMinor; minor > minMinor; minor--) {
      if (env.manylinuxCompatible?.[arch]?.[`${major}_${minor}`] === false) continue
      result.push(linux.replace('linux', `manylinux_${major}_${minor}`))
      const legacy = LEGACY_MANYLINUX.get(`${major}.${minor}`)
      if (legacy !== undefined) result.push(linux.replace('linux', legacy))
    }
  }
  return result
}

/** `platform_tags()`: this machine's platforms, most specific first. */
export function platformTags(env: TagEnvironment): string[] {
  if (env.system === 'Darwin') {
    const version = env.macVersion
    if (!version) throw new RangeError('macOS tag environment without macVersion')
    let arch = env.macArch ?? 'x86_64'
    if (env.is32bit) arch = arch.startsWith('ppc') ? 'ppc' : 'i386'
    return macPlatforms(version, arch)
  }
  if (env.system === 'Linux') {
    let linux = normalize(env.platform)
    if (env.is32bit) {
      if (linux === 'linux_x86_64') linux = 'linux_i686'
      else if (linux === 'linux_aarch64') linux = 'linux_armv7l'
    }
    const underscore = linux.indexOf('_')
    const arch = underscore === -1 ? '' : linux.slice(underscore + 1)
    const result = manylinuxPlatforms(env, linux, arch)
    const musl = env.muslVersion
    if (musl) for (let minor = musl[1]; minor >= 0; minor--) result.push(`musllinux_${musl[0]}_${minor}_${arch}`)
    result.push(linux)
    return result
  }
  return [normalize(env.platform)]
}

/**
 * The tags this interpreter supports, most preferred first: exactly
 * `list(packaging.tags.sys_tags())` for the interpreter described.
 */
export function supportedTags(env: TagEnvironment): readonly Tag[] {
  const platforms = platformTags(env)
  const name = interpreterName(env)
  const tags = name === 'cp' ? cpythonTags(env, platforms) : genericTags(env, platforms)
  const interpreter = name === 'pp' ? 'pp3' : name === 'cp' ? `cp${interpreterVersion(env)}` : undefined
  tags.push(...compatibleTags(env, platforms, interpreter))
  return Object.freeze(tags)
}

/**
 * A lookup from tag string to priority (0 is best), for ranking wheels:
 * the lowest priority among a wheel's tags is the wheel's rank; a wheel with
 * no tag in the map is not installable here.
 */
export function tagPriorities(tags: readonly Tag[]): ReadonlyMap<string, number> {
  const map = new Map<string, number>()
  tags.forEach((tag, index) => {
    const key = tagToString(tag)
    if (!map.has(key)) map.set(key, index)
  })
  return map
}
