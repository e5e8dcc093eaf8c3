// Inventory from the ERP's OData API: stock per material and storage location (with the reorder points of the
// material twins), recent material documents (101 receipts, 261 issues), purchase requisitions open and received,
// and cost per order. The ERP is read again whenever a material twin changes (the ERP bridge mirrors every posting
// into them), and on demand.

import {html} from 'lit';
import {context} from '../context.js';
import {LightElement} from '../ui/light-element.js';
import {errorPanel} from '../ui/error-panel.js';
import {dateTime, number, shortId, twinHref} from '../ui/format.js';
import {odataDate} from '../api/erp.js';

const MOVEMENT_TYPES = {
  101: 'goods receipt', 102: 'receipt reversed', 261: 'issue to order', 262: 'issue reversed', 551: 'scrapping',
  552: 'scrapping reversed', 501: 'receipt without order', 502: 'reversal', 561: 'initial stock', 562: 'reversal',
};

class InventoryView extends LightElement {
  static properties = {
    erp: {state: true},
    error: {state: true},
    movementType: {state: true},
    loading: {state: true},
  };

  constructor() {
    super();
    this.erp = null;
    this.error = null;
    this.movementType = '';
    this.loading = false;
    this.lastMaterials = null;
    this.timer = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this.followPlant(context.plant, ids => this.onPlantChange(ids));
    this.load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  onPlantChange(ids) {
    const materials = context.plant.materials();
    const touched = ids.has('*') || materials.some(m => ids.has(m.thingId));
    if (touched) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.load(), 500);
    }
    this.requestUpdate();
  }

  async load() {
    if (!context.erp.available() || this.loading) {
      return;
    }
    this.loading = true;
    try {
      const [stock, documents, requisitions, costs] = await Promise.all([
        context.erp.stock(),
        context.erp.recentDocumentItems(this.movementType),
        context.erp.requisitionItems(),
        // costs are finance data: read only for roles the ERP shows them to, so no one else gets a 403 here
        context.auth.may('erp.costs') ? context.erp.orderCosts() : Promise.resolve(null),
      ]);
      this.erp = {stock, documents, requisitions, costs, at: new Date()};
      this.error = null;
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  render() {
    if (!context.erp.available()) {
      return html`<h1 class="view-title" tabindex="-1">Inventory</h1>
        <p>The web UI runs without the ERP API: start PlantMesh with its ERP (without --no-erp).</p>
        ${this.renderMaterialTwins()}`;
    }
    return html`
      <div class="d-flex flex-wrap gap-3 align-items-baseline mb-2">
        <h1 class="view-title mb-0" tabindex="-1">Inventory</h1>
        <button type="button" class="btn btn-outline-secondary btn-sm" @click=${() => this.load()}
          ?disabled=${this.loading}>Refresh from the ERP</button>
        <span class="small text-muted" role="status">${this.loading ? 'Reading the ERP…'
            : this.erp ? `ERP read at ${dateTime(this.erp.at)}` : ''}</span>
      </div>
      ${errorPanel(this.error, () => this.load())}
      ${this.renderStock()}
      <div class="row g-3">
        <div class="col-xl-6">${this.renderDocuments()}</div>
        <div class="col-xl-6">${this.renderRequisitions()}</div>
      </div>
      ${this.renderCosts()}`;
  }

  renderStock() {
    const materials = context.plant.materials();
    const stockByMaterial = new Map();
    for (const row of this.erp?.stock ?? []) {
      const list = stockByMaterial.get(row.Material) ?? [];
      list.push(row);
      stockByMaterial.set(row.Material, list);
    }
    return html`
      <h2 class="section-title">Stock and reorder points</h2>
      <table class="table table-sm table-hover bg-white" data-testid="stock">
        <caption class="visually-hidden">Stock per material and storage location</caption>
        <thead><tr><th scope="col">Material</th><th scope="col">Description</th><th scope="col">Plant / location</th>
          <th scope="col" class="num">ERP stock</th><th scope="col" class="num">Available (twin)</th>
          <th scope="col" class="num">Reorder point</th><th scope="col" class="num">Reorder qty</th>
          <th scope="col">Open requisitions</th></tr></thead>
        <tbody>${materials.map(m => {
          const a = m.attributes ?? {};
          const twinStock = m.features?.stock?.properties ?? {};
          const rows = stockByMaterial.get(a.materialNumber) ?? [];
          const erpQuantity = rows.length ? rows.reduce((sum, r) => sum + Number(r.MatlWrhsStkQtyInMatlBaseUnit ?? 0), 0)
              : null;
          const available = twinStock.available ?? twinStock.onHand;
          const below = typeof a.reorderPoint === 'number' && typeof available === 'number' && available < a.reorderPoint;
          const open = m.features?.procurement?.properties?.openRequisitions ?? [];
          return html`<tr data-material=${a.materialNumber ?? m.thingId}>
            <td class="text-nowrap"><a href=${twinHref(m.thingId)}>${a.materialNumber ?? shortId(m.thingId)}</a></td>
            <td>${a.description ?? '—'}</td>
            <td>${a.plant ?? '—'} / ${rows.map(r => r.StorageLocation).join(', ') || a.storageLocation || '—'}</td>
            <td class="num" data-testid="erp-stock" data-value=${erpQuantity ?? ''}>${erpQuantity === null ? '—' : number(erpQuantity, a.unit)}</td>
            <td class="num"><span class="text-nowrap">${number(available, a.unit)}</span>
              ${below ? html`<br><span class="badge badge-below">below reorder point</span>` : null}</td>
            <td class="num">${number(a.reorderPoint, a.unit)}</td>
            <td class="num">${number(a.reorderQuantity, a.unit)}</td>
            <td>${open.length ? open.map(r => r.requisition).join(', ') : '—'}</td>
          </tr>`;
        })}</tbody>
      </table>`;
  }

  renderMaterialTwins() {
    return this.renderStock();
  }

  renderDocuments() {
    const docs = this.erp?.documents;
    return html`
      <div class="d-flex gap-3 align-items-end">
        <h2 class="section-title">Recent material documents</h2>
        <div class="mb-2">
          <label class="form-label small mb-0" for="movement-type">Movement type</label>
          <select class="form-select form-select-sm" id="movement-type"
            @change=${e => { this.movementType = e.target.value; this.load(); }}>
            <option value="">All</option>
            <option value="101" ?selected=${this.movementType === '101'}>101 goods receipt</option>
            <option value="261" ?selected=${this.movementType === '261'}>261 goods issue to order</option>
          </select>
        </div>
      </div>
      ${docs ? html`<p class="small mb-1">${docs.total} items in all; the newest ${docs.items.length}:</p>
      <table class="table table-sm bg-white" data-testid="documents">
        <caption class="visually-hidden">Material document items, newest first</caption>
        <thead><tr><th scope="col">Document</th><th scope="col">Type</th><th scope="col">Material</th>
          <th scope="col" class="num">Quantity</th><th scope="col">Order / PO</th><th scope="col">Posted</th></tr></thead>
        <tbody>${docs.items.map(d => html`<tr>
          <td>${d.MaterialDocumentYear}/${d.MaterialDocument}-${d.MaterialDocumentItem}</td>
          <td>${d.GoodsMovementType} ${MOVEMENT_TYPES[d.GoodsMovementType] ?? ''}</td>
          <td>${d.Material}</td>
          <td class="num">${number(Number(d.QuantityInEntryUnit), d.EntryUnit)}</td>
          <td>${d.ManufacturingOrder ? html`<a href=${twinHref(d.ManufacturingOrder)}>${shortId(d.ManufacturingOrder)}</a>`
              : d.PurchaseOrder || '—'}</td>
          <td>${dateTime(odataDate(d.PostingDate))}</td></tr>`)}</tbody>
      </table>` : null}`;
  }

  renderRequisitions() {
    const items = this.erp?.requisitions;
    return html`
      <h2 class="section-title">Purchase requisitions</h2>
      ${items ? html`<table class="table table-sm bg-white" data-testid="requisitions">
        <caption class="visually-hidden">Purchase requisition items</caption>
        <thead><tr><th scope="col">Requisition</th><th scope="col">Material</th><th scope="col" class="num">Quantity</th>
          <th scope="col">State</th><th scope="col">Purchase order</th><th scope="col">Delivery</th></tr></thead>
        <tbody>${[...items].reverse().map(r => html`<tr>
          <td>${r.PurchaseRequisition}-${r.PurchaseRequisitionItem}</td><td>${r.Material}</td>
          <td class="num">${number(Number(r.RequestedQuantity), r.BaseUnit)}</td>
          <td>${r.IsClosed ? html`<span class="badge text-bg-success">received</span>`
              : html`<span class="badge text-bg-warning">open</span>`}</td>
          <td>${r.PurchasingDocument || '—'}</td><td>${dateTime(odataDate(r.DeliveryDate))}</td></tr>`)}</tbody>
      </table>` : null}`;
  }

  renderCosts() {
    const costs = this.erp?.costs;
    if (!context.auth.may('erp.costs')) {
      return html`<h2 class="section-title">Cost per order</h2>
        <p class="small" data-testid="costs-not-shown">Not shown: ${context.auth.notAllowed('erp.costs')}</p>`;
    }
    return html`
      <h2 class="section-title">Cost per order</h2>
      ${costs ? html`<table class="table table-sm bg-white" data-testid="costs">
        <caption class="visually-hidden">Costs per work order and cost centre</caption>
        <thead><tr><th scope="col">Order</th><th scope="col">Cost centre</th><th scope="col" class="num">Material</th>
          <th scope="col" class="num">Scrap</th><th scope="col" class="num">Machine</th>
          <th scope="col" class="num">Machine hours</th><th scope="col" class="num">Output credit</th>
          <th scope="col" class="num">Total</th></tr></thead>
        <tbody>${costs.map(c => html`<tr>
          <td><a href=${twinHref(c.OrderID)}>${shortId(c.OrderID)}</a></td><td>${c.CostCenter}</td>
          <td class="num">${number(Number(c.MaterialCost), c.CompanyCodeCurrency)}</td>
          <td class="num">${number(Number(c.ScrapCost), c.CompanyCodeCurrency)}</td>
          <td class="num">${number(Number(c.MachineCost), c.CompanyCodeCurrency)}</td>
          <td class="num">${number(Number(c.MachineHours), 'h')}</td>
          <td class="num">${number(Number(c.OutputCredit), c.CompanyCodeCurrency)}</td>
          <td class="num"><b>${number(Number(c.TotalCost), c.CompanyCodeCurrency)}</b></td></tr>`)}</tbody>
      </table>` : null}
      ${costs && costs.length === 0 ? html`<p class="small">No costs posted yet: they appear as orders consume
        material and confirm machine time.</p>` : null}`;
  }
}

customElements.define('pm-inventory', InventoryView);
