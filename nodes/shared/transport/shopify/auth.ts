import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { postTokenForm } from '../tokenRequest';
import { shopifyAdminBaseUrl } from './endpoints';

export interface ShopifySessionToken {
	sessionToken: string;
	sessionTokenExpiresAt: number;
}

/**
 * Client-credentials grant of a Dev Dashboard app: a 24 h token with no refresh token, so it is
 * simply requested again. Called from the credential's preAuthentication.
 */
export async function requestClientCredentialsToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	now: () => number = Date.now,
): Promise<ShopifySessionToken> {
	for (const field of ['clientId', 'clientSecret'] as const) {
		if (!String(credentials[field] ?? '').trim()) {
			throw new Error(`The Shopify credential has no ${field}. Copy it from your app in the Shopify Dev Dashboard (Settings → Credentials).`);
		}
	}
	const url = `${shopifyAdminBaseUrl(credentials)}/admin/oauth/access_token`;
	const { statusCode, body } = await postTokenForm(helper, url, {
		grant_type: 'client_credentials',
		client_id: String(credentials.clientId).trim(),
		client_secret: String(credentials.clientSecret).trim(),
	});
	if (statusCode >= 200 && statusCode < 300 && typeof body.access_token === 'string') {
		const expiresIn = Number(body.expires_in ?? 86399);
		return { sessionToken: body.access_token, sessionTokenExpiresAt: now() + expiresIn * 1000 };
	}
	throw new Error(describeTokenFailure(statusCode, body));
}

function describeTokenFailure(status: number, body: Record<string, unknown>): string {
	const code = typeof body.error === 'string' ? body.error : undefined;
	if (status === 401 || status === 400 || code === 'invalid_client') {
		return `Shopify refused the client credentials (HTTP ${status}${code ? `, ${code}` : ''}). Check the client ID and secret, that the app is installed on this shop, and that the app belongs to the organisation that owns the shop (client credentials work only for your own stores).`;
	}
	if (status === 404) {
		return 'Shopify answered 404 for /admin/oauth/access_token. Check the shop domain.';
	}
	return `Shopify token request failed with HTTP ${status}. Check the shop domain and the app credentials.`;
}
