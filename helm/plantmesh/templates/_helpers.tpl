{{/* vim: set filetype=mustache: */}}

{{/* Name of PlantMesh's own resources: the release name, or <release>-plantmesh when it does not contain it. */}}
{{- define "plantmesh.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every PlantMesh resource; call with (dict "root" $ "component" "<name>"). */}}
{{- define "plantmesh.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: plantmesh
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "plantmesh.selectorLabels" . }}
{{- end -}}

{{- define "plantmesh.selectorLabels" -}}
app.kubernetes.io/name: plantmesh-{{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* The image of a PlantMesh service; call with (dict "root" $ "service" "<name>"). */}}
{{- define "plantmesh.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s/%s" $image.repositoryPrefix .service | trimPrefix "/" -}}
{{- if $image.registry -}}
{{- $repository = printf "%s/%s" $image.registry $repository -}}
{{- end -}}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/*
A generated secret value that survives upgrades: the value already in the cluster's Secret (lookup), else one
generated in this render and remembered for the rest of it (so two Secrets that need the same password agree).
Call with (dict "root" $ "secret" "<name>" "key" "<key>" "length" 24).
*/}}
{{- define "plantmesh.secretValue" -}}
{{- $cache := .root.Values._plantmeshGenerated -}}
{{- if not $cache -}}
{{- $cache = dict -}}
{{- $_ := set .root.Values "_plantmeshGenerated" $cache -}}
{{- end -}}
{{- $cacheKey := printf "%s/%s" .secret .key -}}
{{- if not (hasKey $cache $cacheKey) -}}
{{- $value := "" -}}
{{- $existing := dict -}}
{{- if .root.Values.generatedSecrets.lookup -}}
{{- $existing = lookup "v1" "Secret" .root.Release.Namespace .secret -}}
{{- end -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- $value = index $existing.data .key | b64dec -}}
{{- else -}}
{{- $value = randAlphaNum (int (default 24 .length)) -}}
{{- end -}}
{{- $_ := set $cache $cacheKey $value -}}
{{- end -}}
{{- index $cache $cacheKey -}}
{{- end -}}

{{/* Annotations of generated Secrets: kept on uninstall, because data on volumes was set up with them. */}}
{{- define "plantmesh.generatedSecretAnnotations" -}}
helm.sh/resource-policy: keep
plantmesh.io/generated: "true"
{{- end -}}

{{/* ---- where the dependencies are, as PlantMesh's services see them ---- */}}

