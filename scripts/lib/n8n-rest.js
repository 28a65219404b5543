// @ts-check
'use strict';
/**
 * What a person does in the editor, over the editor's own REST API (the same calls the editor
 * makes), for a running instance after `n8n.login()`. Same helpers for n8n 1.x and 2.x.
 *
 *   await rest.getWorkflow(n8n, id)                 // GET /rest/workflows/:id
 *   await rest.reactivate(n8n, id)                  // toggle off + on: a polling trigger polls at once
 *   await rest.activate(n8n, id)                    // the "Publish" (2.x) / "Active" (1.x) switch
 *   const { executionId } = await rest.runManually(n8n, id, 'Every Hour')   // "Execute workflow"
 *
 * Why these exist: a polling trigger polls on activation and then on its schedule (at least a
 * minute apart; the templates say every 5 minutes), and the refund template runs hourly. The
 * end-to-end story and the demo do not wait for the clock: they toggle the workflow (an
 * activation poll is a real production poll, mode "trigger") and press "Execute workflow" on the
 * scheduled ones (mode "manual"), exactly as a person in the editor can.
 */

/** @typedef {import('./n8n-instance').N8nInstance} N8nInstance */

/**
 * @param {Awaited<ReturnType<N8nInstance['request']>>} r
 * @param {string} what
 */
function unwrap(r, what) {
	if (r.status < 200 || r.status >= 300) {
		const msg = r.json && typeof r.json === 'object' && r.json.message ? r.json.message : r.text.slice(0, 500);
		throw Object.assign(new Error(`${what}: HTTP ${r.status} ${msg}`), { status: r.status, body: r.json ?? r.text });
	}
	return r.json && typeof r.json === 'object' && 'data' in r.json ? r.json.data : r.json;
}

/** @param {N8nInstance} n8n @param {string} id */
async function getWorkflow(n8n, id) {
	return unwrap(await n8n.request('GET', `/rest/workflows/${id}`), `GET workflow ${id}`);
}

/**
 * Activates (2.x: publishes the current version) a workflow on the running server. Throws with
 * n8n's own message when n8n refuses (what the editor shows in its error toast).
 * @param {N8nInstance} n8n
 * @param {string} id
 */
async function activate(n8n, id) {
	const wf = await getWorkflow(n8n, id);
	const r = await n8n.request('POST', `/rest/workflows/${id}/activate`, { body: { versionId: wf.versionId }, timeoutMs: 120_000 });
	return unwrap(r, `activate workflow ${id}`);
}

/** @param {N8nInstance} n8n @param {string} id */
async function deactivate(n8n, id) {
	const r = await n8n.request('POST', `/rest/workflows/${id}/deactivate`, { body: {}, timeoutMs: 60_000 });
	return unwrap(r, `deactivate workflow ${id}`);
}

/**
 * Switches a published workflow off and on again. n8n runs a polling trigger's poll during the
 * activation (a production poll, execution mode "trigger") and re-registers its schedule.
 * @param {N8nInstance} n8n
 * @param {string} id
 */
async function reactivate(n8n, id) {
	await deactivate(n8n, id);
	return activate(n8n, id);
}

/**
 * "Execute workflow" from a trigger node, as in the editor. Returns n8n's answer
 * (`{ executionId }`, or `{ waitingForWebhook: true }` for a webhook trigger).
 * @param {N8nInstance} n8n
 * @param {string} id
 * @param {string} triggerName
 * @returns {Promise<{ executionId?: string, waitingForWebhook?: boolean }>}
 */
async function runManually(n8n, id, triggerName) {
	/** @type {Record<string, unknown>} */
	const body = { triggerToStartFrom: { name: triggerName } };
	// 1.x takes the workflow from the request (what the editor has open); 2.x reads it from the database.
	if (n8n.major < 2) body.workflowData = await getWorkflow(n8n, id);
	const r = await n8n.request('POST', `/rest/workflows/${id}/run`, { body, timeoutMs: 120_000 });
	const data = unwrap(r, `run workflow ${id}`);
	return { ...data, executionId: data && data.executionId !== undefined ? String(data.executionId) : undefined };
}

module.exports = { getWorkflow, activate, deactivate, reactivate, runManually };
