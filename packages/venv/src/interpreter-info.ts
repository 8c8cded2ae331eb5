/** The paths of one install scheme, as pip computes them for an interpreter. */
export interface SchemePaths {
  /** The sysconfig scheme name (`posix_prefix`, `venv`, `posix_local`...), when there is one. */
  readonly name: string | null
  readonly purelib: string
  readonly platlib: string
  readonly scripts: string
  readonly data: string
  /**
   * The directory pip puts headers under: a distribution's headers go to
   * `join(include, distName)` (pip's `Scheme.headers`). In a virtual
   * environment pip uses `<base>/include/site/pythonX.Y`, as here.
   */
  readonly include: string
}

/**
 * The 11 keys of PyPA packaging's `markers.default_environment()` for this
 * interpreter, as that function computes them.
 */
export interface MarkerEnvironment {
  readonly implementation_name: string
  readonly implementation_version: string
  readonly os_name: string
  readonly platform_machine: string
  readonly platform_release: string
  readonly platform_system: string
  readonly platform_version: string
  readonly python_full_version: string
  readonly platform_python_implementation: string
  readonly python_version: string
  readonly sys_platform: string
}

/** What the ELF header of the executable says (Linux only; null elsewhere or when unreadable). */
export interface ElfInfo {
  /** 32 or 64. */
  readonly bits: 32 | 64
  readonly littleEndian: boolean
  /** `e_machine` (3 = i386, 40 = ARM, 62 = x86-64, 183 = AArch64...). */
  readonly machine: number
  readonly flags: number
  /** The program interpreter (`PT_INTERP`), e.g. `/lib64/ld-linux-x86-64.so.2`. */
  readonly interpreter: string | null
  /** packaging's `_is_linux_armhf`: 32-bit little-endian ARM, EABI5, hard float. */
  readonly armhf: boolean
  /** packaging's `_is_linux_i686`: 32-bit little-endian i386. */
  readonly i686: boolean
}

/**
 * Everything pipette knows about one Python interpreter, from one run of a
 * small script in it (see query-script.ts) plus the ELF header of its
 * executable. Immutable; safe to share and to cache.
 *
 * Supported tags (`packaging.tags.sys_tags()`) can be computed from the fields
 * `implementation`, `versionInfo`, `configVars`, `hasTotalRefcount`,
 * `extensionSuffixes`, `maxUnicode`, `pointerSize`/`maxsizeBits`,
 * `platformSystem`, `platform`, `glibcVersion`, `muslVersion`,
 * `manylinuxModule`, `elf`, `mac`, `ios`, `android`.
 */
