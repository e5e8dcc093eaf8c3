// The page's services, set once by main.js: config, auth, API clients, the live plant store and the alert feed.

export const context = {
  /** @type {object} */ config: null,
  /** @type {import('./api/auth.js').Auth} */ auth: null,
  /** @type {import('./api/http.js').ApiClient} */ client: null,
  /** @type {import('./api/twins.js').TwinApi} */ twins: null,
  /** @type {import('./api/mes.js').MesApi} */ mes: null,
  /** @type {import('./api/erp.js').ErpApi} */ erp: null,
  /** @type {import('./live/plant-store.js').PlantStore} */ plant: null,
  /** @type {import('./live/alerts.js').AlertFeed} */ alerts: null,
};
