// Units and titles of the twins' properties, read from the plant's WoT Thing Models (twin-models), the single source
// of truth, served by the web UI server at models/<kind>.

const models = new Map();

/** Loads the Thing Models named in config.json (failures leave units out, they never break a view). */
export async function loadModels(config) {
  await Promise.all(Object.entries(config.models ?? {}).map(async ([kind, model]) => {
    try {
      const response = await fetch(model.url);
      if (response.ok) {
        models.set(model.definition, await response.json());
      }
    } catch {
      // a view without units is still a view
    }
  }));
}

/** The unit of a feature property of a definition, e.g. ('io.plantmesh:machine:1.0.0', 'telemetry', 'spindleSpeed'). */
export function unitOf(definition, feature, property) {
  return models.get(definition)?.['pm:features']?.[feature]?.properties?.[property]?.unit ?? '';
}
