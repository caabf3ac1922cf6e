import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateLineOf } from '../../server/src/engine/check/templateLines';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "x.fullname" . }}
  labels:
    {{- include "x.labels" . | nindent 4 }}
spec:
{{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
{{- end }}
  template:
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}"
          ports:
            - containerPort: {{ .Values.port }}
      volumes: []
`;

describe('the template line of a rendered field', () => {
  it('finds a field under a template condition', () => {
    assert.equal(templateLineOf(DEPLOYMENT, ['spec', 'replicas']), 8);
  });

  it('follows list items and nested keys', () => {
    assert.equal(
      templateLineOf(DEPLOYMENT, [
        'spec',
        'template',
        'spec',
        'containers',
        0,
        'ports',
        0,
        'containerPort',
      ]),
      16,
    );
    assert.equal(
      templateLineOf(DEPLOYMENT, ['spec', 'template', 'spec', 'containers', 0, 'image']),
      14,
    );
  });

  it('stops at the deepest key it finds, never a same-named key outside the parent', () => {
    // metadata.labels.app is written by a helper: the labels line is the closest.
    assert.equal(templateLineOf(DEPLOYMENT, ['metadata', 'labels', 'app']), 4);
    // spec.template.spec.volumes exists, metadata.volumes does not.
    assert.equal(templateLineOf(DEPLOYMENT, ['metadata', 'volumes']), 2);
  });

  it('finds nothing when the first key is not written by the template', () => {
    assert.equal(templateLineOf('{{ include "x.all" . }}\n', ['spec', 'replicas']), undefined);
  });
});
