import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseConfigInput, parseConfigText } from '../../src/config/parse';
import type { ConfigInput } from '../../src/config/schema/index';
import { startTestGateway } from '../helpers/gateway';

const DIR = join(import.meta.dirname, '..', '..', 'deploy', 'kubernetes');

interface Named {
  readonly name: string;
}
interface Probe {
  readonly httpGet: { readonly path: string; readonly port: string | number };
}
interface Container {
  readonly image: string;
  readonly ports: { readonly name: string; readonly containerPort: number }[];
  readonly readinessProbe: Probe;
  readonly livenessProbe: Probe;
  readonly env: { readonly name: string; readonly value: string }[];
  readonly envFrom: { readonly secretRef?: Named }[];
  readonly volumeMounts: { readonly name: string; readonly mountPath: string }[];
  readonly lifecycle?: { readonly preStop?: { readonly exec?: { readonly command: string[] } } };
  readonly securityContext: {
    readonly readOnlyRootFilesystem: boolean;
    readonly allowPrivilegeEscalation: boolean;
  };
  readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
}
interface PodSpec {
  readonly containers: Container[];
  readonly volumes: {
    readonly name: string;
    readonly configMap?: Named;
    readonly emptyDir?: object;
    readonly persistentVolumeClaim?: object;
  }[];
  readonly terminationGracePeriodSeconds: number;
  readonly securityContext: { readonly runAsNonRoot: boolean; readonly runAsUser: number };
}
interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: string;
}
/** The fields of the manifests this test reads (all kinds in one loose shape). */
interface Spec {
  readonly selector: Record<string, string> & { readonly matchLabels: Record<string, string> };
  readonly template: { readonly spec: PodSpec };
  readonly ports: ServicePort[];
  readonly rules: {
    readonly http: {
      readonly paths: {
        readonly backend: { readonly service: { readonly name: string; readonly port: Named } };
      }[];
    };
  }[];
  readonly scaleTargetRef: Record<string, string>;
  readonly minReplicas: number;
  readonly minAvailable: number;
}
interface Doc {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly annotations: Record<string, string> };
  readonly spec: Spec;
  readonly data: Record<string, string>;
  readonly stringData: Record<string, string>;
  readonly resources: string[];
  readonly images: { readonly newTag: string }[];
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const docs: Doc[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return d.toJS() as Doc;
  }),
);
const manifests = docs.filter((d) => d.kind !== 'Kustomization');
const one = (kind: string): Doc => {
  const found = manifests.filter((d) => d.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};

const deployment = one('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0]!;
const configMap = one('ConfigMap');
const secret = one('Secret');
const env = Object.fromEntries(Object.keys(secret.stringData).map((k) => [k, 'x']));
const config = parseConfigText(configMap.data['switchyard.yaml']!, 'configmap', env);

describe('the Kubernetes manifests', () => {
  it('are all listed in the kustomization, with a pinned image', () => {
    const kustomization = docs.find((d) => d.kind === 'Kustomization')!;
    expect([...kustomization.resources].sort()).toEqual(
      files.filter((f) => f !== 'kustomization.yaml').sort(),
    );
    for (const image of kustomization.images) expect(image.newTag).toMatch(/^\d+\.\d+\.\d+$/);
    for (const c of pod.containers) {
      expect(c.image).toMatch(/:[^:]+$/);
      expect(c.image).not.toMatch(/:latest$/);
    }
  });

  it('probe /health on the port the configuration listens on', () => {
    const ports = Object.fromEntries(container.ports.map((p) => [p.name, p.containerPort]));
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet.path).toBe('/health');
      expect(ports[probe.httpGet.port] ?? probe.httpGet.port).toBe(config.server.port);
    }
    expect(config.server.host).toBe('0.0.0.0');
    const service = one('Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(ports[service.spec.ports[0].targetPort]).toBe(config.server.port);
    const backend = one('Ingress').spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p) => p.name)).toContain(backend.port.name);
  });

  it('probe paths the gateway started with the ConfigMap answers with 200', async () => {
    const input = parseConfigInput(configMap.data['switchyard.yaml']!, 'configmap', env) as ConfigInput;
    const gw = await startTestGateway({
      ...input,
      server: { ...input.server, host: '127.0.0.1' },
      store: undefined,
    });
    try {
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        expect((await fetch(`${gw.url}${probe.httpGet.path}`)).status).toBe(200);
      }
    } finally {
      await gw.stop(100);
    }
  });

  it('read the configuration from the ConfigMap and the keys from the Secret', () => {
    const mount = container.volumeMounts.find((m) => m.name === 'config');
    const volume = pod.volumes.find((v) => v.name === 'config');
    expect(volume?.configMap?.name).toBe(configMap.metadata.name);
    const configVar = container.env.find((e) => e.name === 'SWITCHYARD_CONFIG');
    expect(configVar?.value).toBe(`${mount?.mountPath}/switchyard.yaml`);
    expect(container.envFrom.map((e) => e.secretRef?.name)).toContain(secret.metadata.name);
    const text = configMap.data['switchyard.yaml'] as string;
    for (const name of Object.keys(secret.stringData).filter((n) => n !== 'SWITCHYARD_SECRET')) {
      expect(text).toContain(`\${${name}`);
    }
    expect(text).not.toMatch(/sk-[A-Za-z0-9]/);
  });

  it('stop gracefully, run unprivileged on a read-only root, and write only to /data', () => {
    const preStop = Number(container.lifecycle?.preStop?.exec?.command?.at(-1) ?? 0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      preStop + config.server.shutdown_timeout / 1000,
    );
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).not.toBe(0);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    const data = container.volumeMounts.find((m) => m.mountPath === '/data');
    const volume = pod.volumes.find((v) => v.name === data?.name);
    expect(volume?.emptyDir ?? volume?.persistentVolumeClaim).toBeDefined();
    expect(config.store.path.startsWith('/data/')).toBe(true);
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('scale on CPU, keep one pod through disruptions, and stream through the Ingress', () => {
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = one('PodDisruptionBudget');
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    const annotations = one('Ingress').metadata.annotations;
    expect(annotations['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(600);
  });
});
