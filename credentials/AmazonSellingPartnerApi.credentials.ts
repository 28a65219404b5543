import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { marketplacesForRegion } from '../nodes/shared/marketplaces';
import { exchangeRefreshToken } from '../nodes/shared/transport/amazon/lwa';

function marketplaceOptions(region: 'na' | 'eu' | 'fe'): INodePropertyOptions[] {
	return marketplacesForRegion(region).map((m) => ({ name: `${m.name} (${m.id})`, value: m.id }));
}

/** One field per region, so the list only offers marketplaces that the region's host serves. */
function marketplaceField(region: 'na' | 'eu' | 'fe', defaultId: string): INodeProperties {
	return {
		displayName: 'Marketplaces',
		name: 'marketplaceIds',
		type: 'multiOptions',
		options: marketplaceOptions(region),
		default: [defaultId],
		description: 'Marketplaces the nodes read and write by default. Nodes can narrow this per step.',
		displayOptions: { show: { region: [region] } },
	};
}

export class AmazonSellingPartnerApi implements ICredentialType {
	name = 'amazonSellingPartnerApi';

	displayName = 'Amazon Selling Partner API';

	icon: Icon = { light: 'file:../icons/amazon.svg', dark: 'file:../icons/amazon.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-amazon-shopify/n8n-nodes-amazon-shopify#amazon-selling-partner-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'LWA Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'amzn1.application-oa2-client.…',
			description: 'Client identifier of your SP-API app (Developer Central → your app → LWA credentials)',
		},
		{
			displayName: 'LWA Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Client secret of your SP-API app. Amazon requires rotating it every 180 days.',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'Atzr|…',
			description: 'The refresh token you get when you authorize the app for your seller account',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'North America (US, CA, MX, BR)', value: 'na' },
				{ name: 'Europe, Middle East, India', value: 'eu' },
				{ name: 'Far East (JP, AU, SG)', value: 'fe' },
			],
			default: 'na',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox (Amazon Static Sandbox)', value: 'sandbox' },
			],
			default: 'production',
		},
		{
			displayName: 'Seller ID (Merchant Token)',
			name: 'sellerId',
			type: 'string',
			default: '',
			placeholder: 'A1B2C3D4E5F6G7',
			description:
				'Seller Central → Settings → Account Info → Merchant Token. Required for refunds and cancellations, which Amazon receives as XML feeds addressed to it.',
		},
		marketplaceField('na', 'ATVPDKIKX0DER'),
		marketplaceField('eu', 'A1F83G8C2ARO7P'),
		marketplaceField('fe', 'A1VC38T7YXB528'),
		{
			displayName: 'Use Custom Endpoints',
			name: 'useCustomEndpoints',
			type: 'boolean',
			default: false,
			description: 'Whether to replace the Amazon hosts, for a proxy or local testing',
		},
		{
			displayName: 'SP-API Base URL',
			name: 'spApiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sp-api-proxy.example.com',
			description: 'Replaces https://sellingpartnerapi-{region}.amazon.com. Plain http is accepted only for loopback addresses.',
			displayOptions: { show: { useCustomEndpoints: [true] } },
		},
		{
			displayName: 'LWA Token URL',
			name: 'lwaTokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://lwa-proxy.example.com/auth/o2/token',
			description: 'Replaces https://api.amazon.com/auth/o2/token. Plain http is accepted only for loopback addresses.',
			displayOptions: { show: { useCustomEndpoints: [true] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token Expires At',
			name: 'accessTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: 0,
		},
	];

	/** Exchanges the refresh token for a one-hour access token; n8n stores it until it expires. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const token = await exchangeRefreshToken(this, credentials);
		return { accessToken: token.accessToken, accessTokenExpiresAt: token.accessTokenExpiresAt };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'x-amz-access-token': '={{$credentials.accessToken}}' },
		},
	};

	// A 429 from this heavily throttled call still proves the token exchange and the role work,
	// so it is not treated as a failure.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.useCustomEndpoints ? String($credentials.spApiBaseUrl).replace(/\\/+$/, "") : "https://" + ($credentials.environment === "sandbox" ? "sandbox." : "") + "sellingpartnerapi-" + $credentials.region + ".amazon.com" }}',
			url: '/sellers/v1/marketplaceParticipations',
			method: 'GET',
			ignoreHttpStatusErrors: { ignore: true, except: [400, 401, 403, 404, 500, 502, 503, 504] },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Amazon accepted the login but denied the call (403). Check that the app has the Selling Partner roles for this seller, and that the region matches the seller account.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Amazon rejected the access token (401). Check the client ID, client secret and refresh token.',
				},
			},
		],
	};
}
