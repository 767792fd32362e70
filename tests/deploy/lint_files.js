'use strict';
// Lint of deploy/: docker-compose.yml, k8s/*.yaml, railway.toml, Dockerfile.
// The shipped files must show no problem; then each check runs on a broken
// copy and must report one, so no check here can pass whatever the file says.
//   node lint_files.js REPO_ROOT
// (run through run_node.sh, which provides the yaml and smol-toml packages)

const fs = require('fs');
const path = require('path');
const { checkCompose, checkK8s, checkRailway, checkGrafana } = require('./lint_checks');
const { checkDockerfile, buildDirs } = require('./lint_dockerfile');

const root = path.resolve(process.argv[2] || path.join(__dirname, '../..'));
const read = (rel) => fs.readFileSync(path.join(root, rel), 'utf8');
const exists = (rel) => fs.existsSync(path.join(root, rel));
const isExecutable = (rel) => {
  try { fs.accessSync(path.join(root, rel), fs.constants.X_OK); return fs.statSync(path.join(root, rel)).isFile(); }
  catch { return false; }
};

const k8sFiles = {};
for (const f of fs.readdirSync(path.join(root, 'deploy/k8s')).filter((f) => /\.ya?ml$/.test(f)).sort())
  k8sFiles[f] = read(`deploy/k8s/${f}`);

