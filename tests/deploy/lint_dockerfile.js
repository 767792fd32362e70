'use strict';
// deploy/Dockerfile without Docker: multi-stage, a non-root USER in the final
// stage, HEALTHCHECK, EXPOSE of both ports, a data VOLUME, and every file it
// COPYs from the build context exists and is let through by
// deploy/Dockerfile.dockerignore; every folder the CMake build reads is copied.

// Joins continuation lines and drops comments: one instruction per entry.
function instructions(text) {
  const out = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!cur && /^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) { cur += line.replace(/\\\s*$/, ' '); continue; }
    cur += line;
    if (cur.trim()) {
      const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(cur);
      if (m) out.push({ op: m[1].toUpperCase(), args: m[2].trim() });
    }
    cur = '';
  }
  return out;
}

// The allow-list form of .dockerignore used here: `*` then `!path` lines.
function allowed(ignoreText, src) {
  const rules = ignoreText.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let ok = true;
  for (const r of rules) {
    const neg = r.startsWith('!');
    const pat = (neg ? r.slice(1) : r).replace(/\/$/, '');
    const hit = pat === '*' || src === pat || src.startsWith(pat + '/');
    if (hit) ok = neg;
  }
  return ok;
}

function checkDockerfile(text, { exists, isExecutable, ignoreText, buildDirs }) {
  const p = [];
  const ins = instructions(text);
  const froms = ins.filter((i) => i.op === 'FROM');
  if (froms.length < 2) p.push(`Dockerfile: ${froms.length} stage(s), want a multi-stage build`);
  const stages = froms.map((f) => (/\bAS\s+(\S+)/i.exec(f.args) || [])[1]).filter(Boolean);
  const lastFrom = ins.lastIndexOf(froms[froms.length - 1]);
  const final = ins.slice(lastFrom);
  const user = final.filter((i) => i.op === 'USER').pop();
  if (!user) p.push('Dockerfile: the final stage has no USER');
  else if (/^(root|0)(:|$)/.test(user.args)) p.push(`Dockerfile: final USER is ${user.args}`);
  if (!final.some((i) => i.op === 'HEALTHCHECK')) p.push('Dockerfile: no HEALTHCHECK in the final stage');
  const exposed = final.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
  for (const port of ['8080', '9100']) if (!exposed.includes(port)) p.push(`Dockerfile: does not EXPOSE ${port}`);
  if (!final.some((i) => i.op === 'VOLUME')) p.push('Dockerfile: no VOLUME for the data directory');
  if (!final.some((i) => i.op === 'ENTRYPOINT')) p.push('Dockerfile: no ENTRYPOINT');
  const finalRuns = final.filter((i) => i.op === 'RUN').map((i) => i.args).join(' ');
  if (/\S+-dev\b/.test(finalRuns)) p.push('Dockerfile: the runtime stage installs -dev packages');
  for (const i of ins.filter((x) => x.op === 'COPY')) {
    const words = i.args.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='));
    const paths = words.filter((w) => !w.startsWith('--'));
    const srcs = paths.slice(0, -1);
    if (from) {
      const stage = from.slice(7);
      if (!stages.includes(stage)) p.push(`Dockerfile: COPY ${from} names no stage`);
      continue;
    }
    if (!srcs.length) p.push(`Dockerfile: COPY ${i.args} has no source`);
    for (const src of srcs) {
      const rel = src.replace(/^\.\//, '').replace(/\/$/, '');
      if (rel === '.' || rel === '') continue;
      if (!exists(rel)) p.push(`Dockerfile: COPY source ${src} does not exist`);
      else if (ignoreText && !allowed(ignoreText, rel)) p.push(`Dockerfile: COPY source ${src} is excluded by Dockerfile.dockerignore`);
    }
  }
  // Every folder the CMake build reads must be in the image's build context.
  const copied = new Set(ins.filter((i) => i.op === 'COPY' && !/--from=/.test(i.args))
    .flatMap((i) => i.args.split(/\s+/).filter((w) => !w.startsWith('--')).slice(0, -1))
    .map((src) => src.replace(/^\.\//, '').replace(/\/$/, '')));
  for (const dir of buildDirs || [])
    if (!copied.has(dir)) p.push(`Dockerfile: the build reads ${dir}/ but the Dockerfile does not COPY it`);
  const hc = final.find((i) => i.op === 'HEALTHCHECK');
  const script = hc && (/"(\/usr\/local\/bin\/agentwire-healthcheck)"/.exec(hc.args) || [])[1];
  if (script) {
    const copied = ins.find((i) => i.op === 'COPY' && i.args.endsWith(script));
    const src = copied && copied.args.split(/\s+/)[0];
    if (!src || !isExecutable(src)) p.push(`Dockerfile: the HEALTHCHECK script ${src || script} is not an executable file in the context`);
  }
  return p;
}

// The top-level folders the build of agentwire reads: the top-level
// CMakeLists' add_subdirectory() (tests aside), and folders their CMake files
// name through ${PROJECT_SOURCE_DIR}/, ${CMAKE_SOURCE_DIR}/ or ../.
function buildDirs(root, fs, path) {
  const dirs = new Set(['cmake']);
  const top = fs.readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8');
  for (const m of top.matchAll(/add_subdirectory\(\s*([A-Za-z0-9_-]+)\s*\)/g))
    if (m[1] !== 'tests') dirs.add(m[1]);
  const refs = /\$\{(?:PROJECT_SOURCE_DIR|CMAKE_SOURCE_DIR)\}\/([A-Za-z0-9_-]+)|\$\{CMAKE_CURRENT_SOURCE_DIR\}\/\.\.\/([A-Za-z0-9_-]+)/g;
  for (const d of [...dirs]) {
    const dir = path.join(root, d);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((f) => f === 'CMakeLists.txt' || f.endsWith('.cmake')))
      for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(refs)) {
        const ref = m[1] || m[2];
        if (fs.existsSync(path.join(root, ref)) && fs.statSync(path.join(root, ref)).isDirectory()) dirs.add(ref);
      }
  }
  return [...dirs].sort();
}

module.exports = { checkDockerfile, buildDirs };
