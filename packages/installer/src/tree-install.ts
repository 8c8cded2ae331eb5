/**
 * Installing a wheel from its unpacked tree in the cache: the same result as
 * `@pipette/wheel`'s `installWheel` (pip's layout, file for file: root in
 * purelib or platlib, `.data/<key>/` in the scheme, `#!python` scripts
 * rewritten, launchers, INSTALLER, REQUESTED, direct_url.json, RECORD with
 * the `.pyc` files), but the files are linked from the cache instead of
 * extracted from a zip.
 *
 * The archive store unpacked the wheel once (checked against RECORD, pip's
 * file modes applied), so installing is `linkTree` per scheme directory: a
 * reflink where the file system clones, else a hard link, else a copy; each
 * file appears atomically under its final name (linker.ts). Scripts whose first line is
 * `#!python` are the exception: their bytes change, so they are written
 * (temporary name, then rename). RECORD is never linked from the tree: it is generated. Generated files are
 * placed as links to the cache's copy of their content (generated.ts).
 * A file that already exists (left by another distribution) is replaced, as
 * pip replaces it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { basename, dirname, join, normalize, relative, sep } from 'node:path'
import type { Archive } from '@pipette/cache'
import type { Compiler, DirectUrl, InstalledDistribution, Scheme } from '@pipette/wheel'
import type { Linker, LinkMethod } from './linker.js'
import { createLinker, isPlain } from './linker.js'
import type { GeneratedFiles } from './generated.js'
import {
  compareCodePoints,
  consoleScriptSpecs,
  fixScriptShebang,
  formatRecord,
  installedRecordRows,
  parseCsvLine,
  parseEntryPoints,
  parseHeaders,
  parseWheelInfo,
  recordHash,
  scriptEntry,
  WheelError,
  writeGeneratedFiles,
} from '@pipette/wheel'

export interface TreeInstallOptions {
  /** The unpacked wheel (`cache.archives.ensure(...)`). */
  readonly archive: Archive
  readonly scheme: Scheme
  /** `sys.executable` of the target. */
  readonly executable: string
  readonly pythonVersion: readonly [number, number]
  /** Compile bytecode (pip's default; absent for `--no-compile`). */
  readonly bytecode?: BytecodeOptions | undefined
  readonly installer?: string | undefined
  readonly directUrl?: DirectUrl | undefined
  readonly requested?: boolean | undefined
  readonly ensurepipOptions?: string | undefined
  readonly platform?: string | undefined
  readonly umask?: number | undefined
  /** The linker shared by the install (default: one for this call). */
  readonly linker?: Linker | undefined
  /** Where generated files (RECORD, INSTALLER, launchers, ...) are linked from (generated.ts); absent: written. */
  readonly generated?: GeneratedFiles | undefined
}

export interface BytecodeOptions {
  /** @pipette/wheel's pool of the target's interpreters (`createCompilePool`). */
  readonly compiler: Compiler
  /** `sys.implementation.cache_tag` of the target (`cpython-311`). */
  readonly cacheTag: string
  /**
   * Where this wheel's bytecode for this interpreter is kept in the cache
   * (see compileBytecode); absent: compile in place, as pip.
   */
  readonly cacheDir?: string | undefined
}

const SCHEME_KEYS = ['data', 'headers', 'platlib', 'purelib', 'scripts'] as const
type SchemeKey = (typeof SCHEME_KEYS)[number]

function pyJoin(a: string, b: string): string {
  if (b.startsWith('/')) return b
  return a === '' || a.endsWith('/') ? a + b : `${a}/${b}`
}

function toRecordPath(path: string, libDir: string): string {
  return relative(libDir, path).split(sep).join('/')
}

function tempName(dest: string): string {
  return join(dirname(dest), `.${basename(dest).slice(0, 80)}.${randomBytes(6).toString('hex')}.pipette-tmp`)
}

/**
 * Small files (INSTALLER, RECORD, launchers, rewritten scripts) are written
 * with synchronous calls: a thread-pool round trip per call would cost more
 * than the write.
 */
