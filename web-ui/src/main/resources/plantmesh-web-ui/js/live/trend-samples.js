// The numeric feature properties of one twin over the last hour, for the trend chart: from its history (when each
// change happened) and from its live changes, one series per property, in time order, each change once.

const WINDOW_SECONDS = 3600;
/** A bound per property (an hour at 5 changes a second), so a chatty twin cannot grow the page without end. */
const MAX_PER_SERIES = 18000;

export class TrendSamples {
  static WINDOW_SECONDS = WINDOW_SECONDS;

  constructor() {
    /** @type {Map<string, Array<[number, number, number|null]>>} key -> [seconds, value, revision] */
    this.series = new Map();
    /** changes whenever a value was added, so the chart knows to redraw */
    this.version = 0;
  }

  keys() {
    return [...this.series.keys()].sort();
  }

  /** @returns {Array<[number, number]>} [seconds, value] in time order */
  get(key) {
    return this.series.get(key) ?? [];
  }

  /**
   * The numeric feature properties of a (partial) thing at a time.
   * @param {object} part a thing or the changed part of one (features/<id>/properties/<name>)
   * @param {number} seconds when the values held
   * @param {number|null} [revision] the change's revision, so that the same change from the history is not added
   *     again; null for a snapshot
   */
  add(part, seconds, revision = null) {
    let added = 0;
    for (const [key, value] of numericProperties(part)) {
      const series = this.series.get(key) ?? [];
      insertInOrder(series, [seconds, value, revision]);
      this.series.set(key, series);
      added++;
    }
    if (added > 0) {
      this.trim(Date.now() / 1000);
      this.version++;
    }
    return added;
  }

  /**
   * Events of the twin's history (each the changed part with _revision and _modified), oldest first.
   * @returns {number} the values added (those of the last hour)
   */
  addHistory(events) {
    let added = 0;
    const seen = new Map();
    for (const [key, series] of this.series) {
      seen.set(key, new Set(series.map(s => s[2]).filter(r => r !== null)));
    }
    const oldest = Date.now() / 1000 - WINDOW_SECONDS;
    for (const event of events) {
      const at = Date.parse(event?._modified ?? '');
      if (Number.isNaN(at) || at / 1000 < oldest) {
        continue;
      }
      for (const [key, value] of numericProperties(event)) {
        if (seen.get(key)?.has(event._revision)) {
          continue;   // the live stream brought this change already
        }
        const series = this.series.get(key) ?? [];
        series.push([at / 1000, value, event._revision ?? null]);
        this.series.set(key, series);
        added++;
      }
    }
    for (const series of this.series.values()) {
      series.sort((a, b) => a[0] - b[0]);
    }
    this.trim(Date.now() / 1000);
    this.version++;
    return added;
  }

  /** Drops what is older than the window, and the oldest beyond the bound. */
  trim(nowSeconds) {
    const oldest = nowSeconds - WINDOW_SECONDS;
    for (const series of this.series.values()) {
      let drop = 0;
      while (drop < series.length && series[drop][0] < oldest) {
        drop++;
      }
      drop = Math.max(drop, series.length - MAX_PER_SERIES);
      if (drop > 0) {
        series.splice(0, drop);
      }
    }
  }
}

function* numericProperties(part) {
  for (const [featureId, feature] of Object.entries(part?.features ?? {})) {
    for (const [name, value] of Object.entries(feature?.properties ?? {})) {
      if (typeof value === 'number') {
        yield [`features/${featureId}/properties/${name}`, value];
      }
    }
  }
}

function insertInOrder(series, sample) {
  let i = series.length;
  while (i > 0 && series[i - 1][0] > sample[0]) {
    i--;
  }
  series.splice(i, 0, sample);
}
