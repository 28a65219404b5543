import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { requestClientCredentialsToken } from '../nodes/shared/transport/shopify/auth';
import { DEFAULT_SHOPIFY_API_VERSION } from '../nodes/shared/transport/shopify/endpoints';

// The same normalisation as normaliseShopDomain(), written as an n8n expression because the
// credential test request is resolved by n8n itself.
const SHOP_HOST_EXPRESSION =
	'String($credentials.shopDomain).trim().toLowerCase().replace(/^https?:\\/\\//, "").replace(/^admin\\.shopify\\.com\\/store\\//, "").replace(/[\\/?#].*$/, "").replace(/\\.myshopify\\.com$/, "") + ".myshopify.com"';

export class ShopifyAdminApi implements ICredentialType {
	name = 'shopifyAdminApi';

	displayName = 'Shopify Admin API';

	icon: Icon = { light: 'file:../icons/shopify.svg', dark: 'file:../icons/shopify.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-amazon-shopify/n8n-nodes-amazon-shopify#shopify-admin-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Domain',
			name: 'shopDomain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'acme.myshopify.com',
			description: 'Your shop\'s myshopify domain. "acme", "acme.myshopify.com" and an admin URL are all accepted.',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Client Credentials (Dev Dashboard App)',
					value: 'clientCredentials',
					description: 'New apps: a client ID and secret that n8n exchanges for a 24-hour token',
				},
				{
					name: 'Admin API Access Token (Legacy Custom App)',
					value: 'accessToken',
					description: 'Custom apps created in the Shopify admin before 2026 (shpat_ tokens)',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Also the key Shopify signs webhooks with',
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Admin API Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'shpat_…',
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'API Secret Key',
			name: 'apiSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The app\'s API secret key. Shopify signs webhooks with it; the events trigger needs it to verify them.',
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: DEFAULT_SHOPIFY_API_VERSION,
			description: 'Admin GraphQL API version, for example 2026-10',
		},
		{
			displayName: 'Use Custom Endpoint',
			name: 'useCustomEndpoint',
			type: 'boolean',
			default: false,
			description: 'Whether to replace https://{shop}.myshopify.com, for a proxy or local testing',
		},
		{
			displayName: 'Admin Base URL',
			name: 'adminBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://shopify-proxy.example.com',
			description: 'Replaces https://{shop}.myshopify.com. Plain http is accepted only for loopback addresses.',
			displayOptions: { show: { useCustomEndpoint: [true] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Session Token Expires At',
			name: 'sessionTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: 0,
		},
	];

	/** Client credentials: exchange for a 24 h token. A legacy static token needs no exchange. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authentication === 'accessToken') return {};
		const token = await requestClientCredentialsToken(this, credentials);
		return { sessionToken: token.sessionToken, sessionTokenExpiresAt: token.sessionTokenExpiresAt };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-Shopify-Access-Token':
					'={{ $credentials.authentication === "accessToken" ? $credentials.accessToken : $credentials.sessionToken }}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.useCustomEndpoint ? String($credentials.adminBaseUrl).replace(/\\/+$/, "") : "https://" + ${SHOP_HOST_EXPRESSION} }}`,
			url: '={{ "/admin/api/" + ($credentials.apiVersion || "2026-10") + "/graphql.json" }}',
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: { query: '{ shop { name } }' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errors[0].extensions.code',
					value: 'ACCESS_DENIED',
					message: 'Shopify denied access to the shop: add the read_orders scope to the app and reinstall it.',
				},
			},
		],
	};
}
