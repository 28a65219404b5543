import { gunzip, isGzip, decodeUtf8 } from '../../gunzip';
import type { AmazonClient } from './client';
import { createFeedDocument, getFeed, getFeedDocument } from './api';
import type { SpFeed } from './types';

export const XML_FEED_CONTENT_TYPE = 'text/xml; charset=UTF-8';

/** Step 1-2 of a feed: create the document and upload the content with the same content type. */
export async function uploadFeedContent(client: AmazonClient, content: string, contentType = XML_FEED_CONTENT_TYPE): Promise<string> {
	const document = await createFeedDocument(client, contentType);
	await client.uploadDocument(document.url, content, contentType);
	return document.feedDocumentId;
}

const FINAL_STATUSES = new Set(['DONE', 'FATAL', 'CANCELLED']);

/**
 * Polls getFeed until Amazon finishes, or until maxWaitMs has passed (feeds can stay IN_PROGRESS
 * for a long time); the caller reports "still processing" and checks again later.
 */
export async function waitForFeed(
	client: AmazonClient,
	feedId: string,
	options: { maxWaitMs: number; pollEveryMs: number; now: () => number; sleep: (ms: number) => Promise<void> },
): Promise<SpFeed> {
	const deadline = options.now() + options.maxWaitMs;
	for (;;) {
		const feed = await getFeed(client, feedId);
		if (FINAL_STATUSES.has(feed.processingStatus) || options.now() + options.pollEveryMs > deadline) return feed;
		await options.sleep(options.pollEveryMs);
	}
}

/** The processing report of a finished feed, un-gzipped; undefined when Amazon produced none. */
export async function readProcessingReport(client: AmazonClient, feed: SpFeed): Promise<string | undefined> {
	if (!feed.resultFeedDocumentId) return undefined;
	const document = await getFeedDocument(client, feed.resultFeedDocumentId);
	const bytes = await client.downloadDocument(document.url);
	const plain = document.compressionAlgorithm === 'GZIP' || isGzip(bytes) ? gunzip(bytes) : bytes;
	return decodeUtf8(plain);
}
