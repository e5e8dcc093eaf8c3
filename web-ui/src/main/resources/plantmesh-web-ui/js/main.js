// Starts the page: config, authentication (with Keycloak: the sign-in first), API clients, the live plant store and
// alert feed, then the shell.

import {loadConfig} from './config.js';
import {context} from './context.js';
import {Auth} from './api/auth.js';
import {ApiClient} from './api/http.js';
import {TwinApi} from './api/twins.js';
import {MesApi} from './api/mes.js';
import {ErpApi} from './api/erp.js';
import {PlantStore} from './live/plant-store.js';
import {AlertFeed} from './live/alerts.js';
import {loadModels} from './ui/units.js';
import {showSignIn} from './ui/sign-in.js';

async function start() {
  const config = await loadConfig();
  context.config = config;
  context.auth = new Auth(config);
  context.client = new ApiClient(config, context.auth);
  context.twins = new TwinApi(context.client);
  context.mes = new MesApi(context.client);
  context.erp = new ErpApi(context.client);
  if (context.auth.oidc) {
    let problem = null;
    const signedIn = await context.auth.start().catch(e => {
      problem = e;
      return false;
    });
    if (!signedIn) {
      document.getElementById('boot-message')?.remove();
      showSignIn(context.auth, problem);
      return;
    }
  }
  await loadModels(config);
  context.plant = new PlantStore(context.client, context.twins, config.namespaces);
  context.alerts = new AlertFeed(context.plant);
  context.plant.start();
  document.getElementById('boot-message')?.remove();
  await import('./app.js');
  window.plantmesh = context; // for the browser's console (and the browser tests' diagnostics)
}

start().catch(e => {
  const message = document.getElementById('boot-message');
  if (message) {
    message.className = 'alert alert-danger m-4';
    message.setAttribute('role', 'alert');
    message.textContent = `PlantMesh's web UI could not start: ${e?.message ?? e}`;
  }
});
