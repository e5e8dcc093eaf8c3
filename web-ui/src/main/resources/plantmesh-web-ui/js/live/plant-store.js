// The plant as the page knows it: every machine, line, work order, material and edge gateway twin of the plant's
// namespaces,
// loaded by search and kept current by one Ditto SSE stream. Views subscribe and re-render; nothing polls.

import {EventStream} from '../api/sse.js';
import {mergeInto} from './merge.js';

export const KINDS = {
  'io.plantmesh:machine:1.0.0': 'machine',
  'io.plantmesh:line:1.0.0': 'line',
  'io.plantmesh:work-order:1.0.0': 'workOrder',
  'io.plantmesh:material:1.0.0': 'material',
  'io.plantmesh:edge-gateway:1.0.0': 'gateway',
};

const FIELDS = 'thingId,policyId,definition,attributes,features,_revision,_modified';

/** The kind of a thing by its definition ('machine', 'line', 'workOrder', 'material', 'gateway'), else null. */
export function kindOf(thing) {
  return KINDS[thing?.definition] ?? null;
}

export class PlantStore extends EventTarget {
  /**
   * @param {import('../api/http.js').ApiClient} client
   * @param {import('../api/twins.js').TwinApi} twins
   * @param {string[]} namespaces
   */
  constructor(client, twins, namespaces) {
    super();
    this.twins = twins;
    this.namespaces = namespaces;
    /** @type {Map<string, object>} thing id -> thing */
    this.things = new Map();
    this.loaded = false;
    this.loading = null;
    this.error = null;
    this.pending = [];
    this.changed = new Set();
    this.flushScheduled = false;
    this.stream = new EventStream(client, 'twin', '/things', {namespaces: namespaces.join(','), fields: FIELDS});
    this.stream.addEventListener('data', e => this.onEvent(e.detail));
    this.stream.addEventListener('resync', () => this.load());
  }

  /** Opens the live stream first (so nothing between snapshot and stream is lost), then loads the snapshot. */
  start() {
    this.stream.start();
    return this.load();
  }

  /** (Re)loads every plant twin by search; events that arrive meanwhile are applied on top by revision. */
  load() {
    if (this.loading) {
      return this.loading;
    }
    this.loading = (async () => {
      try {
        const filter = `in(definition,${Object.keys(KINDS).map(d => JSON.stringify(d)).join(',')})`;
        const items = await this.twins.searchAll({filter, namespaces: this.namespaces.join(','), fields: FIELDS,
          sort: '+thingId'});
        const fresh = new Map(items.map(thing => [thing.thingId, thing]));
        this.things = fresh;
        this.loaded = true;
        this.error = null;
        const buffered = this.pending;
        this.pending = [];
        buffered.forEach(change => this.apply(change));
        this.changed.add('*');
        this.scheduleFlush();
      } catch (e) {
        this.error = e;
        this.changed.add('*');
        this.scheduleFlush();
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  onEvent(change) {
    if (!change?.thingId) {
      return;
    }
    if (!this.loaded || this.loading) {
      this.pending.push(change);
      if (!this.loaded) {
        return;
      }
    }
    this.apply(change);
  }

  apply(change) {
    const known = this.things.get(change.thingId);
    if (known && typeof change._revision === 'number' && typeof known._revision === 'number'
        && change._revision <= known._revision) {
      return; // already in the snapshot
    }
    if (known) {
      mergeInto(known, change);
    } else if (change.definition && KINDS[change.definition]) {
      this.things.set(change.thingId, structuredClone(change));
    } else {
      return; // a new thing we know too little about: the next load brings it
    }
    this.changed.add(change.thingId);
    this.scheduleFlush();
  }

  scheduleFlush() {
    if (this.flushScheduled) {
      return;
    }
    this.flushScheduled = true;
    // one re-render per frame however many events arrive
    requestAnimationFrame(() => {
      this.flushScheduled = false;
      const ids = this.changed;
      this.changed = new Set();
      this.dispatchEvent(new CustomEvent('change', {detail: {ids}}));
    });
  }

  get(thingId) {
    return this.things.get(thingId);
  }

  /** Things of a kind, by thing id. */
  all(kind) {
    return [...this.things.values()].filter(thing => kindOf(thing) === kind)
        .sort((a, b) => a.thingId.localeCompare(b.thingId, undefined, {numeric: true}));
  }

  machines() {
    return this.all('machine');
  }

  lines() {
    return this.all('line');
  }

  orders() {
    return this.all('workOrder');
  }

  materials() {
    return this.all('material');
  }

  gateways() {
    return this.all('gateway');
  }

  /** The machines of a line, in the line's flow order (its machines feature), else by id. */
  machinesOf(line) {
    const order = line?.features?.machines?.properties?.thingIds ?? [];
    const ofLine = this.machines().filter(m => m.attributes?.line === line.thingId);
    const position = id => {
      const index = order.indexOf(id);
      return index < 0 ? Number.MAX_SAFE_INTEGER : index;
    };
    return ofLine.sort((a, b) => position(a.thingId) - position(b.thingId)
        || a.thingId.localeCompare(b.thingId, undefined, {numeric: true}));
  }

  /** Calls back on every change batch until the returned function is called. */
  subscribe(callback) {
    const listener = e => callback(e.detail.ids);
    this.addEventListener('change', listener);
    return () => this.removeEventListener('change', listener);
  }
}
