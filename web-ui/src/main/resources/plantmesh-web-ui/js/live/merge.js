// Applying a Ditto change (the changed part of a thing, as SSE sends it) to a local copy.

/**
 * Merges the change into the target (RFC 7396 style: objects merge key by key, null deletes, anything else
 * replaces). Returns the target.
 */
export function mergeInto(target, change) {
  for (const [key, value] of Object.entries(change)) {
    if (value === null) {
      delete target[key];
    } else if (isObject(value) && isObject(target[key])) {
      mergeInto(target[key], value);
    } else {
      target[key] = isObject(value) ? structuredClone(value) : value;
    }
  }
  return target;
}

/** The value at a slash-separated path ('features/state/properties/state'), or undefined. */
export function at(object, path) {
  let current = object;
  for (const part of path.split('/')) {
    if (current === null || current === undefined) {
      return undefined;
    }
    current = current[part];
  }
  return current;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
