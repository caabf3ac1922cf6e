import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templatePlaceOf } from '../../server/src/engine/check/templateLines';
import { valuesReadAt } from '../../server/src/engine/check/templateValues';
import type { FieldPath } from '../../server/src/engine/parse/locate';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "x.fullname" . }}
spec:
{{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
{{- end }}
  revisionHistoryLimit: 3
  strategy:
    {{- with .Values.rollout.rollingUpdate }}
    rollingUpdate:
      {{- toYaml . | nindent 6 }}
    {{- end }}
  template:
    spec:
      {{- with .Values.dnsPolicy }}
      dnsPolicy: {{ . }}
      {{- end }}
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
      {{- with .Values.ports }}
      {{- range . }}
          - name: {{ .name }}
      {{- end }}
      {{- end }}
      tolerations:
        {{- range .Values.tolerations }}
        - {{ toYaml . | nindent 10 }}
        {{- end }}
`;

/** The values keys the template writes at `path`, dotted. */
function keysAt(path: FieldPath): string[] {
  const place = templatePlaceOf(DEPLOYMENT, path);
  assert.ok(place, `no template line for ${path.join('.')}`);
  return valuesReadAt(DEPLOYMENT, place.line, place.rest).map((key) => key.join('.'));
}

const CONTAINER = ['spec', 'template', 'spec', 'containers', 0];

describe('the values keys a template line writes into a field', () => {
  it('reads the key after the field (`replicas: {{ .Values.replicaCount }}`)', () => {
    assert.deepEqual(keysAt(['spec', 'replicas']), ['replicaCount']);
  });

  it('reads every key of a line that joins several, in order', () => {
    assert.deepEqual(keysAt([...CONTAINER, 'image']), ['image.repository', 'image.tag']);
  });

  it('extends a map written with toYaml below the key by the rest of the field path', () => {
    assert.deepEqual(keysAt([...CONTAINER, 'resources', 'limits', 'cpu']), [
      'resources.limits.cpu',
    ]);
  });

  it('resolves `.` inside `with .Values.x`, for a scalar and for a map written below', () => {
    assert.deepEqual(keysAt(['spec', 'template', 'spec', 'dnsPolicy']), ['dnsPolicy']);
    assert.deepEqual(keysAt(['spec', 'strategy', 'rollingUpdate', 'maxSurge']), [
      'rollout.rollingUpdate.maxSurge',
    ]);
  });

  it('maps an item written inside `range .Values.x` to the ranged key', () => {
    assert.deepEqual(keysAt(['spec', 'template', 'spec', 'tolerations', 1, 'key']), [
      'tolerations',
    ]);
  });

  it('reads no value for a field the template writes as it is', () => {
    assert.deepEqual(keysAt(['spec', 'revisionHistoryLimit']), []);
    assert.deepEqual(keysAt([...CONTAINER, 'name']), []);
  });

  it('says which part of the path is below the line it found', () => {
    assert.deepEqual(templatePlaceOf(DEPLOYMENT, [...CONTAINER, 'resources', 'limits', 'cpu']), {
      line: 22,
      rest: ['limits', 'cpu'],
    });
    assert.deepEqual(templatePlaceOf(DEPLOYMENT, ['spec', 'replicas']), { line: 6, rest: [] });
  });

  it('reads `index .Values "a" "b"` as the key a.b, and `index .Values.a "b-c"` as a.b-c', () => {
    const template = `apiVersion: v1
kind: Service
spec:
  type: {{ index .Values "service" "type" }}
  clusterIP: {{ index .Values.service "cluster-ip" | quote }}
`;
    const at = (field: string): string[] => {
      const place = templatePlaceOf(template, ['spec', field]);
      assert.ok(place, `no template line for spec.${field}`);
      return valuesReadAt(template, place.line, place.rest).map((key) => key.join('.'));
    };
    assert.deepEqual(at('type'), ['service.type']);
    assert.deepEqual(at('clusterIP'), ['service.cluster-ip']);
  });
});
