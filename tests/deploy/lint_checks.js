'use strict';
// Checks on the files of deploy/. Each takes the file's text (and a way to ask
// whether a path exists) and returns a list of problems; lint_files.js runs
// them on the shipped files (no problem allowed) and on broken copies (a
// problem required).

const YAML = require('yaml');
const TOML = require('smol-toml');

const DRAIN_TIMEOUT_S = 30; // the default; stop grace periods must exceed it

function parseYamlDocs(text, name) {
  const docs = YAML.parseAllDocuments(text, { merge: true, uniqueKeys: true, strict: true });
  const problems = [];
  for (const d of docs) {
    for (const e of d.errors) problems.push(`${name}: YAML error: ${e.message}`);
    for (const w of d.warnings) problems.push(`${name}: YAML warning: ${w.message}`);
  }
  return { docs: problems.length ? [] : docs.map((d) => d.toJS({ maxAliasCount: 100 })), problems };
}

function seconds(v) {
  if (typeof v === 'number') return v;
  const m = /^(\d+)(s|m)?$/.exec(String(v || ''));
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

// docker-compose.yml: nginx + 2 gateways + 3 workers + postgres, wired together.
// modelSettings: the model's settings the binary knows (from core/config_options.cpp).
// Cluster TLS on for one node: CLUSTER_TLS_CERT/_KEY/_CA set, each under a
// read-only mount (`mounts`: container paths), and never --insecure-cluster.
const TLS_KEYS = ['CLUSTER_TLS_CERT', 'CLUSTER_TLS_KEY', 'CLUSTER_TLS_CA'];
function tlsProblems(where, env, mounts, args) {
  const p = [];
  for (const k of TLS_KEYS) {
    const v = String(env[k] || '');
    if (!v) p.push(`${where}: ${k} is not set (cluster TLS must be on)`);
    else if (!mounts.some((m) => v.startsWith(`${m.replace(/\/+$/, '')}/`)))
      p.push(`${where}: ${k}=${v} is on no read-only mount`);
  }
  if (String(env.INSECURE_CLUSTER || '0') !== '0' || (args || []).some((a) => /--insecure-cluster/.test(String(a))))
    p.push(`${where}: turns cluster TLS off (--insecure-cluster / INSECURE_CLUSTER)`);
  return p;
}

function checkCompose(text, { exists, gatewaysConf, modelSettings = [] }) {
  const { docs, problems: p } = parseYamlDocs(text, 'docker-compose.yml');
  if (p.length) return p;
  const c = docs[0] || {};
  const s = c.services || {};
  const names = Object.keys(s);
  const gateways = names.filter((n) => /^gateway-\d+$/.test(n));
  const workers = names.filter((n) => /^worker-\d+$/.test(n));
  if (!s.nginx) p.push('compose: no nginx service');
  if (!s.postgres) p.push('compose: no postgres service (STORE_URL)');
  if (gateways.length !== 2) p.push(`compose: ${gateways.length} gateways, want 2`);
  if (workers.length !== 3) p.push(`compose: ${workers.length} workers, want 3`);
  const nodeIds = new Set();
  for (const n of [...gateways, ...workers]) {
    const svc = s[n];
    const env = svc.environment || {};
    if (!svc.healthcheck || !svc.healthcheck.test) p.push(`compose: ${n} has no healthcheck`);
    if (!svc.build && !svc.image) p.push(`compose: ${n} has neither build nor image`);
    if (svc.build && !exists(`deploy/${svc.build.context}/${svc.build.dockerfile}`))
      p.push(`compose: ${n}: ${svc.build.dockerfile} not found`);
    if (!(seconds(svc.stop_grace_period) > DRAIN_TIMEOUT_S))
      p.push(`compose: ${n}: stop_grace_period must exceed DRAIN_TIMEOUT_S`);
    if (!env.NODE_ID || nodeIds.has(env.NODE_ID)) p.push(`compose: ${n}: NODE_ID missing or not unique`);
    nodeIds.add(env.NODE_ID);
    const mounts = (svc.volumes || []).filter((v) => typeof v === 'object' ? v.read_only
      : /:ro$/.test(String(v))).map((v) => typeof v === 'object' ? v.target : String(v).split(':')[1]);
    const command = [].concat(svc.command || []);
    p.push(...tlsProblems(`compose: ${n}`, env, mounts, command));
  }
  const workerAddrs = workers.map((w) => `${w}:${(s[w].environment || {}).WORKER_PORT}`);
  // Not an open stack: secrets required (${X:?...}), nothing defaulted, and
  // nginx published on loopback unless the operator says otherwise.
  const required = (v, name) => new RegExp(`\\$\\{${name}:\\?[^}]+\\}`).test(String(v || ''));
  for (const w of workers) {
    const env = s[w].environment || {};
    if (env.ROLE !== 'worker') p.push(`compose: ${w}: ROLE is not worker`);
    for (const k of modelSettings)
      if (!(k in env)) p.push(`compose: ${w}: the model setting ${k} is not passed to the worker`);
    for (const k of ['AUTH_SECRET', 'STORE_URL'])
      if (k in env) p.push(`compose: ${w}: a worker gets the gateway's ${k}`);
    if (env.WORKER_HOST !== '0.0.0.0') p.push(`compose: ${w}: WORKER_HOST must be 0.0.0.0 in a container`);
  }
  for (const g of gateways) {
    const env = s[g].environment || {};
    if (env.ROLE !== 'gateway') p.push(`compose: ${g}: ROLE is not gateway`);
    if (!required(env.AUTH_SECRET, 'AUTH_SECRET')) p.push(`compose: ${g}: AUTH_SECRET must be \${AUTH_SECRET:?...} (no empty default)`);
    if (!required(env.STORE_URL, 'POSTGRES_PASSWORD')) p.push(`compose: ${g}: the STORE_URL password must be \${POSTGRES_PASSWORD:?...}`);
    const listed = String(env.WORKERS || '').split(',').filter(Boolean).sort();
    if (listed.join(',') !== [...workerAddrs].sort().join(','))
      p.push(`compose: ${g}: WORKERS=${env.WORKERS} does not name the workers ${workerAddrs.join(',')}`);
    if (!/^postgres(ql)?:\/\/[^@]+@postgres[:/]/.test(String(env.STORE_URL || '')))
      p.push(`compose: ${g}: STORE_URL does not point at the postgres service`);
    const deps = s[g].depends_on || {};
    for (const d of ['postgres', ...workers])
      if (!deps[d] || deps[d].condition !== 'service_healthy')
        p.push(`compose: ${g} does not wait for ${d} to be healthy`);
  }
  if (s.nginx) {
    const deps = s.nginx.depends_on || {};
    for (const g of gateways) if (!deps[g]) p.push(`compose: nginx does not depend on ${g}`);
    for (const v of s.nginx.volumes || []) {
      const src = String(v).split(':')[0];
      if (src.startsWith('./') && !exists(`deploy/${src.slice(2)}`)) p.push(`compose: nginx mounts missing ${src}`);
    }
    if (!s.nginx.healthcheck) p.push('compose: nginx has no healthcheck');
    for (const port of s.nginx.ports || []) {
      const text = String(typeof port === 'object' ? `${port.host_ip || ''}:${port.published}:${port.target}` : port);
      if (!/^(127\.0\.0\.1|\$\{[A-Z_]+:-127\.0\.0\.1\}):/.test(text))
        p.push(`compose: nginx publishes ${text} beyond 127.0.0.1 by default`);
    }
  }
  if (s.postgres && !required((s.postgres.environment || {}).POSTGRES_PASSWORD, 'POSTGRES_PASSWORD'))
    p.push('compose: postgres: POSTGRES_PASSWORD must be ${POSTGRES_PASSWORD:?...} (no default password)');
  // nginx's upstream list (agentwire.d/gateways.conf) names exactly these gateways.
  const upstream = [...gatewaysConf.matchAll(/^\s*server\s+([^\s;]+)/gm)].map((m) => m[1]).sort();
  const want = gateways.map((g) => `${g}:${(s[g].environment || {}).PORT}`).sort();
  if (upstream.join(',') !== want.join(','))
    p.push(`nginx gateways.conf lists ${upstream.join(',')}, compose has ${want.join(',')}`);
  return p;
}

function containersOf(doc) {
  return (((doc.spec || {}).template || {}).spec || {}).containers || [];
}

// deploy/k8s: every workload probed and bounded, names that fit together.
// Whether an Ingress path list sends `url` on (Exact: equal; Prefix: whole
// path elements, as networking.k8s.io/v1 defines it).
function ingressRoutes(paths, url) {
  return paths.some((p) => {
    if (p.pathType === 'Exact') return p.path === url;
    if (p.pathType !== 'Prefix') return false;
    const prefix = p.path.replace(/\/+$/, '');
    return prefix === '' || url === prefix || url.startsWith(`${prefix}/`);
  });
}

function checkK8s(files, { exists, webFiles = [] }) {
  const p = [];
  const all = [];
  for (const [name, text] of Object.entries(files)) {
    const r = parseYamlDocs(text, name);
    p.push(...r.problems);
    for (const d of r.docs) if (d) all.push({ name, d });
  }
  if (p.length) return p;
  const kust = all.find((x) => x.d.kind === 'Kustomization');
  if (!kust) p.push('k8s: no kustomization.yaml');
  const listed = new Set(kust ? kust.d.resources || [] : []);
  for (const name of Object.keys(files))
    if (name !== 'kustomization.yaml' && !listed.has(name)) p.push(`k8s: ${name} is not in kustomization.yaml`);
  for (const r of listed) if (!exists(`deploy/k8s/${r}`)) p.push(`k8s: kustomization lists missing ${r}`);
  const of = (kind) => all.filter((x) => x.d.kind === kind).map((x) => x.d);
  for (const x of all)
    if (x.d.kind !== 'Kustomization' && (!x.d.apiVersion || !x.d.metadata || !x.d.metadata.name))
      p.push(`k8s: ${x.name}: apiVersion, kind and metadata.name are required`);
  const config = (of('ConfigMap')[0] || {}).data || {};
  const drain = Number(config.DRAIN_TIMEOUT_S || DRAIN_TIMEOUT_S);
  if (String(config.INSECURE_CLUSTER || '0') !== '0') p.push('k8s: the ConfigMap turns cluster TLS off (INSECURE_CLUSTER)');
  const workloads = [...of('Deployment'), ...of('StatefulSet')];
  if (!of('Deployment').length) p.push('k8s: no Deployment');
  for (const w of workloads) {
    const n = `${w.kind} ${w.metadata.name}`;
    const spec = w.spec || {};
    const labels = ((spec.template || {}).metadata || {}).labels || {};
    for (const [k, v] of Object.entries((spec.selector || {}).matchLabels || {}))
      if (labels[k] !== v) p.push(`k8s: ${n}: selector ${k}=${v} does not match the pod labels`);
    const podSpec = (spec.template || {}).spec || {};
    if (!(podSpec.terminationGracePeriodSeconds > drain))
      p.push(`k8s: ${n}: terminationGracePeriodSeconds must exceed DRAIN_TIMEOUT_S (${drain})`);
    if (!(podSpec.securityContext || {}).runAsNonRoot) p.push(`k8s: ${n}: runAsNonRoot is not set`);
    const containers = containersOf(w);
    if (!containers.length) p.push(`k8s: ${n}: no containers`);
    for (const c of containers) {
      for (const probe of ['readinessProbe', 'livenessProbe'])
        if (!c[probe]) p.push(`k8s: ${n}/${c.name}: no ${probe}`);
      const res = c.resources || {};
      for (const k of ['requests', 'limits'])
        for (const r of ['cpu', 'memory'])
          if (!(res[k] || {})[r]) p.push(`k8s: ${n}/${c.name}: no resources.${k}.${r}`);
      const role = ((c.env || []).find((e) => e.name === 'ROLE') || {}).value;
      const probes = [c.readinessProbe, c.livenessProbe].filter(Boolean);
      if (role === 'gateway' && ((c.readinessProbe || {}).httpGet || {}).path !== '/readyz')
        p.push(`k8s: ${n}: the gateway readinessProbe must be HTTP GET /readyz`);
      if (role === 'gateway' && ((c.livenessProbe || {}).httpGet || {}).path !== '/livez')
        p.push(`k8s: ${n}: the gateway livenessProbe must be HTTP GET /livez`);
      if (role === 'worker' && !probes.every((pr) => pr.tcpSocket))
        p.push(`k8s: ${n}: worker probes must be tcpSocket (a worker has no HTTP)`);
      if (!role) p.push(`k8s: ${n}/${c.name}: ROLE is not set`);
      // Cluster TLS on: the files from a Secret volume mounted read-only.
      const envMap = Object.fromEntries((c.env || []).filter((e) => 'value' in e).map((e) => [e.name, e.value]));
      const secretVolumes = new Set((podSpec.volumes || []).filter((v) => v.secret).map((v) => v.name));
      const tlsMounts = (c.volumeMounts || []).filter((m) => m.readOnly && secretVolumes.has(m.name))
        .map((m) => m.mountPath);
      if (role === 'gateway' || role === 'worker')
        p.push(...tlsProblems(`k8s: ${n}`, envMap, tlsMounts, [...(c.args || []), ...(c.command || [])]));
      // Pool sizes stated and within the CPU limit (1.5 -> 2): a pod must not
      // size itself by the node.
      const cpuLimit = Math.ceil(Number(String((res.limits || {}).cpu || '').replace(/m$/, 'e-3')));
      const envOf = (name) => ((c.env || []).find((e) => e.name === name) || {}).value;
      const sized = role === 'gateway' ? ['WORKER_THREADS'] : ['RENDER_POOL_SIZE', 'WORKER_THREADS'];
      for (const name of sized) {
        const v = Number(envOf(name));
        if (!(Number.isInteger(v) && v >= 1 && v <= Math.max(cpuLimit, name === 'WORKER_THREADS' ? 2 : 1)))
          p.push(`k8s: ${n}: ${name}=${envOf(name)} must be set, 1..limits.cpu (${cpuLimit})`);
      }
    }
  }
  for (const svc of of('Service')) {
    const sel = (svc.spec || {}).selector || {};
    const target = workloads.find((w) =>
      Object.entries(sel).every(([k, v]) => ((w.spec.template.metadata || {}).labels || {})[k] === v));
    if (!target) { p.push(`k8s: Service ${svc.metadata.name} selects no workload`); continue; }
    const portNames = containersOf(target).flatMap((c) => (c.ports || []).map((x) => x.name));
    for (const port of svc.spec.ports || [])
      if (typeof port.targetPort === 'string' && !portNames.includes(port.targetPort))
        p.push(`k8s: Service ${svc.metadata.name}: targetPort ${port.targetPort} is no container port`);
  }
  // The gateways' WORKERS list names every StatefulSet pod through the headless Service.
  const sts = of('StatefulSet')[0];
  if (!sts) p.push('k8s: no worker StatefulSet');
  else {
    const svc = of('Service').find((x) => x.metadata.name === sts.spec.serviceName);
    if (!svc || svc.spec.clusterIP !== 'None') p.push('k8s: the worker StatefulSet has no headless Service');
    const want = [];
    for (let i = 0; i < sts.spec.replicas; i++)
      want.push(`${sts.metadata.name}-${i}.${sts.spec.serviceName}:${config.WORKER_PORT}`);
    if (config.WORKERS !== want.join(','))
      p.push(`k8s: ConfigMap WORKERS=${config.WORKERS}, want ${want.join(',')}`);
  }
  const gw = of('Deployment').find((d) => containersOf(d).some((c) => (c.env || []).some((e) => e.value === 'gateway')));
  const secretKeys = gw ? containersOf(gw).flatMap((c) => (c.env || []).filter((e) => e.valueFrom && e.valueFrom.secretKeyRef).map((e) => e.name)) : [];
  if (!secretKeys.includes('AUTH_SECRET')) p.push('k8s: the gateway does not take AUTH_SECRET from a Secret');
  const ing = of('Ingress')[0];
  if (!ing) p.push('k8s: no Ingress');
  else {
    const a = (ing.metadata.annotations || {})['nginx.ingress.kubernetes.io/upstream-hash-by'];
    if (a !== '$arg_user_id') p.push(`k8s: Ingress upstream-hash-by is ${a}, want $arg_user_id`);
    for (const rule of ing.spec.rules || []) {
      const paths = (rule.http || {}).paths || [];
      for (const path of paths) {
        const name = path.backend.service.name;
        if (!of('Service').some((x) => x.metadata.name === name)) p.push(`k8s: Ingress backend ${name} is no Service`);
      }
      // The chat page loads every file of web/ (index.html is served at /),
      // and the API routes; the operator endpoints stay inside the cluster.
      const wanted = ['/', '/ws', '/ws/u/s', '/charts/ch-1', '/conversations/u', '/agui', '/health',
        ...webFiles.filter((f) => f !== 'index.html').map((f) => `/${f}`)];
      for (const url of wanted)
        if (!ingressRoutes(paths, url)) p.push(`k8s: Ingress does not route ${url}`);
      for (const url of ['/metrics', '/livez', '/readyz'])
        if (ingressRoutes(paths, url)) p.push(`k8s: Ingress routes ${url} (keep it inside the cluster)`);
    }
  }
  return p;
}

function checkRailway(text, { exists }) {
  let t;
  try { t = TOML.parse(text); } catch (e) { return [`railway.toml: TOML error: ${e.message}`]; }
  const p = [];
  const b = t.build || {};
  const d = t.deploy || {};
  if (b.builder !== 'DOCKERFILE') p.push('railway.toml: build.builder must be DOCKERFILE');
  if (!b.dockerfilePath || !exists(b.dockerfilePath)) p.push(`railway.toml: dockerfilePath ${b.dockerfilePath} not found`);
  if (d.healthcheckPath !== '/health') p.push('railway.toml: deploy.healthcheckPath must be /health');
  if (d.numReplicas !== 1) p.push('railway.toml: numReplicas must be 1 (no sticky routing on Railway)');
  if (!(d.drainingSeconds > DRAIN_TIMEOUT_S)) p.push('railway.toml: drainingSeconds must exceed DRAIN_TIMEOUT_S');
  if (!['ON_FAILURE', 'ALWAYS'].includes(d.restartPolicyType)) p.push('railway.toml: restartPolicyType');
  return p;
}

// deploy/grafana: valid JSON, a Prometheus datasource variable, and every
// metric an expression names is one the binary exports (`exported`: the
// family names in the gateway's metrics sources).
function checkGrafana(text, { exported = [] }) {
  let d;
  try { d = JSON.parse(text); } catch (e) { return [`grafana: JSON error: ${e.message}`]; }
  const p = [];
  if (!Array.isArray(d.panels) || !d.panels.length) p.push('grafana: no panels');
  const vars = ((d.templating || {}).list || []).map((v) => v.name);
  if (!vars.includes('datasource')) p.push('grafana: no datasource variable');
  const known = new Set(exported);
  for (const panel of d.panels || [])
    for (const t of panel.targets || []) {
      for (const m of String(t.expr || '').matchAll(/\b((?:agentwire|process)_[a-z_]+)/g)) {
        const base = m[1].replace(/_(bucket|sum|count)$/, '');
        if (!known.has(m[1]) && !known.has(base)) p.push(`grafana: panel "${panel.title}" uses ${m[1]}, which the binary does not export`);
      }
    }
  return p;
}

module.exports = { checkCompose, checkK8s, checkRailway, checkGrafana, parseYamlDocs };
