{{/*
Consistency checks between PlantMesh's view and the values given to the Ditto and Hono charts, which cannot be
templated from here: a mismatch fails the render with what to set.
*/}}
{{- define "plantmesh.checks" -}}
{{- $v := .Values -}}
{{- if not $v.plant.tenants -}}
{{- fail "plant.tenants is empty: list at least one Hono tenant (= Ditto namespace), e.g. [{name: plant1, demo: true}]." -}}
{{- end -}}
{{- range $v.plant.tenants -}}
{{- if not (regexMatch "^[a-zA-Z0-9_.-]+$" (toString .name)) -}}
{{- fail (printf "plant.tenants: %q is not a valid Hono tenant id (letters, digits, '-', '_', '.'): rename it." (toString .name)) -}}
{{- end -}}
{{- end -}}
{{- if not (has $v.security.mode (list "basic" "oauth")) -}}
{{- fail (printf "security.mode must be basic or oauth, was %q." $v.security.mode) -}}
{{- end -}}
{{- if and (eq $v.security.mode "oauth") (not (include "plantmesh.keycloakUrl" .)) -}}
{{- fail "security.mode is oauth but there is no Keycloak: enable keycloak.enabled or set externalKeycloak.url." -}}
{{- end -}}
{{- if and $v.tls.enabled (not $v.tls.existingSecret) -}}
{{- fail "tls.enabled is true but tls.existingSecret is empty: name a kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt), e.g. one made by cert-manager or `plantmesh certs`." -}}
{{- end -}}
{{- if and (not $v.mongodb.enabled) (not $v.externalMongodb.existingSecret) (not $v.externalMongodb.uri) -}}
{{- fail "mongodb.enabled is false but neither externalMongodb.existingSecret nor externalMongodb.uri is set: name a Secret with keys mes-uri, erp-uri and maintenance-uri (connection strings), or give the URI." -}}
{{- end -}}
{{- if and (not $v.mongodb.enabled) $v.externalMongodb.existingSecret $v.maintenance.enabled $v.generatedSecrets.lookup -}}
{{- /* an install against a cluster: a Secret made before the maintenance service may lack its key */ -}}
{{- $uris := lookup "v1" "Secret" .Release.Namespace $v.externalMongodb.existingSecret -}}
{{- $key := include "plantmesh.maintenanceUriKey" . -}}
{{- if and $uris $uris.data (not (hasKey $uris.data $key)) -}}
{{- fail (printf "The Secret %s (externalMongodb.existingSecret) has no key %s for the maintenance service: add it (a connection string for database plantmesh_maintenance), set externalMongodb.maintenanceUriKey=mes-uri to share the MES's connection string (its user needs readWrite on plantmesh_maintenance), or set maintenance.enabled=false." $v.externalMongodb.existingSecret $key) -}}
{{- end -}}
{{- end -}}
{{- $bootstrap := include "plantmesh.kafkaBootstrapServers" . -}}
{{- if $v.ditto.enabled -}}
{{- $ditto := $v.ditto -}}
{{- if and $v.mongodb.enabled (dig "mongodb" "enabled" true $ditto) -}}
{{- fail "ditto.mongodb.enabled must be false: PlantMesh shares one MongoDB (mongodb.*) with Ditto and Hono." -}}
{{- end -}}
{{- if and $v.mongodb.enabled (ne (dig "dbconfig" "uriSecret" "" $ditto) "plantmesh-ditto-mongodb") -}}
{{- fail "ditto.dbconfig.uriSecret must be plantmesh-ditto-mongodb while the embedded MongoDB is used: that Secret holds Ditto's connection strings with the generated password." -}}
{{- end -}}
{{- if ne (dig "global" "existingSecret" "" $ditto) (include "plantmesh.dittoUsersSecret" .) -}}
{{- fail (printf "ditto.global.existingSecret must name the Secret of PlantMesh's Ditto user (%s, security.dittoUsersSecret), so Ditto's nginx knows the password PlantMesh's services use." (include "plantmesh.dittoUsersSecret" .)) -}}
{{- end -}}
{{- $issuer := include "plantmesh.issuer" . -}}
{{- if $issuer -}}
{{- $dittoIssuer := dig "gateway" "config" "authentication" "oauth" "openidConnectIssuers" "keycloak" "issuer" "" $ditto -}}
{{- $expected := regexReplaceAll "^https?://" $issuer "" -}}
{{- if ne $dittoIssuer $expected -}}
{{- fail (printf "Ditto's issuer ditto.gateway.config.authentication.oauth.openidConnectIssuers.keycloak.issuer is %q but PlantMesh's Keycloak issues tokens as %s: set it to %q (the issuer without scheme)." $dittoIssuer $issuer $expected) -}}
{{- end -}}
{{- $protocol := "https" -}}
{{- range (dig "gateway" "extraEnv" (list) $ditto) -}}
{{- if eq .name "OAUTH_PROTOCOL" -}}{{- $protocol = .value -}}{{- end -}}
{{- end -}}
{{- if and (hasPrefix "http://" $issuer) (ne $protocol "http") -}}
{{- fail (printf "Keycloak (%s) is plain HTTP: add {name: OAUTH_PROTOCOL, value: http} to ditto.gateway.extraEnv so Ditto fetches its keys over HTTP." $issuer) -}}
{{- end -}}
{{- if and (hasPrefix "https://" $issuer) (ne $protocol "https") -}}
{{- fail (printf "Keycloak (%s) is HTTPS: remove OAUTH_PROTOCOL=http from ditto.gateway.extraEnv." $issuer) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $v.hono.enabled -}}
{{- $hono := $v.hono -}}
{{- if dig "kafkaMessagingClusterExample" "enabled" true $hono -}}
{{- fail "hono.kafkaMessagingClusterExample.enabled must be false: Hono uses PlantMesh's shared Kafka." -}}
{{- end -}}
{{- $honoBootstrap := dig "adapters" "kafkaMessagingSpec" "commonClientConfig" "bootstrap.servers" "" $hono -}}
{{- if ne $honoBootstrap $bootstrap -}}
{{- fail (printf "Hono's Kafka (hono.adapters.kafkaMessagingSpec.commonClientConfig.\"bootstrap.servers\") is %q but PlantMesh uses %q: set it to %q in your values file (a plain YAML key, no --set escaping needed)." $honoBootstrap $bootstrap $bootstrap) -}}
{{- end -}}
{{- if and $v.mongodb.enabled (ne (dig "deviceRegistryExample" "mongoDBBasedDeviceRegistry" "mongodb" "host" "" $hono) $v.mongodb.fullnameOverride) -}}
{{- fail (printf "hono.deviceRegistryExample.mongoDBBasedDeviceRegistry.mongodb.host must be %s, the shared MongoDB." $v.mongodb.fullnameOverride) -}}
{{- end -}}
{{- end -}}
{{- end -}}
