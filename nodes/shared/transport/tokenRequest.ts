import type { IHttpRequestHelper } from 'n8n-workflow';

/**
 * The form-encoded token request both credentials make (LWA refresh-token grant, Shopify client
 * credentials grant). Status errors come back as data, so each credential can say what to fix
 * without the HTTP error, which carries the request body and so the secrets.
 */
export async function postTokenForm(
	helper: IHttpRequestHelper,
	url: string,
	form: Record<string, string>,
	contentType = 'application/x-www-form-urlencoded',
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
	const response = (await helper.helpers.httpRequest({
		method: 'POST',
		url,
		headers: { 'Content-Type': contentType },
		body: new URLSearchParams(form).toString(),
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 30_000,
	})) as { statusCode: number; body: unknown };
	return { statusCode: response.statusCode, body: parseJsonObject(response.body) };
}

function parseJsonObject(raw: unknown): Record<string, unknown> {
	if (raw && typeof raw === 'object') return raw as Record<string, unknown>;
	try {
		const parsed: unknown = JSON.parse(String(raw ?? '{}'));
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}
