import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Shopify signs the raw request body with HMAC-SHA256 and the app's client secret (legacy custom
 * apps: the API secret key) and sends it base64-encoded in X-Shopify-Hmac-Sha256. The digest is
 * compared in constant time; decoding the header first makes the comparison independent of its
 * spelling (padding). Several secrets are accepted because Shopify keeps signing with the old
 * client secret for up to an hour after it is rotated.
 */
export function verifyShopifyHmac(rawBody: Buffer, signatureHeader: string | undefined, secrets: readonly string[]): boolean {
	if (!signatureHeader || typeof signatureHeader !== 'string') return false;
	const received = Buffer.from(signatureHeader.trim(), 'base64');
	// A SHA-256 digest is 32 bytes; anything else cannot match and timingSafeEqual needs equal lengths.
	if (received.length !== 32) return false;
	let valid = false;
	for (const secret of secrets) {
		if (!secret) continue;
		const expected = createHmac('sha256', secret).update(rawBody).digest();
		// No early exit: every configured secret is checked, so timing does not tell which one matched.
		if (timingSafeEqual(expected, received)) valid = true;
	}
	return valid;
}

/** The header value Shopify would send for this body (tests, and the sandbox's own deliveries). */
export function signShopifyBody(rawBody: Buffer | string, secret: string): string {
	return createHmac('sha256', secret).update(rawBody).digest('base64');
}
