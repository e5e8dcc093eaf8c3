// Eclipse Ditto's HTTP API v2 as the page uses it: search (filter, namespaces, sort, cursor paging, count), one
// thing with its revision, conditional merges, live messages and policies.

/** Fields of a thing the page reads: everything plus revision and times. */
export const THING_FIELDS = 'thingId,policyId,definition,attributes,features,_revision,_modified,_created';

export class TwinApi {
  /** @param {import('./http.js').ApiClient} client */
  constructor(client) {
    this.client = client;
  }

  /**
   * One page of a search.
   * @param {object} q {filter, namespaces, sort ('+thingId'), size, cursor, fields}
   * @returns {Promise<{items: object[], cursor: string|null}>}
   */
  async search(q) {
    const options = [];
    if (q.sort) {
      options.push(`sort(${q.sort})`);
    }
    options.push(`size(${q.size ?? 25})`);
    if (q.cursor) {
      options.push(`cursor(${q.cursor})`);
    }
    const body = await this.client.get('twin', '/search/things', {
      filter: q.filter || undefined,
      namespaces: q.namespaces || undefined,
      fields: q.fields ?? THING_FIELDS,
      option: options.join(','),
    });
    return {items: body?.items ?? [], cursor: body?.cursor ?? null};
  }

  /** Every match, page by page (bounded: at most maxPages pages). */
  async searchAll(q, maxPages = 50) {
    const all = [];
    let cursor = null;
    for (let page = 0; page < maxPages; page++) {
      const result = await this.search({...q, size: 200, cursor});
      all.push(...result.items);
      cursor = result.cursor;
      if (!cursor) {
        break;
      }
    }
    return all;
  }

  /** The number of matches. */
  async count(q) {
    const body = await this.client.get('twin', '/search/things/count', {
      filter: q.filter || undefined,
      namespaces: q.namespaces || undefined,
    });
    return Number(body);
  }

  /**
   * A thing with its revision.
   * @returns {Promise<object>} the thing JSON (with _revision, _modified, _created)
   */
  async thing(thingId) {
    return this.client.get('twin', `/things/${encodeURIComponent(thingId)}`, {fields: THING_FIELDS});
  }

  /**
   * A merge (RFC 7396) into a thing, only if the thing is still at the given revision.
   * @param {string} thingId
   * @param {object} patch e.g. {attributes: {location: 'Hall 2'}}
   * @param {number} revision the revision the change was made on
   */
  async mergeAtRevision(thingId, patch, revision) {
    return this.client.request('twin', `/things/${encodeURIComponent(thingId)}`, {
      method: 'PATCH', json: patch, contentType: 'application/merge-patch+json', ifMatch: `"rev:${revision}"`,
    });
  }

  /**
   * A live message to the thing's inbox; resolves with the answer {status, body}, rejects with an ApiError (408 on
   * timeout).
   */
  async sendMessage(thingId, subject, payload, timeoutSeconds) {
    const options = {method: 'POST', query: {timeout: `${timeoutSeconds}s`}};
    if (payload !== undefined) {
      options.json = payload;
    }
    return this.client.request('twin',
        `/things/${encodeURIComponent(thingId)}/inbox/messages/${encodeURIComponent(subject)}`, options);
  }

  async policy(policyId) {
    return this.client.get('twin', `/policies/${encodeURIComponent(policyId)}`);
  }

  async whoami() {
    return this.client.get('twin', '/whoami');
  }
}
