// The page before sign-in (Keycloak on): what PlantMesh is, a "Sign in" button that goes to the identity provider's
// login page, and why a previous attempt failed. Plain DOM: nothing else of the page runs until the user is signed in.

/**
 * @param {import('../api/auth.js').Auth} auth
 * @param {Error|null} problem why the last sign-in failed, or null
 */
export function showSignIn(auth, problem) {
  const host = document.querySelector('pm-app') ?? document.body;
  host.replaceChildren();
  const main = element('main', {id: 'main', class: 'container py-5 sign-in', tabindex: '-1'});
  const card = element('section', {class: 'panel mx-auto', 'aria-labelledby': 'sign-in-heading',
    'data-testid': 'sign-in-panel'});
  card.append(
      element('h1', {id: 'sign-in-heading', class: 'h4'}, 'PlantMesh'),
      element('p', {}, 'Sign in with your plant account to see the shop floor, production and inventory. What you'
          + ' see and may change follows your role.'));
  if (problem) {
    card.append(element('div', {class: 'alert alert-danger small', role: 'alert', 'data-testid': 'sign-in-error'},
        problem.message ?? String(problem)));
  }
  const button = element('button', {type: 'button', class: 'btn btn-primary', id: 'sign-in'}, 'Sign in');
  const status = element('p', {class: 'small mt-2', role: 'status'});
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Going to the sign-in page…';
    try {
      await auth.signIn();
    } catch (e) {
      button.disabled = false;
      status.textContent = e?.message ?? String(e);
    }
  });
  card.append(button, status, element('p', {class: 'small text-secondary mt-3'},
      `Signed in by ${auth.identityProvider.issuer} (OpenID Connect, client ${auth.identityProvider.clientId}).`));
  main.append(card);
  host.append(main);
  button.focus();
}

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}