export interface InterpreterInfo {
  /** `sys.executable` (for a pyenv shim: the real interpreter it runs). */
  readonly executable: string
  /** `sys._base_executable` (3.11+ and some 3.8-3.10), else null. */
  readonly baseExecutable: string | null
  /** `os.path.realpath(sys.executable)`. */
  readonly realExecutable: string
  /** `sys.prefix`. */
  readonly prefix: string
  /** `sys.base_prefix`. */
  readonly basePrefix: string
  readonly execPrefix: string
  readonly baseExecPrefix: string
  /** `sys.real_prefix` (set by virtualenv < 20), else null. */
  readonly realPrefix: string | null
  /** `sys.prefix != sys.base_prefix` or `sys.real_prefix` exists (pip's `running_under_virtualenv`). */
  readonly isVirtualEnv: boolean
  /** `platform.python_version()`, e.g. `3.11.7`. */
  readonly version: string
  /** `sys.version_info`: major, minor, micro, releaselevel, serial. */
  readonly versionInfo: readonly [number, number, number, string, number]
  readonly implementation: {
    /** `sys.implementation.name`: `cpython`, `pypy`... */
    readonly name: string
    /** packaging's `format_full_version(sys.implementation.version)`. */
    readonly version: string
    /** `sys.implementation.cache_tag`, e.g. `cpython-311` (names `__pycache__/*.cpython-311.pyc`). */
    readonly cacheTag: string | null
    /** `sys.implementation._multiarch`, e.g. `x86_64-linux-gnu`. */
    readonly multiarch: string | null
  }
  /** `sys.abiflags` (empty on Windows). */
  readonly abiflags: string
  /** `os.name`. */
  readonly osName: string
  /** `sys.platform`. */
  readonly sysPlatform: string
  /** `platform.system()`. */
  readonly platformSystem: string
  /** `sysconfig.get_platform()`, e.g. `linux-x86_64`. */
  readonly platform: string
  /** `sysconfig.get_config_var('EXT_SUFFIX')`. */
  readonly extSuffix: string | null
  /** `sysconfig.get_config_var('SOABI')`. */
  readonly soabi: string | null
  /** `bool(sysconfig.get_config_var('Py_GIL_DISABLED'))`. */
  readonly gilDisabled: boolean
  /**
   * Raw config variables the tags need: `py_version_nodot`, `EXT_SUFFIX`,
   * `SOABI`, `Py_DEBUG`, `Py_GIL_DISABLED`, `WITH_PYMALLOC`, `Py_UNICODE_SIZE`,
   * `PYEMSCRIPTEN_PLATFORM_VERSION`, `MULTIARCH`, `LDVERSION`, `PYTHONFRAMEWORK`
   * (null when unset, as `get_config_var` returns None).
   */
  readonly configVars: Readonly<Record<string, string | number | null>>
  /** `hasattr(sys, 'gettotalrefcount')` (a debug build). */
  readonly hasTotalRefcount: boolean
  /** `importlib.machinery.EXTENSION_SUFFIXES`. */
  readonly extensionSuffixes: readonly string[]
  /** `sys.maxunicode`. */
  readonly maxUnicode: number
  /** `sys.maxsize.bit_length() + 1`: 64 or 32 (packaging < 24 tests `sys.maxsize <= 2**32`). */
  readonly maxsizeBits: number
  /** `struct.calcsize('P')`: 8 or 4 (packaging >= 24's 32-bit test). */
  readonly pointerSize: number
  /** The glibc version (`os.confstr('CS_GNU_LIBC_VERSION')`, else ctypes), e.g. `2.36`; null when not glibc. */
  readonly glibcVersion: string | null
  /** The musl version from the executable's loader, e.g. `1.2`, as packaging's `_musllinux`; null when not musl. */
  readonly muslVersion: string | null
  /**
   * When a `_manylinux` module is importable: for each architecture, whether it
   * allows `manylinux_2_<minor>` (keys `2_<minor>`), as packaging's
   * `_manylinux._is_compatible` without the glibc comparison. Else null.
   */
  readonly manylinuxModule: Readonly<Record<string, Readonly<Record<string, boolean>>>> | null
  readonly elf: ElfInfo | null
  /** macOS: `platform.mac_ver()` release (10.16 resolved as packaging does) and machine. */
  readonly mac: { readonly version: string; readonly machine: string } | null
  /** iOS: `platform.ios_ver().release`. */
  readonly ios: { readonly version: string } | null
  /** Android: `platform.android_ver().api_level`. */
  readonly android: { readonly apiLevel: number } | null
  /** `sysconfig.get_paths()` of the default scheme (stdlib, platstdlib, purelib, platlib, include, platinclude, scripts, data). */
  readonly paths: Readonly<Record<string, string>>
  /**
   * pip's install schemes: `default` (a plain `pip install`), `user`
   * (`--user`, null when the interpreter has none), and templates whose base
   * is `placeholder`: `prefix` (`--prefix`), `home` (`--home`, and `--target`,
   * which pip installs as a home scheme in a temporary directory), `venv` (the
   * layout `python -m venv` creates). Resolve a template with `installScheme`.
   */
  readonly schemes: {
    readonly default: SchemePaths
    readonly prefix: SchemePaths
    readonly home: SchemePaths
    readonly user: SchemePaths | null
    readonly venv: SchemePaths
  }
  /** The base directory the template schemes use, e.g. `/@pipette-base@`. */
  readonly placeholder: string
  /** `sys.path` without the leading script directory entry. */
  readonly sysPath: readonly string[]
  readonly site: {
    /** `site.ENABLE_USER_SITE` (null: disabled for security reasons). */
    readonly enableUserSite: boolean | null
    readonly userBase: string | null
    readonly userSite: string | null
    /** `site.getsitepackages()`. */
    readonly sitePackages: readonly string[]
  }
  readonly markerEnvironment: MarkerEnvironment
}
