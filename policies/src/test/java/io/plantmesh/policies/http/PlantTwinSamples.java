package io.plantmesh.policies.http;

import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;

import io.plantmesh.twin.model.TwinKind;

/**
 * One twin of each kind of the plant {@code plant1}, valid against its Thing Model, with every part the role matrix
 * names present (so an allowed read is 200 and an allowed write of the same value is 204).
 */
final class PlantTwinSamples {

    static final String PLANT = "plant1";

    private static final Map<TwinKind, String> JSON = Map.of(
            TwinKind.MACHINE, """
                    {"thingId":"plant1:machine-1-01","policyId":"plant1:shopfloor",
                     "definition":"io.plantmesh:machine:1.0.0",
                     "attributes":{"line":"plant1:line-1","name":"Lathe 1-01",
                       "device":{"honoTenant":"plant1","deviceId":"plant1:machine-1-01"}},
                     "features":{
                       "state":{"properties":{"state":"IDLE","since":"2026-11-26T08:00:00Z"}},
                       "telemetry":{"properties":{"temperature":41.5,"timestamp":"2026-11-26T08:00:00Z"}},
                       "counters":{"properties":{"good":10,"scrap":1}},
                       "job":{"properties":{"workOrder":"plant1:wo-000001","operation":"10"},
                              "desiredProperties":{"workOrder":"plant1:wo-000001","operation":"10"}},
                       "health":{"properties":{"alarms":[],"anomalyScore":0.1,
                                 "lastAlarm":{"code":"TEMP_HIGH","severity":"WARNING"},
                                 "predictedFailure":{"component":"spindle","at":"2026-12-01T00:00:00Z"},
                                 "suspectedMode":"BEARING_WEAR",
                                 "predictiveAlarms":[{"code":"BEARING_WEAR","severity":"WARNING"}],
                                 "maintenanceRequest":{"status":"REQUESTED","start":"2026-12-01T00:00:00Z"}}},
                       "maintenance":{"properties":{"windows":{}}},
                       "oee":{"properties":{"oee":0.7}},
                       "connectivity":{"properties":{"online":true}}}}""",
            TwinKind.LINE, """
                    {"thingId":"plant1:line-1","policyId":"plant1:shopfloor","definition":"io.plantmesh:line:1.0.0",
                     "attributes":{"name":"Line 1","plant":"plant1"},
                     "features":{
                       "machines":{"properties":{"thingIds":["plant1:machine-1-01"]}},
                       "schedule":{"properties":{"queue":[]}},
                       "kpi":{"properties":{"oee":0.7}}}}""",
            TwinKind.WORK_ORDER, """
                    {"thingId":"plant1:wo-000001","policyId":"plant1:orders",
                     "definition":"io.plantmesh:work-order:1.0.0",
                     "attributes":{"material":"FG-2001","quantity":100,"dueDate":"2026-12-24T14:00:00Z",
                       "line":"plant1:line-1","priority":2},
                     "features":{
                       "status":{"properties":{"status":"RELEASED"}},
                       "progress":{"properties":{"good":0,"scrap":0}},
                       "erp":{"properties":{"confirmations":[],"goodsMovements":[],"rejections":[]}},
                       "cost":{"properties":{"materialCost":120.5,"machineCost":80,"total":200.5,
                               "currency":"EUR"}}}}""",
            TwinKind.MATERIAL, """
                    {"thingId":"plant1:mat-RAW-1001","policyId":"plant1:materials",
                     "definition":"io.plantmesh:material:1.0.0",
                     "attributes":{"materialNumber":"RAW-1001","unit":"KG","plant":"plant1","storageLocation":"0001",
                       "reorderPoint":10,"reorderQuantity":50},
                     "features":{
                       "stock":{"properties":{"onHand":100,"reserved":0,"available":100}},
                       "procurement":{"properties":{"openRequisitions":[],"requisitionsCreated":0,
                                      "requisitionsReceived":0}}}}""",
            TwinKind.GATEWAY, """
                    {"thingId":"plant1:gateway-1","policyId":"plant1:gateways",
                     "definition":"io.plantmesh:edge-gateway:1.0.0",
                     "attributes":{"name":"Edge gateway line 1","plant":"plant1","line":"plant1:line-1",
                       "device":{"tenant":"plant1","deviceId":"plant1:gateway-1"}},
                     "features":{
                       "connectivity":{"properties":{"connected":true}},
                       "buffer":{"properties":{"messages":0,"bytes":0,"boundBytes":1000000,"overflowed":0}},
                       "opcua":{"properties":{"machines":{"plant1:machine-1-01":{"session":"CONNECTED"}}}}}}""");

    private PlantTwinSamples() {
    }

    static JsonObject of(final TwinKind kind) {
        return JsonFactory.newObject(JSON.get(kind));
    }

    static String id(final TwinKind kind) {
        return of(kind).getValue("thingId").orElseThrow().asString();
    }
}
