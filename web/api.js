// The seed's HTTP endpoints. Errors come back as the server's own message so the overlay can
// show exactly what the regex engine said.

/**
 * @param {string} pattern
 * @returns {Promise<{ok: true, pattern: string, matched?: number} | {ok: false, error: string}>}
 */
export async function setPattern(pattern) {
  try {
    const res = await fetch("/api/set_pattern", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ pattern }),
    });
    let body = null;
    try { body = await res.json(); } catch { /* not JSON: fall through to the status text */ }
    if (!res.ok) return { ok: false, error: (body && body.error) || `HTTP ${res.status} ${res.statusText}` };
    return { ok: true, pattern: (body && body.pattern) || pattern, matched: body && body.matched };
  } catch (e) {
    return { ok: false, error: `cannot reach kubeluma: ${e}` };
  }
}

/** @returns {Promise<string|null|undefined>} the server's pattern; undefined when unreachable */
export async function currentPattern() {
  try {
    const res = await fetch("/api/current_pattern");
    if (!res.ok) return undefined;
    const body = await res.json();
    return body.pattern ?? null;
  } catch {
    return undefined;
  }
}
