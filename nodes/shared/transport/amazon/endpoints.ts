import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { LWA_TOKEN_URL, spApiHost } from '../../marketplaces';
import { normaliseBaseUrl } from '../endpoints';

export type AmazonRegion = 'na' | 'eu' | 'fe';

export interface AmazonEndpoints {
	spApiBaseUrl: string;
	lwaTokenUrl: string;
	region: AmazonRegion;
}

/** Where SP-API and LWA live for this credential: the regional hosts, or the custom endpoints. */
export function amazonEndpoints(credentials: ICredentialDataDecryptedObject): AmazonEndpoints {
	const region = String(credentials.region ?? 'na') as AmazonRegion;
	if (!['na', 'eu', 'fe'].includes(region)) {
		throw new Error(`Unknown Amazon region "${region}". Choose North America (na), Europe (eu) or Far East (fe) in the credential.`);
	}
	if (credentials.useCustomEndpoints === true) {
		return {
			region,
			spApiBaseUrl: normaliseBaseUrl(String(credentials.spApiBaseUrl ?? ''), 'SP-API Base URL'),
			lwaTokenUrl: normaliseBaseUrl(String(credentials.lwaTokenUrl ?? ''), 'LWA Token URL'),
		};
	}
	const environment = credentials.environment === 'sandbox' ? 'sandbox' : 'production';
	return { region, spApiBaseUrl: spApiHost(region, environment), lwaTokenUrl: LWA_TOKEN_URL };
}