{{- define "plantmesh.kafkaBootstrapServers" -}}
{{- if .Values.kafka.enabled -}}
{{- printf "%s:9092" .Values.kafka.fullnameOverride -}}
{{- else -}}
{{- if not .Values.externalKafka.bootstrapServers -}}
{{- fail "kafka.enabled is false but externalKafka.bootstrapServers is empty: list your Kafka's bootstrap servers there (a YAML list in a values file, e.g. [\"broker-0.kafka:9092\"]), or enable the embedded Kafka (kafka.enabled=true)." -}}
{{- end -}}
{{- join "," .Values.externalKafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{/* Base URL of Ditto's HTTP API host (nginx of the Ditto chart, or the external one), without a trailing slash. */}}
{{- define "plantmesh.dittoUrl" -}}
{{- if .Values.ditto.enabled -}}
{{- printf "http://%s-nginx:8080" .Values.ditto.fullnameOverride -}}
{{- else -}}
{{- required "ditto.enabled is false but externalDitto.url is empty: set it to your Ditto's base URL (its nginx or ingress, e.g. https://ditto.example.com), or enable the Ditto dependency (ditto.enabled=true)." .Values.externalDitto.url | trimSuffix "/" -}}
{{- end -}}
{{- end -}}

{{- define "plantmesh.dittoWebSocket" -}}
{{- $url := include "plantmesh.dittoUrl" . -}}
{{- printf "%s/ws/2" (regexReplaceAll "^http" $url "ws") -}}
{{- end -}}

{{- define "plantmesh.registryUrl" -}}
{{- if .Values.hono.enabled -}}
{{- printf "http://%s-service-device-registry-ext:28080/v1" .Values.hono.fullnameOverride -}}
{{- else -}}
{{- required "hono.enabled is false but externalHono.registryUrl is empty: set it to your Hono device registry's management API (e.g. https://hono.example.com:28443/v1), or enable the Hono dependency (hono.enabled=true)." .Values.externalHono.registryUrl | trimSuffix "/" -}}
{{- end -}}
{{- end -}}

{{- define "plantmesh.mqttHost" -}}
{{- if .Values.hono.enabled -}}
{{- printf "%s-adapter-mqtt" .Values.hono.fullnameOverride -}}
{{- else -}}
{{- required "hono.enabled is false but externalHono.mqttHost is empty: set your Hono MQTT adapter's host for the edge gateway, or enable the Hono dependency." .Values.externalHono.mqttHost -}}
{{- end -}}
{{- end -}}

{{- define "plantmesh.mqttPort" -}}
{{- if .Values.hono.enabled -}}1883{{- else -}}{{ .Values.externalHono.mqttPort }}{{- end -}}
{{- end -}}

{{/* Keycloak's base URL (empty when there is none), its issuer, and the issuer as Ditto writes it (no scheme). */}}
{{- define "plantmesh.keycloakUrl" -}}
{{- if .Values.keycloak.enabled -}}
{{- printf "http://%s" .Values.keycloak.fullnameOverride -}}
{{- else -}}
{{- .Values.externalKeycloak.url | trimSuffix "/" -}}
{{- end -}}
{{- end -}}

{{- define "plantmesh.issuer" -}}
{{- $url := include "plantmesh.keycloakUrl" . -}}
{{- if $url -}}{{ printf "%s/realms/%s" $url .Values.security.realm }}{{- end -}}
{{- end -}}

{{/* The MES API inside the cluster (https when PlantMesh's listeners serve TLS); empty when it is off. */}}
{{- define "plantmesh.mesApiUrl" -}}
{{- if .Values.mesApi.enabled -}}
{{- printf "%s://%s-mes-api:%d/api/mes/v1" (ternary "https" "http" .Values.tls.enabled) (include "plantmesh.fullname" .) (int .Values.mesApi.port) -}}
{{- end -}}
{{- end -}}

{{- define "plantmesh.erpUrl" -}}
{{- if .Values.erpBridge.erpUrl -}}
{{- .Values.erpBridge.erpUrl -}}
{{- else if .Values.erpModules.enabled -}}
{{- printf "%s://%s-erp-modules:%d/sap/opu/odata/sap/" (ternary "https" "http" .Values.tls.enabled) (include "plantmesh.fullname" .) (int .Values.erpModules.port) -}}
{{- else -}}
{{- fail "erpBridge.enabled is true but there is no ERP: set erpBridge.erpUrl to your ERP's OData base (e.g. https://s4.example.com/sap/opu/odata/sap/), enable the ERP modules (erpModules.enabled=true), or switch the ERP bridge off." -}}
{{- end -}}
{{- end -}}

{{/* ---- Secrets PlantMesh's services read ---- */}}

{{- define "plantmesh.dittoUsersSecret" -}}
{{- default "plantmesh-ditto-users" .Values.security.dittoUsersSecret -}}
{{- end -}}

{{- define "plantmesh.mongodbSecret" -}}
{{- if and (not .Values.mongodb.enabled) .Values.externalMongodb.existingSecret -}}
{{- .Values.externalMongodb.existingSecret -}}
{{- else -}}
{{- printf "%s-mongodb" (include "plantmesh.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The key of the MongoDB Secret with the maintenance service's connection string. */}}
{{- define "plantmesh.maintenanceUriKey" -}}
{{- if and (not .Values.mongodb.enabled) .Values.externalMongodb.existingSecret -}}
{{- .Values.externalMongodb.maintenanceUriKey | default "maintenance-uri" -}}
{{- else -}}
maintenance-uri
{{- end -}}
{{- end -}}

{{/* The Secret whose ca.crt PlantMesh's services trust for https/wss peers; empty: the JVM's default trust store. */}}
{{- define "plantmesh.caSecret" -}}
{{- if .Values.tls.caSecret -}}
{{- .Values.tls.caSecret -}}
{{- else if .Values.tls.enabled -}}
{{- .Values.tls.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* Whether the Secret of the Keycloak clients' secrets is needed: services sign in with them, or the realm is applied. */}}
{{- define "plantmesh.oauthClientsNeeded" -}}
{{- if or (eq .Values.security.mode "oauth") (and .Values.provisioning.enabled .Values.provisioning.keycloakRealm (include "plantmesh.keycloakUrl" .)) -}}true{{- end -}}
{{- end -}}

{{/* The service-account clients of the realm as code (PlantMeshRealm), keys of the clients' Secret. */}}
{{- define "plantmesh.oauthClientIds" -}}
plantmesh-mes-bridge,plantmesh-erp-bridge,plantmesh-twin-ingestion,plantmesh-edge-gateway,plantmesh-maintenance,plantmesh-provisioning
{{- end -}}

{{- define "plantmesh.credentialsSecret" -}}
{{- printf "%s-credentials" (include "plantmesh.fullname" .) -}}
{{- end -}}

{{- define "plantmesh.oauthClientsSecret" -}}
{{- default (printf "%s-oauth-clients" (include "plantmesh.fullname" .)) .Values.security.oauthClientsSecret -}}
{{- end -}}

{{- define "plantmesh.devicePasswordSecret" -}}
{{- default (include "plantmesh.credentialsSecret" .) .Values.provisioning.devicePasswordSecret -}}
{{- end -}}

{{- define "plantmesh.erpPasswordSecret" -}}
{{- default (include "plantmesh.credentialsSecret" .) .Values.erpBridge.erpPasswordSecret -}}
{{- end -}}

{{- define "plantmesh.keycloakAdminSecret" -}}
{{- if .Values.keycloak.enabled -}}
{{- .Values.keycloak.auth.existingSecret -}}
{{- else -}}
{{- .Values.externalKeycloak.adminSecret -}}
{{- end -}}
{{- end -}}

{{- define "plantmesh.keycloakAdminKey" -}}
{{- if .Values.keycloak.enabled -}}
{{- default "admin-password" .Values.keycloak.auth.passwordSecretKey -}}
{{- else -}}admin-password{{- end -}}
{{- end -}}

{{- define "plantmesh.keycloakAdminUser" -}}
{{- if .Values.keycloak.enabled -}}{{ .Values.keycloak.auth.adminUser }}{{- else -}}{{ .Values.externalKeycloak.adminUser }}{{- end -}}
{{- end -}}

{{/* Lines the MES bridges manage: the configured ones, or lines 1..5 of every tenant (the demo plant's). */}}
{{- define "plantmesh.mesLines" -}}
{{- if .Values.mesBridge.lines -}}
{{- join "," .Values.mesBridge.lines -}}
{{- else -}}
{{- $lines := list -}}
{{- range .Values.plant.tenants -}}
{{- $tenant := .name -}}
{{- range $n := until 5 -}}
{{- $lines = append $lines (printf "%s:line-%d" $tenant (add1 $n)) -}}
{{- end -}}
{{- end -}}
{{- join "," $lines -}}
{{- end -}}
{{- end -}}

{{- define "plantmesh.tenantNames" -}}
{{- $names := list -}}
{{- range .Values.plant.tenants -}}{{- $names = append $names .name -}}{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{- define "plantmesh.demoTenantNames" -}}
{{- $names := list -}}
{{- range .Values.plant.tenants -}}{{- if .demo -}}{{- $names = append $names .name -}}{{- end -}}{{- end -}}
{{- join "," $names -}}
{{- end -}}
