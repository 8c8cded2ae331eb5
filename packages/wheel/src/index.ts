export { parseTag, tagToString, supportedTags, tagPriorities, platformTags, macPlatforms, cpythonTags, genericTags, compatibleTags, interpreterName, interpreterVersion } from './tags.js'
export type { Tag, TagEnvironment } from './tags.js'
