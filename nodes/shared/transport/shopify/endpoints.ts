import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normaliseBaseUrl } from '../endpoints';

export const DEFAULT_SHOPIFY_API_VERSION = '2026-10';

/**
 * Accepts what merchants paste: "acme", "acme.myshopify.com", "https://acme.myshopify.com/admin",
 * or "https://admin.shopify.com/store/acme", and returns "acme.myshopify.com".
 */
export function normaliseShopDomain(input: string): string {
	let value = String(input ?? '').trim().toLowerCase();
	value = value.replace(/^https?:\/\//, '');
	const adminStore = /^admin\.shopify\.com\/store\/([^/?#]+)/.exec(value);
	if (adminStore) value = adminStore[1];
	value = value.replace(/[/?#].*$/, '').replace(/\.myshopify\.com$/, '');
	if (!/^[a-z0-9][a-z0-9-]{0,60}$/.test(value)) {
		throw new Error(
			`"${String(input ?? '').trim()}" is not a Shopify shop domain. Enter the shop's myshopify name, for example "acme" or "acme.myshopify.com" (Shopify admin → Settings → Domains).`,
		);
	}
	return `${value}.myshopify.com`;
}

export function shopifyApiVersion(credentials: ICredentialDataDecryptedObject): string {
	const version = String(credentials.apiVersion ?? '').trim() || DEFAULT_SHOPIFY_API_VERSION;
	if (!/^\d{4}-(01|04|07|10)$/.test(version) && version !== 'unstable') {
		throw new Error(`Shopify API version "${version}" is not valid. Use a quarterly version such as 2026-10.`);
	}
	return version;
}

/** https://{shop}.myshopify.com, or the custom admin base URL (proxies, the local sandbox). */
export function shopifyAdminBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.useCustomEndpoint === true) {
		return normaliseBaseUrl(String(credentials.adminBaseUrl ?? ''), 'Admin Base URL');
	}
	return `https://${normaliseShopDomain(String(credentials.shopDomain ?? ''))}`;
}

export function shopifyGraphqlUrl(credentials: ICredentialDataDecryptedObject): string {
	return `${shopifyAdminBaseUrl(credentials)}/admin/api/${shopifyApiVersion(credentials)}/graphql.json`;
}