async function writeAtomic(path: string, data: Buffer, mode: number, fileMode: number): Promise<void> {
  const temp = tempName(path)
  try {
    writeFileSync(temp, data, { flag: 'wx', mode })
    if ((mode & ~fileMode & 0o7777) !== 0) chmodSync(temp, mode)
    renameSync(temp, path)
  } catch (error) {
    try {
      unlinkSync(temp)
    } catch {
      // not there
    }
    throw error
  }
}

/** Installs an unpacked wheel into `scheme` by linking its files (see the essay above). */
export async function installFromTree(options: TreeInstallOptions): Promise<InstalledDistribution> {
  const { archive, scheme, executable } = options
  const tree = archive.tree
  const umask = options.umask ?? process.umask()
  const fileMode = 0o666 & ~umask
  const paths = archive.manifest.files.map((f) => f.path)
  const distInfo = [...new Set(paths.map((p) => p.split('/', 1)[0]!).filter((top) => top.endsWith('.dist-info')))]
  if (distInfo.length !== 1) {
    throw new WheelError('ERR_WHEEL_INVALID', `${archive.manifest.filename} has ${distInfo.length} .dist-info directories`, { hint: 'a wheel holds exactly one <name>-<version>.dist-info directory' })
  }
  const distInfoDir = distInfo[0]!
  const readMember = async (name: string) => readFileSync(join(tree, ...name.split('/')))
  const has = new Set(paths)
  const [wheelText, metadataText, entryText, recordText] = await Promise.all([
    readMember(`${distInfoDir}/WHEEL`).then((b) => b.toString('utf8')),
    readMember(`${distInfoDir}/METADATA`).then((b) => b.toString('utf8')),
    has.has(`${distInfoDir}/entry_points.txt`) ? readMember(`${distInfoDir}/entry_points.txt`).then((b) => b.toString('utf8')) : Promise.resolve(''),
    readMember(`${distInfoDir}/RECORD`).then((b) => b.toString('utf8')),
  ])
  const parsedWheel = parseWheelInfo(wheelText)
  if (parsedWheel.info === undefined) {
    throw new WheelError('ERR_WHEEL_INVALID', `${archive.manifest.filename}: ${parsedWheel.problem ?? 'invalid WHEEL file'}`, { hint: 'the WHEEL file needs Wheel-Version: 1.0' })
  }
  const headers = parseHeaders(metadataText)
  const name = headers.get('Name') ?? distInfoDir.slice(0, distInfoDir.lastIndexOf('-'))
  const version = headers.get('Version') ?? ''
  const libDir = parsedWheel.info.rootIsPurelib ? scheme.purelib : scheme.platlib

  const consoleEntries = new Map<string, string>()
  const guiEntries = new Map<string, string>()
  for (const ep of parseEntryPoints(entryText)) {
    if (ep.group === 'console_scripts') consoleEntries.set(ep.name, ep.value)
    else if (ep.group === 'gui_scripts') guiEntries.set(ep.name, ep.value)
  }
  const launcherNames = new Set([...consoleEntries.keys(), ...guiEntries.keys()])
  const consoleLaunchers = consoleScriptSpecs(consoleEntries, { pythonVersion: options.pythonVersion, ensurepipOptions: options.ensurepipOptions }).map(scriptEntry)
  const guiLaunchers = [...guiEntries].map(([n, value]) => scriptEntry(`${n} = ${value}`))

  // Plan: which files are linked where, which scripts are rewritten.
  const generatedNames = new Set([`${distInfoDir}/RECORD`, `${distInfoDir}/INSTALLER`])
  if (options.requested) generatedNames.add(`${distInfoDir}/REQUESTED`)
  if (options.directUrl !== undefined) generatedNames.add(`${distInfoDir}/direct_url.json`)
  const rootFiles: string[] = []
  const dataFiles = new Map<string, { key: SchemeKey; files: string[] }>() // `<x>.data/<key>` -> files under it
  const scripts: Array<{ member: string; dest: string }> = []
  const installed = new Map<string, string>() // wheel path -> RECORD path
  // Where each installed file came from in the tree, and which link group placed it (for bytecode reuse).
  const origin = new Map<string, { readonly member: string; readonly root: string; readonly group: string }>() // RECORD path -> ...
  // RECORD paths are relative to libDir: a plain member name is its own; under `.data/<key>/`, the
  // scheme directory's path from libDir, computed once per key.
  const prefixes = new Map<SchemeKey, string>()
  const recordPathIn = (key: SchemeKey, root: string, rest: string): string => {
    if (!isPlain(rest)) return toRecordPath(join(root, rest), libDir)
    let prefix = prefixes.get(key)
    if (prefix === undefined) {
      prefix = toRecordPath(root, libDir)
      prefixes.set(key, prefix)
    }
    return prefix === '' ? rest : `${prefix}/${rest}`
  }
  for (const path of paths) {
    const slash = path.indexOf('/')
    const top = slash < 0 ? path : path.slice(0, slash)
    if (!top.endsWith('.data')) {
      const record = isPlain(path) ? path : toRecordPath(join(libDir, normalize(path)), libDir)
      installed.set(path, record)
      if (!generatedNames.has(path)) {
        rootFiles.push(path)
        origin.set(record, { member: path, root: libDir, group: '' })
      }
      continue
    }
    const parts = path.split('/')
    const key = parts[1] ?? ''
    if (parts.length < 3 || !(SCHEME_KEYS as readonly string[]).includes(key)) {
      throw new WheelError('ERR_WHEEL_INVALID', `Unknown scheme key used in ${archive.manifest.filename}: ${key} (for file ${JSON.stringify(path)})`, {
        hint: 'files under <name>.data/ go in a scheme directory: scripts/, headers/, data/, purelib/ or platlib/',
      })
    }
    const rest = parts.slice(2).join('/')
    const root = scheme[key as SchemeKey]
    const dest = join(root, rest)
    if (key === 'scripts') {
      const file = basename(dest)
      const lower = file.toLowerCase()
      const match = lower.endsWith('.exe') ? file.slice(0, -4) : lower.endsWith('-script.py') ? file.slice(0, -10) : lower.endsWith('.pya') ? file.slice(0, -4) : file
      if (launcherNames.has(match)) continue
      scripts.push({ member: path, dest })
      const record = recordPathIn(key, root, rest)
      installed.set(path, record)
      origin.set(record, { member: path, root, group: path })
      continue
    }
    const record = recordPathIn(key as SchemeKey, root, rest)
    installed.set(path, record)
    const group = `${top}/${key}`
    origin.set(record, { member: path, root, group })
    let entry = dataFiles.get(group)
    if (entry === undefined) {
      entry = { key: key as SchemeKey, files: [] }
      dataFiles.set(group, entry)
    }
    entry.files.push(rest)
  }

  // Link and write. Generated files are links to the cache's copy of their content when possible.
  const put = async (path: string, data: Buffer, mode: number): Promise<void> => {
    if (options.generated?.place(path, data, mode) !== true) await writeAtomic(path, data, mode, fileMode)
  }
  const changed = new Map<string, { hash: string; size: number }>()
  const linker = options.linker ?? createLinker()
  const methods = new Map<string, LinkMethod | 'mixed' | undefined>() // link group -> method
  await Promise.all([
    linker.link({ from: tree, to: libDir, files: rootFiles }).then((m) => methods.set('', m)),
    ...[...dataFiles].map(([group, entry]) => linker.link({ from: join(tree, ...group.split('/')), to: scheme[entry.key], files: entry.files }).then((m) => methods.set(group, m))),
    ...scripts.map(async ({ member, dest }) => {
      const source = join(tree, ...member.split('/'))
      const content = readFileSync(source)
      const info = statSync(source)
      const fixed = fixScriptShebang(content, executable)
      const mode = info.mode & 0o7777
      if (fixed === undefined) {
        methods.set(member, await linker.link({ from: dirname(source), to: dirname(dest), root: scheme.scripts, files: [basename(source)] }))
      } else {
        mkdirSync(dirname(dest), { recursive: true })
        changed.set(toRecordPath(dest, libDir), { hash: recordHash(fixed), size: fixed.length })
        await put(dest, fixed, mode)
      }
    }),
  ])

  let compiled = 0
  if (options.bytecode !== undefined) {
    for (const pyc of await compileBytecode({ bytecode: options.bytecode, installed, origin, methods, libDir, tree, linker })) {
      installed.set(pyc, toRecordPath(pyc, libDir))
      compiled++
    }
  }

  const generated: Array<{ path: string; hash: string; size: number }> = []
  const writeGenerated = async (path: string, content: string, mode: number) => {
    const data = Buffer.from(content, 'utf8')
    await put(path, data, mode)
    generated.push({ path, hash: recordHash(data), size: data.length })
  }
  const platform = options.platform ?? process.platform
  const distInfoPath = join(libDir, distInfoDir)
  const { consoleScripts, guiScripts } = await writeGeneratedFiles({
    scriptsDir: scheme.scripts,
    distInfoPath,
    consoleLaunchers,
    guiLaunchers,
    executable,
    platform,
    fileMode,
    installer: options.installer ?? 'pipette',
    directUrl: options.directUrl,
    requested: options.requested,
    ensureDir: (dir) => {
      mkdirSync(dir, { recursive: true })
    },
    write: writeGenerated,
  })

  const { rows, warnings } = installedRecordRows({ recordText, installed, changed, generated: generated.map((file) => ({ ...file, path: toRecordPath(file.path, libDir) })) })
  const recordOut = formatRecord(rows)
  await put(join(distInfoPath, 'RECORD'), Buffer.from(recordOut, 'utf8'), fileMode)

  return Object.freeze({
    name,
    version,
    distInfoPath,
    libDir,
    record: Object.freeze(
      recordOut
        .split('\r\n')
        .filter((l) => l !== '')
        .map((l) => {
          const [path = '', hash = '', size = ''] = parseCsvLine(l)
          return Object.freeze({ path, hash, size })
        }),
    ),
    consoleScripts: Object.freeze(consoleScripts),
    guiScripts: Object.freeze(guiScripts),
    compiled,
    warnings: Object.freeze(warnings),
  })
}

