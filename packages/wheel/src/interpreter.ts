import type { InterpreterInfo } from '@pipette/venv'
import { supportedTags } from './tags.js'
import type { Tag, TagEnvironment } from './tags.js'

const versionPair = (text: string | null): readonly [number, number] | null => {
  if (text === null) return null
  const match = /^(\d+)\.(\d+)/.exec(text)
  return match === null ? null : [Number(match[1]), Number(match[2])]
}

/** A config variable as Python tests it (`if value:`), null when unset. */
const configBool = (value: string | number | null | undefined): boolean | null =>
  value === null || value === undefined ? null : typeof value === 'number' ? value !== 0 : value !== ''

/** The tag environment (what `sys_tags()` reads) of a queried interpreter. */
export function tagEnvironment(info: InterpreterInfo): TagEnvironment {
  const config = info.configVars
  const nodot = config['py_version_nodot']
  const unicodeSize = config['Py_UNICODE_SIZE']
  return Object.freeze({
    implementation: info.implementation.name,
    pythonVersion: [info.versionInfo[0], info.versionInfo[1]] as const,
    pyVersionNodot: nodot === null || nodot === undefined ? null : String(nodot),
    extSuffix: info.extSuffix,
    extensionSuffixes: info.extensionSuffixes,
    pyDebug: configBool(config['Py_DEBUG']),
    hasTotalRefcount: info.hasTotalRefcount,
    withPymalloc: configBool(config['WITH_PYMALLOC']),
    unicodeSize: unicodeSize === null || unicodeSize === undefined ? null : Number(unicodeSize),
    gilDisabled: info.gilDisabled,
    system: info.platformSystem,
    platform: info.platform,
    is32bit: info.maxsizeBits <= 32,
    glibcVersion: versionPair(info.glibcVersion),
    muslVersion: versionPair(info.muslVersion),
    elfAbiCompatible: info.elf === null ? false : info.elf.armhf || info.elf.i686,
    manylinuxCompatible: info.manylinuxModule,
    macVersion: info.mac === null ? null : versionPair(info.mac.version),
    macArch: info.mac?.machine ?? null,
  })
}

const cache = new WeakMap<InterpreterInfo, readonly Tag[]>()

/** `packaging.tags.sys_tags()` of a queried interpreter, most preferred first (computed once per info). */
export function interpreterTags(info: InterpreterInfo): readonly Tag[] {
  let tags = cache.get(info)
  if (tags === undefined) {
    tags = supportedTags(tagEnvironment(info))
    cache.set(info, tags)
  }
  return tags
}
