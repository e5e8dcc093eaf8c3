// Lit elements rendered into the light DOM, so that Bootstrap's and the page's CSS apply to them.

import {LitElement} from 'lit';

export class LightElement extends LitElement {
  createRenderRoot() {
    return this;
  }

  /** Subscribes to the live plant store while connected; re-renders on every change batch. */
  followPlant(plant, onChange) {
    this.unfollow?.();
    this.unfollow = plant.subscribe(ids => (onChange ? onChange(ids) : this.requestUpdate()));
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.unfollow?.();
    this.unfollow = null;
  }
}