interface DoneFile {
  readonly v: 1
  /** Tree members whose bytecode is in the cache (those that compiled). */
  readonly compiled: readonly string[]
  /** Tree members that do not compile (syntax errors). */
  readonly failed: readonly string[]
}

async function readDone(path: string): Promise<DoneFile | undefined> {
  try {
    const done = JSON.parse(await readFile(path, 'utf8')) as DoneFile
    return done.v === 1 && Array.isArray(done.compiled) && Array.isArray(done.failed) ? done : undefined
  } catch {
    return undefined
  }
}

/**
 * pip's compilation of every installed `.py` file (sorted paths, the path
 * as `os.path.join(lib_dir, record_path)` compiled into the code), with the
 * cache's bytecode linked where the source is a hard link into the cache.
 * Resolves to the `.pyc` paths written, in pip's form.
 *
 * pip calls `compileall.compile_file(path, force=True)` on each file, and so
 * does @pipette/wheel's compile pool (a few long-lived workers of the target
 * interpreter, fed batches), so the bytecode compiled here is pip's: the
 * `.pyc` in `__pycache__/<stem>.<cache tag>.pyc`, its header holding the
 * source's mtime and size (or, with SOURCE_DATE_EPOCH, its hash), its code
 * objects naming the installed path.
 *
 * What pipette adds is keeping it. A file hard-linked from the unpacked
 * wheel in the cache *is* the cache's file: same bytes, same mtime. A `.pyc`
 * compiled for it is therefore valid in every environment that links the
 * same file. So after compiling in place (exactly as pip), pipette links the
 * new `.pyc` into the cache (`bytecode-v1/<wheel sha256>/<cache tag,
 * Python, mode>/<hash of the member path>.pyc`, with a `done.json` listing
 * what compiled and what does not), and the next install into another
 * environment links it into `__pycache__` instead of compiling. There the
 * path compiled into the code is the first environment's; Python's import
 * system replaces it with the real path when it loads the module
 * (`_imp._fix_co_filename`), so tracebacks are right. Files that were copied
 * or cloned (a new mtime) and rewritten scripts are compiled in place every
 * time, as pip does.
 */
