/**
 * A self-contained API reference rendered on the server from the OpenAPI document: it works offline,
 * behind firewalls and without any script from a CDN.
 */
type Json = Record<string, unknown>;

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

function schemaText(schema: unknown): string {
  return escapeHtml(JSON.stringify(schema, null, 2) ?? '');
}

function renderOperation(path: string, method: string, op: Json): string {
  const params = (op.parameters as Json[] | undefined) ?? [];
  const body = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as
    | Json
    | undefined;
  const responses = Object.entries((op.responses as Json | undefined) ?? {});
  const anchor = `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-');
  return `<section class="op" id="${anchor}">
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
  <p>${escapeHtml(String(op.summary ?? ''))}${op.security ? ' <span class="lock">requires a bearer token</span>' : ''}</p>
  ${
    params.length
      ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr>${params
          .map(
            (p) =>
              `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${p.required ? 'yes' : 'no'}</td><td>${escapeHtml(String((p.schema as Json | undefined)?.description ?? p.description ?? ''))}</td></tr>`,
          )
          .join('')}</table>`
      : ''
  }
  ${body ? `<details><summary>request body</summary><pre>${schemaText(body.schema)}</pre></details>` : ''}
  <ul class="responses">${responses.map(([status, r]) => `<li><b>${escapeHtml(status)}</b> ${escapeHtml(String((r as Json).description ?? ''))}</li>`).join('')}</ul>
</section>`;
}

export function renderDocsPage(document: Json): string {
  const info = (document.info as Json | undefined) ?? {};
  const paths = Object.entries((document.paths as Record<string, Json> | undefined) ?? {});
  const ops: string[] = [];
  const index: string[] = [];
  for (const [path, item] of paths) {
    for (const method of methods) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      ops.push(renderOperation(path, method, op));
      index.push(
        `<li><a href="#${`${method}-${path}`.replace(/[^a-z0-9]+/gi, '-')}"><span class="m ${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`,
      );
    }
  }
  const schemas = Object.entries(
    ((document.components as Json | undefined)?.schemas as Json | undefined) ?? {},
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(String(info.title ?? 'API'))} — reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1d2733}
nav{width:300px;background:#f3f5f8;height:100vh;overflow:auto;position:sticky;top:0;padding:1rem;box-sizing:border-box}
nav ul{list-style:none;padding:0;margin:0}nav li{margin:.2rem 0;font-size:13px}nav a{color:inherit;text-decoration:none}
main{flex:1;padding:1.5rem 2rem;max-width:1000px}
.m{display:inline-block;min-width:3.5rem;font:bold 12px monospace;padding:2px 4px;border-radius:3px;color:#fff;text-align:center}
.get{background:#2f7d32}.post{background:#1565c0}.put,.patch{background:#ef6c00}.delete{background:#c62828}
.op{border-top:1px solid #dde3ea;padding:.5rem 0}.lock{font-size:12px;color:#8a5a00;background:#fff4d6;padding:1px 6px;border-radius:3px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #dde3ea;padding:3px 8px;text-align:left}
pre{background:#0f1720;color:#e6edf3;padding:.75rem;overflow:auto;font-size:12px;border-radius:4px}
</style></head>
<body><nav><h2>${escapeHtml(String(info.title ?? 'API'))}</h2><p><a href="/openapi.json">openapi.json</a></p><ul>${index.join('')}</ul></nav>
<main><h1>${escapeHtml(String(info.title ?? 'API'))} <small>${escapeHtml(String(info.version ?? ''))}</small></h1>
<p>${escapeHtml(String(info.description ?? ''))}</p>
${ops.join('\n')}
<h2>Schemas</h2>
${schemas.map(([name, s]) => `<details id="schema-${escapeHtml(name)}"><summary><code>${escapeHtml(name)}</code></summary><pre>${schemaText(s)}</pre></details>`).join('\n')}
</main></body></html>`;
}
