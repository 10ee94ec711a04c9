"""Drives the HTML report in headless Chromium as a reader would, through the
DevTools protocol on a pipe (--remote-debugging-pipe: no port, no extra
library): types in the search box, clicks a filter, follows a link, and
checks what is shown; saves a screenshot after each step.

usage: drive.py REPORT.html SHOTDIR [CHROMIUM FLAG]...
Prints "ok: ..." or "FAIL: ..." per check; exits 1 when one failed."""
import base64
import json
import os
import subprocess
import sys
import time

report, shots, flags = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
failed = False


def check(what, good, detail=""):
    global failed
    print(("ok: " if good else "FAIL: ") + what + (f" ({detail})" if detail else ""), flush=True)
    failed |= not good


class Browser:
    def __init__(self):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():  # Chromium reads commands on fd 3 and answers on fd 4
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)  # out of the way of 3 and 4
            os.dup2(r, 3)
            os.dup2(w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.proc = subprocess.Popen(["chromium", *flags, "--remote-debugging-pipe", "about:blank"],
                                     close_fds=False, preexec_fn=fds,  # closing would take 3 and 4 too
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf, self.next_id, self.events, self.session = b"", 0, [], None

    def _read(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name, timeout=60):
        deadline = time.time() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == name:
                    return self.events.pop(i)
            self.events.append(self._read(deadline))

    def js(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
        return r.get("result", {}).get("value")

    def click(self, selector):
        box = self.js(f"(function(){{var e=document.querySelector({json.dumps(selector)});"
                      f"e.scrollIntoView({{block:'center'}});var r=e.getBoundingClientRect();"
                      f"return [r.left+r.width/2, r.top+r.height/2]}})()")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                                   "clickCount": 1})

    def shot(self, name):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path = os.path.join(shots, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        check(f"screenshot {path}", os.path.getsize(path) > 0)

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def shown(b, selector):
    """The data-* of the elements matching selector that no filter hides."""
    return b.js(f"Array.prototype.filter.call(document.querySelectorAll({json.dumps(selector)}),"
                f"function(e){{return e.closest('[hidden]')===null}}).map(function(e){{return Object.assign({{}},"
                f"e.dataset)}})")


def count_all(b, selector):
    return b.js(f"document.querySelectorAll({json.dumps(selector)}).length")


def pick(b, select, value):
    """Chooses value in a select of the filter bar, as a reader does."""
    b.js(f"(function(){{var s=document.querySelector({json.dumps(select)});s.value={json.dumps(value)};"
         f"s.dispatchEvent(new Event('change'))}})()")


def lists(d, key):
    return (d.get(key) or "").split("|")


# The sections the filter bar narrows besides the claims: what each shows.
NARROWED = {"charts": ".chart", "people": "table.people tr[data-narrow]", "events": "table.events tr[data-narrow]",
            "timeline events": "svg.timeline g.event", "timeline people": "svg.timeline a[data-narrow]"}


def narrowing(b):
    """Reader's filters on charts, people and events: a document, a person,
    Missed, an indicator; each narrows every section by the same data."""
    b.click("button[data-met='']")
    b.js("(function(){var q=document.getElementById('q');q.value='';q.dispatchEvent(new Event('input'))})()")
    totals = {k: count_all(b, sel) for k, sel in NARROWED.items()}
    check("the charts, people and events carry filter data", all(n > 0 for n in totals.values()), str(totals))
    check("with no filter everything is shown", all(len(shown(b, sel)) == totals[k] for k, sel in NARROWED.items()))

    # A document with charts, events and people, so that each section keeps some.
    docs = {k: {x for d in shown(b, NARROWED[k]) for x in lists(d, "docs")} for k in ("charts", "events", "people")}
    both = sorted(docs["charts"] & docs["events"] & docs["people"])
    check("a document has charts, events and people", both, str(both))
    doc = both[0] if both else shown(b, ".chart")[0]["docs"]
    pick(b, "#f-doc", doc)
    for k, sel in NARROWED.items():
        left = shown(b, sel)
        some = k not in docs or len(left) > 0
        check(f"the document filter narrows the {k}", some and len(left) < totals[k]
              and all(doc in lists(d, "docs") for d in left), f"{len(left)} of {totals[k]}")
    check("charts of other documents hide their heading too",
          b.js("Array.prototype.filter.call(document.querySelectorAll('.chart-doc'),function(g){"
               "return !g.hidden}).length") == 1)
    b.js("document.getElementById('targets').scrollIntoView();0")
    b.shot("report-5-document-charts.png")
    pick(b, "#f-doc", "")

    people = [d["people"] for d in shown(b, "table.people tr[data-narrow]") if d.get("indicators")]
    options = b.js("Array.prototype.map.call(document.querySelectorAll('#f-person option'),function(o){"
                   "return o.value})")
    person = next(p for p in people if p in options)
    pick(b, "#f-person", person)
    rows = shown(b, "table.people tr[data-narrow]")
    check("the person filter leaves that person's row", [d["people"] for d in rows] == [person], person)
    for k in ("events", "timeline events", "timeline people", "charts"):
        left = shown(b, NARROWED[k])
        check(f"the person filter narrows the {k}", all(person in lists(d, "people") for d in left)
              and len(left) < totals[k], f"{len(left)} of {totals[k]}")
    b.js("document.getElementById('people').scrollIntoView();0")
    b.shot("report-6-person.png")
    pick(b, "#f-person", "")

    everyone = shown(b, NARROWED["people"])
    b.click("button[data-met=missed]")
    charts = shown(b, ".chart")
    check("Missed leaves missed charts only, drawn red",
          0 < len(charts) < totals["charts"] and all(d["met"] == "missed" for d in charts)
          and b.js("Array.prototype.every.call(document.querySelectorAll('.chart'),function(c){"
                   "return c.closest('[hidden]')!==null||c.querySelector('rect.missed')!==null})"),
          f"{len(charts)} of {totals['charts']}")
    for word in ("missed", "unknown"):
        b.click(f"button[data-met={word}]")
        rows = [d["people"] for d in shown(b, NARROWED["people"])]
        want = [d["people"] for d in everyone if word in lists(d, "met")]
        check(f"{word.capitalize()} leaves the people named in a claim that is {word}",
              rows == want and (word == "missed" or 0 < len(rows) < totals["people"]), f"{rows}")
    check("the met filter leaves the events (they have no target)",
          len(shown(b, NARROWED["events"])) == totals["events"])
    b.click("button[data-met='']")

    ind = shown(b, ".chart")[0]["indicators"]
    pick(b, "#f-ind", ind)
    charts = shown(b, ".chart")
    check("the indicator filter leaves that indicator's charts", charts and all(d["indicators"] == ind for d in charts),
          ind)
    check("the indicator filter hides the events (they have no indicator)", not shown(b, NARROWED["events"]))
    ind = next(x for d in everyone for x in lists(d, "indicators") if x)
    pick(b, "#f-ind", ind)
    rows = [d for d in shown(b, NARROWED["people"])]
    check("the indicator filter leaves the people of its claims",
          0 < len(rows) < totals["people"] and all(ind in lists(d, "indicators") for d in rows),
          f"{ind}: {[d['people'] for d in rows]}")
    pick(b, "#f-ind", "")


def visible(b, selector):
    return b.js(f"Array.prototype.filter.call(document.querySelectorAll({json.dumps(selector)}),"
                f"function(e){{return !e.hidden && e.offsetParent!==null}}).length")


def main():
    b = Browser()
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        b.session = b.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        b.send("Page.enable")
        b.send("Emulation.setDeviceMetricsOverride", {"width": 1200, "height": 1600, "deviceScaleFactor": 1,
                                                      "mobile": False})
        b.send("Page.navigate", {"url": "file://" + report})
        b.wait_event("Page.loadEventFired")
        total = visible(b, "[data-filter]")
        claims = visible(b, ".claim")
        check("claims and findings are listed", claims >= 10 and total > claims, f"{claims} claims, {total} in all")
        check("the counter says how many are shown", b.js("document.getElementById('count').textContent")
              == f"{total} of {total} claims and findings shown")
        b.shot("report-1-opened.png")

        # Type in the search box, as a reader does: focus it, then keys.
        b.click("#q")
        b.send("Input.insertText", {"text": "assessment"})
        shown = visible(b, "[data-filter]")
        texts = b.js("Array.prototype.filter.call(document.querySelectorAll('[data-filter]'),function(e){"
                     "return !e.hidden}).map(function(e){return e.dataset.text.toLowerCase()})")
        check("typing 'assessment' narrows the list", 0 < shown < total, f"{shown} of {total}")
        check("every item shown holds the word", all("assessment" in t for t in texts))
        b.js("document.getElementById('findings').scrollIntoView();0")
        b.shot("report-2-search.png")

        # Click the "Missed" filter: only missed claims (findings stay).
        b.click("button[data-met=missed]")
        mets = b.js("Array.prototype.filter.call(document.querySelectorAll('.claim'),function(e){return !e.hidden})"
                    ".map(function(e){return e.dataset.met})")
        check("the Missed filter keeps missed claims only", len(mets) >= 1 and set(mets) == {"missed"}, str(mets))
        check("the Missed button shows it is pressed",
              b.js("document.querySelector('button[data-met=missed]').getAttribute('aria-pressed')") == "true")
        b.js("document.getElementById('claims').scrollIntoView();0")
        b.shot("report-3-missed.png")

        # Follow the claim's link to its sentence among the sources.
        href = b.js("Array.prototype.filter.call(document.querySelectorAll('.claim'),function(e){return !e.hidden})[0]"
                    ".querySelector('a.to-sentence').getAttribute('href')")
        quote = b.js("Array.prototype.filter.call(document.querySelectorAll('.claim'),function(e){return !e.hidden})[0]"
                     ".querySelector('blockquote').textContent")
        b.js("window.__first=Array.prototype.filter.call(document.querySelectorAll('.claim'),function(e){"
             "return !e.hidden})[0].querySelector('a.to-sentence');window.__first.id='followed';0")
        b.click("#followed")
        time.sleep(0.3)
        check("the link leads to the sentence", b.js("location.hash") == href, f"{b.js('location.hash')} vs {href}")
        target = b.js("(function(){var t=document.querySelector(':target');return t?t.textContent:null})()")
        check("the sentence is highlighted (:target) and is the claim's",
              target is not None and target in quote, f"{target!r}")
        rect = b.js("(function(){var r=document.querySelector(':target').getBoundingClientRect();"
                    "return [Math.round(r.top),Math.round(r.bottom),innerHeight]})()")
        check("the sentence is on screen", rect[0] >= 0 and rect[1] <= rect[2], str(rect))
        check("the highlight is drawn", b.js("getComputedStyle(document.querySelector(':target')).backgroundColor")
              == "rgb(255, 224, 138)")
        b.shot("report-4-sentence.png")
        src = b.js("document.querySelector('a.to-source').getAttribute('href')")
        check("claims link to their source file by a relative path", src and not src.startswith(("/", "http")), src)
        pdf = b.js("Array.prototype.map.call(document.querySelectorAll('a.to-source'),function(a){"
                   "return a.getAttribute('href')}).filter(function(h){return /\\.pdf#page=\\d+$/.test(h)}).length")
        check("PDF sources open at their page (file.pdf#page=N)", pdf > 0, f"{pdf} links")
        cite = b.js("document.querySelector('button.copy').dataset.cite")
        check("each claim has a citation with title, date and sentence", cite and "\u201c" in cite and "(" in cite,
              cite)
        narrowing(b)
    finally:
        b.close()


main()
sys.exit(1 if failed else 0)