async function compileBytecode(args: {
  readonly bytecode: BytecodeOptions
  readonly installed: ReadonlyMap<string, string>
  readonly origin: ReadonlyMap<string, { readonly member: string; readonly root: string; readonly group: string }>
  readonly methods: ReadonlyMap<string, LinkMethod | 'mixed' | undefined>
  readonly libDir: string
  readonly tree: string
  readonly linker: Linker
}): Promise<string[]> {
  const { bytecode, libDir } = args
  const sources = [...new Set(args.installed.values())].sort(compareCodePoints).filter((rel) => rel.endsWith('.py'))
  const pycName = (file: string) => `${basename(file).slice(0, -3)}.${bytecode.cacheTag}.pyc`
  // In the cache, one flat directory per wheel and interpreter: `<sha256 of the member path>.pyc`.
  const cachedName = (member: string) => `${createHash('sha256').update(member).digest('hex').slice(0, 32)}.pyc`
  const cacheDir = bytecode.cacheDir
  const done = cacheDir === undefined ? undefined : await readDone(join(cacheDir, 'done.json'))
  const compiledInCache = new Set(done?.compiled ?? [])
  const failedInCache = new Set(done?.failed ?? [])
  const jobs: Array<{ source: string; member: string | undefined; root: string }> = []
  const linked: Array<{ source: string; target: string; root: string; full: string }> = []
  const written: string[] = []
  for (const rel of sources) {
    const full = pyJoin(libDir, rel)
    const installedPyc = join(dirname(full), '__pycache__', pycName(full))
    const from = args.origin.get(rel)
    // A source hard-linked from the cache is the cache's file: its bytecode can be shared.
    const shared = cacheDir !== undefined && from !== undefined && args.methods.get(from.group) === 'hardlink'
    if (shared && compiledInCache.has(from.member)) {
      linked.push({ source: join(cacheDir, cachedName(from.member)), target: installedPyc, root: from.root, full })
    } else if (!(shared && failedInCache.has(from.member))) {
      // Compiled in place, as pip does (the path compiled into the code is the installed one).
      jobs.push({ source: full, member: shared ? from.member : undefined, root: from?.root ?? libDir })
    }
  }
  // Cached bytecode first; what could not be linked (the cache lost it) is compiled in place.
  const placed = await args.linker.linkPairs(linked)
  linked.forEach((entry, i) => {
    if (placed[i]) written.push(entry.target)
    else jobs.push({ source: entry.full, member: undefined, root: entry.root })
  })
  // One call per file in this turn: the pool sends them to its workers in batches.
  const results = await Promise.all(jobs.map((j) => bytecode.compiler.compile(j.source)))
  const adopt: Array<{ source: string; target: string; root: string }> = []
  const compiled = new Set(compiledInCache)
  const failed = new Set(failedInCache)
  results.forEach((pyc, i) => {
    const { member } = jobs[i]!
    if (pyc !== null) written.push(pyc)
    if (member === undefined) return
    if (pyc !== null) {
      compiled.add(member)
      adopt.push({ source: pyc, target: join(cacheDir!, cachedName(member)), root: cacheDir! })
    } else failed.add(member)
  })
  if (cacheDir !== undefined && (adopt.length > 0 || failed.size > failedInCache.size)) {
    // Keep the new bytecode: a link into the cache (no copy), then the list of what is there.
    mkdirSync(cacheDir, { recursive: true })
    const kept = await args.linker.linkPairs(adopt, { replace: true })
    const keptMembers = new Set(adopt.filter((_, i) => kept[i]).map((a) => a.target))
    const doneFile: DoneFile = {
      v: 1,
      compiled: [...compiled].filter((m) => compiledInCache.has(m) || keptMembers.has(join(cacheDir, cachedName(m)))).sort(),
      failed: [...failed].sort(),
    }
    await writeAtomic(join(cacheDir, 'done.json'), Buffer.from(JSON.stringify(doneFile)), 0o644, 0o644)
  }
  return written
}
