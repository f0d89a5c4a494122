#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Open an ftio HTML report in headless Chromium and check it like a user would.

usage: html-check.py [--chromium PATH] [--screenshot FILE] [--no-click] PAGE.html

Drives Chromium through its DevTools protocol over --remote-debugging-pipe
(file descriptors 3 and 4, NUL-separated JSON), so only the standard library
is needed. It fails (exit 1, one line per problem on stderr) when:
  - the page fetches anything but itself (it must open offline);
  - the console shows an error or an uncaught exception;
  - the screenshot is blank (almost all one colour);
  - the Findings section is missing, lacks a finding of the page's data,
    or does not end within the first 800 pixels;
  - hovering the busiest cell of the all-calls heatmap shows no tooltip with
    its count, or clicking it does not narrow the syscall table to that
    column (the rows' counts must add up to the column's calls).
On success it prints one JSON line of measurements: load and render times,
the time a click takes to re-render, the page's size.
"""
import base64
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib


class Chromium:
    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="ftio-chromium-")
        r3, self.w = os.pipe()  # we write commands, Chromium reads fd 3
        self.r, w4 = os.pipe()  # Chromium writes fd 4, we read
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                "--user-data-dir=" + self.profile, "--remote-debugging-pipe",
                "--window-size=1280,2000", "about:blank"]

        def fds():
            # through fresh descriptors: r3 may already be 3, and dup2 onto
            # itself would leave it close-on-exec
            a, b = os.dup(r3), os.dup(w4)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(args, preexec_fn=fds,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, close_fds=False)
        os.close(r3)
        os.close(w4)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_msg(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace")[-2000:]
                raise RuntimeError("Chromium closed the pipe: " + err)
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_msg(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, timeout=60):
        deadline = time.time() + timeout
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                return self.events.pop(i)
        while True:
            m = self._read_msg(deadline)
            if m.get("method") == method:
                return m
            self.events.append(m)

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        subprocess.run(["rm", "-rf", self.profile])


def png_pixels(data):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG"""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6), f"PNG depth {depth} colour type {ctype}"
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


CLICK_JS = """(function () {
  const P = window.ftioPage, D = P.data, all = D.maps[0];
  let best = -1;
  all.n.forEach(function (n, c) { if (all.c[c] && (best < 0 || n > all.n[best])) best = c; });
  if (best < 0) return null;
  const col = all.c[best];
  let row = col[0], most = 0;
  for (let j = 1; j < col.length; j++) if (col[j] > most) { most = col[j]; row = col[0] + j - 1; }
  document.getElementById('hm-0').scrollIntoView({block: 'center'});
  const xy = P.cellCenter(0, best, row);
  return {col: best, row: row, cell: most, n: all.n[best], x: xy.x, y: xy.y};
})()"""

AFTER_JS = """(function () {
  const rows = Array.from(document.querySelectorAll('#t-syscalls tbody tr'));
  const starts = Array.from(document.querySelectorAll('#t-slowest tbody tr')).map(function (r) { return +r.getAttribute('data-start'); });
  const w = window.ftioPage.window();
  return {win: w, sum: rows.reduce(function (s, r) { return s + (+r.getAttribute('data-n')); }, 0),
          rows: rows.length, label: (document.getElementById('win-label') || {}).textContent || null,
          starts: starts};
})()"""


def evaluate(cr, sess, expr):
    r = cr.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                     "awaitPromise": True}, sess)
    if "exceptionDetails" in r:
        raise RuntimeError("page script failed: " + json.dumps(r["exceptionDetails"])[:500])
    return r["result"].get("value")


