/**
 * Dependency-free gzip (RFC 1952) / DEFLATE (RFC 1951) decoder. n8n Cloud forbids importing Node's
 * zlib from community nodes, and SP-API delivers feed processing reports gzip-compressed.
 */
export { crc32 } from './crc32';
export { DEFAULT_MAX_OUTPUT_BYTES, GzipError } from './errors';
export { gunzip, isGzip } from './gzip';
export { inflateRaw } from './inflate';
export { decodeUtf8 } from './utf8';
