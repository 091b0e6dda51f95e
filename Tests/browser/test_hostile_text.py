"""Cluster text is never markup. The simulator's only hostile text is a log line (covered in
test_logs), so here the page's own served renderers are fed a pod whose every field — name,
image, env value, event message, termination reason — is an <img onerror> payload."""

EVIL = '<img src=x onerror="window.__pwned=1">'

RENDER = """
const evil = arguments[0];
const done = arguments[arguments.length - 1];
Promise.all([import('/view-focus.js'), import('/state.js'), import('/view-table.js')]).then(([f, s, t]) => {
  const pod = {name: evil, namespace: evil, phase: evil, status: evil, nodeName: evil, node: evil, podIP: evil,
    qosClass: evil, createdAt: evil, deleted: true, deletedAt: evil,
    containers: [{name: evil, kind: 'app', image: evil, state: 'waiting', stateReason: evil, stateMessage: evil,
      startedAt: evil, env: [{name: evil, value: evil}], envFrom: [{source: evil, name: evil, prefix: evil}],
      lastTermination: {reason: evil, exitCode: 1, finishedAt: evil}, resources: {requests: {cpu: evil}}}],
    terminations: [{container: evil, reason: evil, exitCode: 2, startedAt: evil}]};
  const box = document.createElement('div');
  box.hidden = true;
  document.body.append(box);
  const parts = [0, 1, 2, 3, 4].map(() => document.createElement('div'));
  box.append(...parts);
  f.renderStatus(parts[0], pod, null);
  f.renderContainers(parts[1], pod);
  f.renderEnv(parts[2], pod);
  f.renderDeleted(parts[3], pod);
  const events = new s.EventList();
  events.replace([{pod: evil, type: evil, reason: evil, message: evil, source: evil, count: 3, lastSeen: evil}]);
  f.renderEvents(parts[4], events);
  const grid = document.createElement('div');
  grid.className = 'grid-body';
  grid.append(Object.assign(document.createElement('div'), {className: 'grid-spacer'}));
  box.append(grid);
  new t.PodTableView(grid, () => {}).setRows([{name: evil, namespace: evil, status: evil, node: evil, ready: 0, total: 1}]);
  const html = box.innerHTML;
  done({elements: box.querySelectorAll('img, script').length, text: box.textContent.split(evil).length - 1,
        escaped: html.includes('&lt;img')});
  box.remove();
}).catch((e) => done({error: String(e)}));
"""


def test_every_rendered_field_shows_markup_as_text(page):
    page.open()
    result = page.d.execute_async_script(RENDER, EVIL)
    assert "error" not in result, result
    assert result["elements"] == 0, "no element was created from cluster text"
    assert result["text"] >= 15, result  # the payload appears literally in every field
    assert result["escaped"]
    assert page.d.execute_script("return window.__pwned === undefined")