def main():
    args = sys.argv[1:]
    binary, shot, click = "/usr/bin/chromium", None, True
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--chromium":
            binary = args.pop(0)
        elif opt == "--screenshot":
            shot = args.pop(0)
        elif opt == "--no-click":
            click = False
        else:
            sys.exit(f"html-check.py: unknown option '{opt}'")
    if len(args) != 1:
        sys.exit(__doc__)
    page = os.path.abspath(args[0])
    url = "file://" + page
    problems, out = [], {"bytes": os.path.getsize(page)}

    cr = Chromium(binary)
    try:
        target = cr.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        sess = cr.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            cr.send(domain + ".enable", {}, sess)
        cr.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 2000,
                                                       "deviceScaleFactor": 1, "mobile": False}, sess)
        t = time.time()
        cr.send("Page.navigate", {"url": url}, sess)
        cr.wait_event("Page.loadEventFired", timeout=120)
        out["load_s"] = round(time.time() - t, 3)
        nav = evaluate(cr, sess, "JSON.stringify(performance.getEntriesByType('navigation')[0])")
        nav = json.loads(nav)
        out["dom_content_loaded_ms"] = round(nav["domContentLoadedEventEnd"])
        out["load_event_ms"] = round(nav["loadEventEnd"])
        if not evaluate(cr, sess, "!!window.ftioPage"):
            problems.append("the page script did not run (no window.ftioPage)")
        # the findings open the page: their list is drawn in the first screen (800 pixels)
        fnd = evaluate(cr, sess, "(function(){const e=document.getElementById('findings');"
                       "if(!e)return null;const b=e.getBoundingClientRect();"
                       "return {top:b.top,bottom:b.bottom,items:e.querySelectorAll('li').length,"
                       "want:(window.ftioPage.data.findings||[]).length};})()")
        out["findings"] = fnd
        if not fnd:
            problems.append("the page has no Findings section")
        elif fnd["bottom"] > 800 or fnd["items"] != fnd["want"]:
            problems.append(f"the Findings are not in the first screen: {fnd}")

        png = base64.b64decode(cr.send("Page.captureScreenshot", {"format": "png"}, sess)["data"])
        if shot:
            with open(shot, "wb") as f:
                f.write(png)
        w, h, bpp, rows = png_pixels(png)
        colours, inked, seen = set(), 0, 0
        for y in range(0, h, 4):
            line = rows[y]
            for x in range(0, w * bpp, 4 * bpp):
                px = tuple(line[x:x + 3])
                colours.add(px)
                seen += 1
                inked += px != (255, 255, 255)
        out["screenshot"] = {"width": w, "height": h, "colours": len(colours),
                             "inked": round(inked / seen, 3)}
        if len(colours) < 20 or inked / seen < 0.02:
            problems.append(f"the screenshot looks blank: {len(colours)} colours, "
                            f"{100 * inked / seen:.1f}% not white")

        if click and not problems:
            cell = evaluate(cr, sess, CLICK_JS)
            if not cell:
                problems.append("the all-calls heatmap has no cell to click")
            else:
                out["cell"] = cell
                time.sleep(0.2)  # scrollIntoView settles
                cell = evaluate(cr, sess, CLICK_JS)
                mouse = {"x": cell["x"], "y": cell["y"], "button": "left", "clickCount": 1}
                cr.send("Input.dispatchMouseEvent", dict(mouse, type="mouseMoved", button="none"), sess)
                tip = evaluate(cr, sess, "(function(){const t=document.getElementById('tip');"
                               "return t.style.display==='block'?t.textContent:null})()")
                out["tooltip"] = tip
                if not tip or f"{cell['cell']:,}" not in tip:
                    problems.append(f"hovering column {cell['col']} row {cell['row']} shows "
                                    f"{tip!r}, not its count {cell['cell']}")
                t = time.time()
                cr.send("Input.dispatchMouseEvent", dict(mouse, type="mousePressed"), sess)
                cr.send("Input.dispatchMouseEvent", dict(mouse, type="mouseReleased"), sess)
                after = evaluate(cr, sess, AFTER_JS)
                out["click_s"] = round(time.time() - t, 3)
                out["after"] = {k: after[k] for k in ("win", "sum", "rows", "label")}
                if not after["win"] or after["win"]["c0"] != cell["col"]:
                    problems.append(f"clicking column {cell['col']} set the window {after['win']}")
                elif after["sum"] != cell["n"]:
                    problems.append(f"after the click the syscall table counts {after['sum']} "
                                    f"calls, the column has {cell['n']}")
                if not after["label"]:
                    problems.append("no window banner after the click")
                a = evaluate(cr, sess, "window.ftioPage.data.axis")
                lo = a["t0_ns"] + cell["col"] * a["width_ns"]
                bad = [s for s in after["starts"] if not lo <= s < lo + a["width_ns"]]
                if bad:
                    problems.append(f"slowest calls outside the window: {bad[:5]}")

        for m in cr.events:
            meth, p = m.get("method"), m.get("params", {})
            if meth == "Runtime.exceptionThrown":
                problems.append("uncaught exception: " +
                                p["exceptionDetails"].get("exception", {}).get("description",
                                p["exceptionDetails"].get("text", "?"))[:300])
            elif meth == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                problems.append("console error: " + " ".join(
                    str(a.get("value", a.get("description", ""))) for a in p.get("args", []))[:300])
            elif meth == "Log.entryAdded" and p["entry"].get("level") == "error":
                problems.append("console error: " + p["entry"].get("text", "")[:300])
            elif meth == "Network.requestWillBeSent":
                u = p["request"]["url"]
                if u != url and not u.startswith("data:") and not u.startswith("about:"):
                    problems.append("the page fetched " + u[:200])
    finally:
        cr.close()
    print(json.dumps(out))
    for p in problems:
        print("html-check: " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
