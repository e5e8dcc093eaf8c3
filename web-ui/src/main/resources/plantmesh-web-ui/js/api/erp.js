// The ERP's OData V2 services in SAP S/4HANA's shapes (docs/erp-api.md), read-only: stock, material documents,
// purchase requisitions, order costs.

const STOCK = '/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod';
const DOCUMENT_ITEMS = '/API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem';
const REQUISITION_ITEMS = '/API_PURCHASEREQ_PROCESS_SRV/A_PurchaseRequisitionItem';
const ORDER_COSTS = '/ZPLANTMESH_ORDER_COST_SRV/OrderCostTotal';

export class ErpApi {
  /** @param {import('./http.js').ApiClient} client */
  constructor(client) {
    this.client = client;
  }

  available() {
    return this.client.available('erp');
  }

  async results(path, query) {
    const body = await this.client.get('erp', path, {$format: 'json', ...query});
    return {results: body?.d?.results ?? [], count: body?.d?.__count !== undefined ? Number(body.d.__count) : null};
  }

  /** Stock per material, plant and storage location. */
  async stock() {
    return (await this.results(STOCK, {$top: 1000})).results;
  }

  /**
   * The newest material document items (the ERP lists them in key order, so the last page is the newest).
   * @param {string} [movementType] e.g. '101' or '261'; all when empty
   */
  async recentDocumentItems(movementType, howMany = 25) {
    const filter = movementType ? `GoodsMovementType eq '${movementType}'` : undefined;
    const {count} = await this.results(DOCUMENT_ITEMS, {$filter: filter, $top: 1, $inlinecount: 'allpages'});
    const skip = Math.max(0, (count ?? 0) - howMany);
    const {results} = await this.results(DOCUMENT_ITEMS, {$filter: filter, $skip: skip, $top: howMany});
    return {items: results.reverse(), total: count ?? results.length};
  }

  async requisitionItems() {
    return (await this.results(REQUISITION_ITEMS, {$top: 500})).results;
  }

  async orderCosts() {
    return (await this.results(ORDER_COSTS, {$top: 500})).results;
  }
}

/** OData V2 '/Date(1795996800000)/' as a Date, or null. */
export function odataDate(value) {
  const match = /\/Date\((-?\d+)/.exec(value ?? '');
  return match ? new Date(Number(match[1])) : null;
}
