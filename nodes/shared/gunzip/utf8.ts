/**
 * Decoding is stateless without `stream: true`, so one decoder is shared. fatal: false maps invalid
 * sequences to U+FFFD instead of failing a whole report over one bad byte; a leading BOM is dropped.
 */
const decoder = new TextDecoder('utf-8', { fatal: false });

export function decodeUtf8(bytes: Uint8Array): string {
	return decoder.decode(bytes);
}