const ctx = { exists, isExecutable, gatewaysConf: read('deploy/nginx/agentwire.d/gateways.conf'),
  ignoreText: read('deploy/Dockerfile.dockerignore'), buildDirs: buildDirs(root, fs, path),
  webFiles: fs.readdirSync(path.join(root, 'web')).filter((f) => !f.startsWith('.')),
  // Every model setting the binary reads (its env names in core/config_options.cpp).
  exported: [...new Set(['gateway/metrics_text.cpp', 'gateway/operator_metrics.cpp'].flatMap((f) =>
    [...read(f).matchAll(/"((?:agentwire|process)_[a-z_]+)/g)].map((m) => m[1])))],
  modelSettings: [...new Set([...read('core/config_options.cpp').matchAll(/"((?:LLM_|OPENAI_)[A-Z0-9_]*|MAX_RETRIES)"/g)].map((m) => m[1]))] };
const shipped = {
  compose: () => checkCompose(read('deploy/docker-compose.yml'), ctx),
  k8s: () => checkK8s(k8sFiles, ctx),
  railway: () => checkRailway(read('deploy/railway.toml'), ctx),
  dockerfile: () => checkDockerfile(read('deploy/Dockerfile'), ctx),
  grafana: () => checkGrafana(read('deploy/grafana/agentwire-dashboard.json'), ctx),
};

// Broken copies: [check, what was broken, function returning its problems].
const sub = (text, from, to) => {
  if (!text.includes(from)) throw new Error(`mutation source not found: ${from}`);
  return text.replace(from, to);
};
const k8sWith = (file, from, to) => ({ ...k8sFiles, [file]: sub(k8sFiles[file], from, to) });
const compose = read('deploy/docker-compose.yml');
const dockerfile = read('deploy/Dockerfile');
const railway = read('deploy/railway.toml');
const broken = [
  ['compose', 'a worker removed', () => checkCompose(sub(compose, '  worker-3:\n', '  spare:\n'), ctx)],
  ['compose', 'bad YAML', () => checkCompose(sub(compose, 'services:\n', 'services:\n  nginx: [\n'), ctx)],
  ['compose', 'gateway without healthcheck', () =>
    checkCompose(sub(compose, '    depends_on: *gateway-depends\n    healthcheck:', '    depends_on: *gateway-depends\n    x-healthcheck:'), ctx)],
  ['compose', 'nginx upstream naming another host', () =>
    checkCompose(compose, { ...ctx, gatewaysConf: ctx.gatewaysConf.replace('gateway-2:8080', 'gateway-9:8080') })],
  ['compose', 'AUTH_SECRET defaulting to empty', () =>
    checkCompose(sub(compose, '${AUTH_SECRET:?set AUTH_SECRET in deploy/.env, e.g. openssl rand -hex 32}', '${AUTH_SECRET:-}'), ctx)],
  ['compose', 'a default Postgres password', () =>
    checkCompose(compose.replaceAll('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in deploy/.env}', '${POSTGRES_PASSWORD:-agentwire}'), ctx)],
  ['compose', 'nginx published on every interface', () =>
    checkCompose(sub(compose, '"${AGENTWIRE_BIND:-127.0.0.1}:${AGENTWIRE_PORT:-8080}:80"', '"8080:80"'), ctx)],
  ['compose', 'workers without LLM_MODEL', () =>
    checkCompose(sub(compose, '  LLM_MODEL: ${LLM_MODEL:-gpt-4o-mini}\n', ''), ctx)],
  ['compose', 'a model setting the binary gained', () =>
    checkCompose(compose, { ...ctx, modelSettings: [...ctx.modelSettings, 'LLM_NEW_KNOB'] })],
  ['compose', 'workers without CLUSTER_TLS_CA (cluster TLS off)', () =>
    checkCompose(sub(compose, '  CLUSTER_TLS_CA: /etc/agentwire/tls/ca.pem\n  LOG_LEVEL', '  LOG_LEVEL'), ctx)],
  ['compose', 'a gateway with INSECURE_CLUSTER=1', () =>
    checkCompose(sub(compose, '  CLUSTER_TLS_CERT: /etc/agentwire/tls/gateway.pem\n', '  CLUSTER_TLS_CERT: /etc/agentwire/tls/gateway.pem\n  INSECURE_CLUSTER: "1"\n'), ctx)],
  ['compose', 'TLS files not mounted', () =>
    checkCompose(compose.replaceAll('      - *cluster-tls\n', ''), ctx)],
  ['k8s', 'a worker started with --insecure-cluster', () =>
    checkK8s(k8sWith('worker-statefulset.yaml', 'args: ["--role", "worker"]', 'args: ["--role", "worker", "--insecure-cluster"]'), ctx)],
  ['k8s', 'a gateway without its TLS Secret mounted', () =>
    checkK8s(k8sWith('gateway-deployment.yaml', '            - { name: cluster-tls, mountPath: /etc/agentwire/tls, readOnly: true }\n', ''), ctx)],
  ['k8s', 'INSECURE_CLUSTER in the ConfigMap', () =>
    checkK8s(k8sWith('configmap.yaml', '  PORT: "8080"\n', '  PORT: "8080"\n  INSECURE_CLUSTER: "1"\n'), ctx)],
  ['k8s', 'gateway readiness on /health', () =>
    checkK8s(k8sWith('gateway-deployment.yaml', 'path: /readyz', 'path: /health'), ctx)],
  ['k8s', 'worker pool larger than its CPU limit', () =>
    checkK8s(k8sWith('worker-statefulset.yaml', '- name: RENDER_POOL_SIZE\n              value: "2"', '- name: RENDER_POOL_SIZE\n              value: "64"'), ctx)],
  ['k8s', 'worker pool size not set', () =>
    checkK8s(k8sWith('worker-statefulset.yaml', '- name: RENDER_POOL_SIZE\n', '- name: RENDER_POOL_SIZEX\n'), ctx)],
  ['k8s', 'gateway readinessProbe removed', () =>
    checkK8s(k8sWith('gateway-deployment.yaml', 'readinessProbe:', 'readinessProbeX:'), ctx)],
  ['k8s', 'worker limits removed', () =>
    checkK8s(k8sWith('worker-statefulset.yaml', 'limits: {', 'limitz: {'), ctx)],
  ['k8s', 'worker replicas out of step with WORKERS', () =>
    checkK8s(k8sWith('worker-statefulset.yaml', 'replicas: 3', 'replicas: 4'), ctx)],
  ['k8s', 'ingress without the hash', () =>
    checkK8s(k8sWith('ingress.yaml', 'upstream-hash-by', 'upstream-hash-byX'), ctx)],
  ['k8s', 'ingress routing / as Exact only (the page loses its files)', () =>
    checkK8s(k8sWith('ingress.yaml', '          - path: /app.css\n', '          - path: /app.cssx\n'), ctx)],
  ['k8s', 'ingress routing a web/ file it does not list', () =>
    checkK8s(k8sFiles, { ...ctx, webFiles: [...ctx.webFiles, 'new_module.js'] })],
  ['k8s', 'ingress routing everything, /metrics too', () =>
    checkK8s(k8sWith('ingress.yaml', '          - path: /\n            pathType: Exact', '          - path: /\n            pathType: Prefix'), ctx)],
  ['k8s', 'duplicate key', () =>
    checkK8s(k8sWith('configmap.yaml', '  PORT: "8080"\n', '  PORT: "8080"\n  PORT: "8081"\n'), ctx)],
  ['grafana', 'a panel on a metric the binary does not export', () =>
    checkGrafana(read('deploy/grafana/agentwire-dashboard.json').replace('agentwire_render_seconds_bucket', 'agentwire_render_ms_bucket'), ctx)],
  ['grafana', 'bad JSON', () => checkGrafana('{"panels": [', ctx)],
  ['railway', 'bad TOML', () => checkRailway(sub(railway, '[deploy]', '[deploy'), ctx)],
  ['railway', 'missing Dockerfile', () => checkRailway(sub(railway, 'deploy/Dockerfile', 'deploy/Nope'), ctx)],
  ['dockerfile', 'USER removed', () => checkDockerfile(sub(dockerfile, 'USER 10001:10001\n', ''), ctx)],
  ['dockerfile', 'USER root', () => checkDockerfile(sub(dockerfile, 'USER 10001:10001', 'USER root'), ctx)],
  ['dockerfile', 'single stage', () =>
    checkDockerfile(dockerfile.slice(dockerfile.indexOf('FROM debian:12-slim AS runtime')).replace(/COPY --from=build.*\n/, ''), ctx)],
  ['dockerfile', 'COPY of a missing folder', () => checkDockerfile(sub(dockerfile, 'COPY core ./core', 'COPY kore ./kore'), ctx)],
  ['dockerfile', 'a folder the build reads not copied', () =>
    checkDockerfile(sub(dockerfile, 'COPY llm ./llm\n', ''), ctx)],
  ['dockerfile', 'COPY excluded by the ignore file', () =>
    checkDockerfile(dockerfile, { ...ctx, ignoreText: ctx.ignoreText.replace('!store/\n', '') })],
];

let failed = 0;
for (const [name, run] of Object.entries(shipped)) {
  const problems = run();
  if (problems.length) {
    failed++;
    console.log(`FAIL ${name}:`);
    for (const pr of problems) console.log(`  - ${pr}`);
  } else console.log(`ok   ${name}`);
}
for (const [name, what, run] of broken) {
  let problems;
  try { problems = run(); } catch (e) { problems = null; console.log(`FAIL ${name} (${what}): ${e.message}`); }
  if (problems === null) { failed++; continue; }
  if (!problems.length) {
    failed++;
    console.log(`FAIL ${name} (${what}): the broken copy passed`);
  } else console.log(`ok   ${name} refuses a copy with ${what}: ${problems[0].split("\n")[0]}`);
}
console.log(failed ? `${failed} failed` : 'all deploy files pass, every broken copy refused');
process.exit(failed ? 1 : 0);
