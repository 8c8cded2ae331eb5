export { openCache } from './cache.js'
export type { Cache, CacheOptions } from './cache.js'
export { APP_NAME, defaultCacheDir, normalizePath, resolveCacheDir } from './location.js'
export type { CacheDirOptions, PlatformInfo } from './location.js'
export { BUCKETS, bucketDir } from './buckets.js'
export { cacheUrl, cachedRequest, createHttpCache, httpCacheKey, normalizeProjectName } from './http-cache.js'
export type {
  CachedRequestResult,
  CachedResponse,
  HttpCache,
  HttpCacheOptions,
  HttpCacheRequest,
  HttpHeaders,
  HttpLookup,
  HttpResponseHead,
  IncomingResponse,
  OutgoingRequest,
  RefreshPolicy,
} from './http-cache.js'
export { checkFilename, createWheelStore } from './wheel-store.js'
export type { ExpectedHashes, PutOptions, StoredWheel, WheelRef, WheelStore, WheelStoreOptions } from './wheel-store.js'
export { createArchiveStore } from './archive-store.js'
export { unpackWheel } from './unpack.js'
export type { Archive, ArchiveFile, ArchiveManifest, ArchiveStore, ArchiveStoreOptions, Unpacker } from './archive-store.js'
export { forgetLinkMethods, linkTree, listTree } from './link-tree.js'
export type { LinkMethod, LinkTreeOptions, LinkTreeResult } from './link-tree.js'
export { HASH_ALGORITHMS, checkDigest, hashFile, isHashAlgorithm, multiHash } from './hashing.js'
export type { HashAlgorithm, MultiHash } from './hashing.js'
export { acquireLock, tryLock, withLock } from './lock.js'
export type { Lock, LockOptions } from './lock.js'
export { HOST_TAG, TEMP_PREFIX, removeAtomic, renameDirIntoPlace, sweepTemporaries, tempPath, writeFileAtomic } from './fs-atomic.js'
export { cacheInfo, fnmatch, formatSize, listWheels, purgeCache, removeWheels, wheelPattern } from './inventory.js'
export type { BucketSummary, CacheInfo, RemoveResult } from './inventory.js'
export { CacheError } from './errors.js'
