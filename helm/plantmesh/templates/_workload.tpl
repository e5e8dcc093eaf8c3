{{/*
The container env of a PlantMesh service: secrets by reference only. Call with (dict "root" $ "twins" bool
"mongo" "mes-uri"|"erp-uri"|"maintenance-uri"|"" "erpPassword" bool "devicePassword" bool). "twins": the service signs
in to Ditto, so with security.mode=basic it gets the Ditto user's password (with oauth its Keycloak client's secret is
a mounted file instead, see plantmesh.workload); "dittoPassword": the Ditto user's password in either mode (for a
caller that always signs in as that user; provisioning is a "twins" caller: with oauth it writes policies and twins
as its Keycloak client plantmesh-provisioning).
*/}}
{{- define "plantmesh.env" -}}
{{- $root := .root -}}
- name: JAVA_TOOL_OPTIONS
  value: {{ $root.Values.common.javaOptions | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- if or .dittoPassword (and .twins (eq $root.Values.security.mode "basic")) }}
- name: PLANTMESH_DITTO_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "plantmesh.dittoUsersSecret" $root }}
      key: {{ $root.Values.security.dittoUser }}
{{- end }}
{{- if .mongo }}
- name: PLANTMESH_MONGO_URI
  valueFrom:
    secretKeyRef:
      name: {{ include "plantmesh.mongodbSecret" $root }}
      key: {{ .mongo }}
{{- end }}
{{- if .erpPassword }}
- name: PLANTMESH_ERP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "plantmesh.erpPasswordSecret" $root }}
      key: erp-password
{{- end }}
{{- if .devicePassword }}
- name: PLANTMESH_DEVICE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "plantmesh.devicePasswordSecret" $root }}
      key: device-password
{{- end }}
{{- end -}}

{{/*
A Deployment and its Service for one PlantMesh service. Call with (dict "root" $ "service" "<name>" "values"
<its values> "httpPort" <port or 0> "readinessPath" "<path on the http port, or empty for the management port>"
"envArgs" <dict for plantmesh.env> "replicas" <n> "oauthClient" "<Keycloak client id, or empty>" "serveTls" bool).
With security.mode=oauth the key <oauthClient> of the clients' Secret is mounted as /etc/plantmesh/oauth/client-secret
(oauth.client.secret.file); with tls.enabled and serveTls the listener's certificate as /etc/plantmesh/tls; the CAs the
service trusts (plantmesh.caSecret) as /etc/plantmesh/ca/ca.crt (tls.ca.file).
*/}}
{{- define "plantmesh.workload" -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $fullname := include "plantmesh.fullname" $root -}}
{{- $labels := dict "root" $root "component" .service -}}
{{- $management := int $root.Values.common.managementPort -}}
{{- $serveTls := false -}}
{{- if and $root.Values.tls.enabled .serveTls (gt (int .httpPort) 0) -}}{{- $serveTls = true -}}{{- end -}}
{{- $scheme := ternary "HTTPS" "HTTP" $serveTls -}}
{{- $oauthClient := and (eq $root.Values.security.mode "oauth") .oauthClient -}}
{{- $caSecret := include "plantmesh.caSecret" $root -}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $fullname }}-{{ .service }}
  labels:
    {{- include "plantmesh.labels" $labels | nindent 4 }}
spec:
  replicas: {{ .replicas | default 1 }}
  {{- if eq (int (.replicas | default 1)) 1 }}
  strategy:
    type: {{ .strategy | default "RollingUpdate" }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "plantmesh.selectorLabels" $labels | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "plantmesh.labels" $labels | nindent 8 }}
        {{- with $root.Values.common.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- if $root.Values.common.prometheusAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $management | quote }}
        prometheus.io/path: /metrics
        {{- end }}
        {{- with $root.Values.common.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      automountServiceAccountToken: false
      {{- with $root.Values.image.pullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.common.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: 30
      containers:
        - name: {{ .service }}
          image: {{ include "plantmesh.image" (dict "root" $root "service" .service) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["service", {{ .service | quote }}, "--config", "/etc/plantmesh/service.properties"]
          env:
            {{- include "plantmesh.env" .envArgs | nindent 12 }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          ports:
            - name: management
              containerPort: {{ $management }}
              protocol: TCP
            {{- if gt (int .httpPort) 0 }}
            - name: http
              containerPort: {{ .httpPort }}
              protocol: TCP
            {{- end }}
          startupProbe:
            httpGet:
              path: /health/live
              port: management
            periodSeconds: 10
            failureThreshold: {{ $root.Values.common.startupFailureThreshold }}
          livenessProbe:
            httpGet:
              path: /health/live
              port: management
            periodSeconds: 20
            timeoutSeconds: 5
            failureThreshold: 3
          readinessProbe:
            httpGet:
              {{- if .readinessPath }}
              path: {{ .readinessPath }}
              port: http
              scheme: {{ $scheme }}
              {{- else }}
              path: /health/ready
              port: management
              {{- end }}
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.common.securityContext | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: /etc/plantmesh/service.properties
              subPath: {{ .service }}.properties
              readOnly: true
            - name: tmp
              mountPath: /tmp
            {{- if $serveTls }}
            - name: tls
              mountPath: /etc/plantmesh/tls
              readOnly: true
            {{- end }}
            {{- if $caSecret }}
            - name: ca
              mountPath: /etc/plantmesh/ca
              readOnly: true
            {{- end }}
            {{- if $oauthClient }}
            - name: oauth-client
              mountPath: /etc/plantmesh/oauth
              readOnly: true
            {{- end }}
            {{- if .dataVolume }}
            - name: data
              mountPath: /var/lib/plantmesh
            {{- end }}
      volumes:
        - name: config
          configMap:
            name: {{ $fullname }}-config
        - name: tmp
          emptyDir: {}
        {{- if $serveTls }}
        - name: tls
          secret:
            secretName: {{ $root.Values.tls.existingSecret }}
            items:
              - key: tls.crt
                path: tls.crt
              - key: tls.key
                path: tls.key
        {{- end }}
        {{- if $caSecret }}
        - name: ca
          secret:
            secretName: {{ $caSecret }}
            items:
              - key: ca.crt
                path: ca.crt
        {{- end }}
        {{- if $oauthClient }}
        # only this service's key of the clients' Secret: the service never sees the other clients' secrets
        - name: oauth-client
          secret:
            secretName: {{ include "plantmesh.oauthClientsSecret" $root }}
            items:
              - key: {{ .oauthClient }}
                path: client-secret
        {{- end }}
        {{- if .dataVolume }}
        - name: data
          {{- if .dataClaim }}
          persistentVolumeClaim:
            claimName: {{ .dataClaim }}
          {{- else }}
          emptyDir: {}
          {{- end }}
        {{- end }}
      {{- with $root.Values.common.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.common.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.common.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullname }}-{{ .service }}
  labels:
    {{- include "plantmesh.labels" $labels | nindent 4 }}
spec:
  type: {{ dig "service" "type" "ClusterIP" $v }}
  selector:
    {{- include "plantmesh.selectorLabels" $labels | nindent 4 }}
  ports:
    - name: management
      port: {{ $management }}
      targetPort: management
      protocol: TCP
    {{- if gt (int .httpPort) 0 }}
    - name: http
      port: {{ .httpPort }}
      targetPort: http
      protocol: TCP
    {{- end }}
{{- end -}}
