// Loads config.json, the one place the page learns where the APIs are and how to authenticate.

/**
 * @returns {Promise<object>} {apis: {twin, mes, erp: {base, available}}, auth: {mode, logins}, identityProvider,
 *     namespaces, models}
 */
export async function loadConfig() {
  const response = await fetch('config.json', {cache: 'no-store'});
  if (!response.ok) {
    throw new Error(`The web UI's config.json could not be read (HTTP ${response.status}). Reload the page; if it`
        + ' persists, restart PlantMesh.');
  }
  return response.json();
}
