import Foundation
import LeakwardPlan
import LeakwardSupport
import LeakwardModel

/// The rotation plan as one self-contained HTML page (`plan --format html`): a sortable,
/// filterable summary table, a card per credential with its steps as checkboxes (kept in the
/// browser's `localStorage` by fingerprint and step id) and an exposure timeline drawn as
/// inline SVG. No request leaves the page: styles and script are inline, a Content Security
/// Policy forbids everything else, and every text is escaped. It holds exactly what the
/// Markdown plan holds, so the same redaction applies.
public struct HTMLPlanWriter: PlanWriter {
    public static let formatName = "html"

    public init() {}

    public func render(_ plan: RotationPlan) throws -> String {
        var out = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
            <meta name="referrer" content="no-referrer">
            <title>Leakward rotation plan</title>
            <style>\(Self.style)</style>
            </head>
            <body data-generated="\(esc(plan.generatedAt))">
            <header>
            <h1>Leakward rotation plan</h1>

            """
        let summary = plan.summary
        out += "<p class=\"meta\">Scanned \(plan.roots.map { "<code>\(esc($0))</code>" }.joined(separator: ", ")) at \(esc(plan.generatedAt)). "
        out += "\(summary.credentials) credential\(summary.credentials == 1 ? "" : "s"): \(summary.urgent) urgent, \(summary.rotate) rotate, "
        out += "\(summary.review) review, \(summary.low) low; \(summary.configProblems) configuration problem\(summary.configProblems == 1 ? "" : "s")"
        if plan.isVerified { out += "; providers say \(summary.live) live, \(summary.revoked) revoked" }
        out += ".</p>\n"
        if !plan.isComplete { out += "<p class=\"warn\"><strong>Incomplete:</strong> the scan was interrupted; this plan lists only what was found so far.</p>\n" }
        out += "<p class=\"meta\">Work top to bottom: revoke first, then replace, redeploy and verify. Ticks are kept in this browser; "
        out += "<button type=\"button\" id=\"export-state\">Download progress</button> saves them as <code>leakward-plan.json</code>, "
        out += "and <code>leakward plan --state leakward-plan.json</code> carries them into the next plan.</p>\n</header>\n"
        out += "<main>\n"
        if plan.items.isEmpty {
            out += "<p id=\"nothing\">Nothing to rotate: no credentials found.</p>\n"
        } else {
            out += filters(plan) + table(plan)
            out += "<section id=\"cards\">\n"
            for item in plan.items { out += card(item, plan: plan) }
            out += "</section>\n"
        }
        if !plan.configProblems.isEmpty {
            out += "<section id=\"config\"><h2>Configuration problems</h2>\n"
            for problem in plan.configProblems {
                out += "<article class=\"problem\" id=\"\(esc(problem.id))\"><h3>\(esc(problem.id)). \(inline(problem.title)) <span class=\"sev\">\(esc(problem.severity.name))</span></h3>\n"
                out += "<p>\(inline(problem.detail))\(problem.credentials.isEmpty ? "" : " Concerns " + problem.credentials.map { "<a href=\"#\(esc($0))\">\(esc($0))</a>" }.joined(separator: ", ") + ".")</p>\n"
                out += "<ul class=\"plain\">" + problem.steps.map { "<li>\(inline($0.text))\(details($0.details))</li>" }.joined() + "</ul></article>\n"
            }
            out += "</section>\n"
        }
        if !plan.gone.isEmpty {
            out += "<section id=\"gone\"><h2>Gone since the last plan</h2><ul>"
            for gone in plan.gone {
                // The data attributes let "Download progress" keep gone credentials' ticks in the state it writes.
                out += "<li data-fingerprint=\"\(esc(gone.fingerprint))\" data-provider=\"\(esc(gone.provider))\" data-rule-name=\"\(esc(gone.ruleName))\" "
                out += "data-done=\"\(esc(gone.done.joined(separator: " ")))\" data-last-seen=\"\(esc(gone.lastSeen))\"><code>\(esc(gone.fingerprint))</code> \(esc(gone.provider)) \(esc(gone.ruleName)): last seen \(esc(String(gone.lastSeen.prefix(10))))</li>"
            }
            out += "</ul></section>\n"
        }
        if let purge = plan.historyPurge {
            out += "<section id=\"purge\"><h2>Purging git history (after rotating)</h2>\n"
            out += "<p>Save as <code>leakward-replace.txt</code>, then run <code>\(esc(purge.command))</code> in a fresh clone and force-push:</p>\n"
            out += "<pre>\(esc(purge.replaceText))</pre>\n<p class=\"warn\">\(esc(purge.warning))</p></section>\n"
        }
        out += "</main>\n<script>\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }

    // MARK: - Summary

    func filters(_ plan: RotationPlan) -> String {
        func select(_ id: String, _ label: String, _ values: [String]) -> String {
            "<label>\(label) <select id=\"filter-\(id)\" data-filter=\"\(id)\"><option value=\"\">all</option>"
                + values.map { "<option value=\"\(esc($0))\">\(esc($0))</option>" }.joined() + "</select></label>\n"
        }
        let tiers = UrgencyTier.allCases.map(\.rawValue).filter { tier in plan.items.contains { $0.urgency.tier.rawValue == tier } }
        let channels = ExposureChannel.allCases.filter { channel in plan.items.contains { $0.worstChannel == channel } }.map(\.rawValue)
        let providers = Array(Set(plan.items.map(\.provider))).sorted()
        let live = Array(Set(plan.items.map { Self.liveValue($0) })).sorted()
        return "<section id=\"filters\">\n" + select("tier", "Tier", tiers) + select("channel", "Channel", channels)
            + select("provider", "Provider", providers) + select("live", "Live", live)
            + "<span id=\"shown\" aria-live=\"polite\"></span></section>\n"
    }

    static func liveValue(_ item: PlanItem) -> String { item.verification?.status.rawValue ?? "not-checked" }

    func dataAttributes(_ item: PlanItem) -> String {
        "data-id=\"\(esc(item.id))\" data-tier=\"\(item.urgency.tier.rawValue)\" data-channel=\"\(item.worstChannel.rawValue)\" "
            + "data-provider=\"\(esc(item.provider))\" data-live=\"\(Self.liveValue(item))\""
    }

    public func table(_ plan: RotationPlan) -> String {
        var out = "<table id=\"summary\"><thead><tr>"
        let columns: [(String, String)] = [("rank", "id"), ("provider", "provider"), ("channel", "channel"), ("live", "live"),
                                           ("tier", "tier"), ("first", "first seen"), ("action", "action")]
        for (key, title) in columns {
            out += "<th scope=\"col\"><button type=\"button\" data-sort=\"\(key)\">\(title)</button></th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for item in plan.items {
            let first = item.firstSeen.map { String($0.date.prefix(10)) } ?? ""
            out += "<tr \(dataAttributes(item)) data-rank=\"\(item.rank)\" data-tier-rank=\"\(item.urgency.tier.rank)\" data-first=\"\(esc(first))\">"
            out += "<td><a href=\"#\(esc(item.id))\">\(esc(item.id))</a></td><td>\(esc(item.provider))</td><td>\(esc(item.worstChannel.title))</td>"
            out += "<td><span class=\"live-\(Self.liveValue(item))\">\(esc(VerificationResult.label(item.verification)))</span></td>"
            out += "<td>\(item.urgency.tier.rawValue)</td><td>\(first.isEmpty ? "—" : esc(first))</td><td>\(esc(item.action))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    // MARK: - Cards

    func card(_ item: PlanItem, plan: RotationPlan) -> String {
        var out = "<article class=\"card tier-\(item.urgency.tier.rawValue)\" id=\"\(esc(item.id))\" data-fingerprint=\"\(esc(item.fingerprint))\" "
        out += "data-rule-name=\"\(esc(item.ruleName))\" \(dataAttributes(item))>\n"
        out += "<h2>\(esc(item.id)). \(esc(item.ruleName)) <span class=\"sev\">\(esc(item.urgency.effectiveSeverity.name))</span>"
        out += " <span class=\"live-\(Self.liveValue(item))\">\(esc(VerificationResult.label(item.verification)))</span></h2>\n<dl>\n"
        var what = "\(esc(item.provider)), <code>\(esc(item.preview))</code>, fingerprint <code>\(esc(item.fingerprint))</code>, rule <code>\(esc(item.ruleID))</code>"
        if item.validation != .unchecked { what += ", \(esc(item.validation.rawValue))" }
        out += "<dt>What</dt><dd>\(what)</dd>\n"
        if let verification = item.verification { out += "<dt>Provider says</dt><dd>\(inline(MarkdownPlanWriter.describe(verification)))</dd>\n" }
        if !item.variables.isEmpty { out += "<dt>Assigned to</dt><dd>\(item.variables.map { "<code>\(esc($0))</code>" }.joined(separator: ", "))</dd>\n" }
        if let evidence = item.clientEvidence { out += "<dt>Reaches the browser</dt><dd>\(inline(evidence))</dd>\n" }
        out += "<dt>Where</dt><dd><ul class=\"plain\">" + MarkdownPlanWriter.evidenceLines(item.exposures).map { "<li>\(inline($0))</li>" }.joined() + "</ul></dd>\n"
        out += "<dt>Blast radius</dt><dd>\(inline(item.blastRadius))</dd>\n"
        out += "<dt>Why here</dt><dd>\(inline(item.urgency.summary))</dd>\n"
        for note in item.notes { out += "<dt>Note</dt><dd>\(inline(note))</dd>\n" }
        out += "</dl>\n" + timeline(item, plan: plan)
        out += "<ol class=\"steps\">\n"
        for step in item.steps {
            out += "<li><label><input type=\"checkbox\" data-step=\"\(esc(step.id))\"\(step.isDone ? " checked data-done=\"1\"" : "")> "
            out += "\(inline(step.text))</label>\(details(step.details))</li>\n"
        }
        return out + "</ol>\n</article>\n"
    }

    public func details(_ details: [String]) -> String {
        guard !details.isEmpty else { return "" }
        let shown = details.prefix(MarkdownPlanWriter.maxDetails)
        var out = "<ul>" + shown.map { "<li>\(inline($0))</li>" }.joined()
        if details.count > shown.count { out += "<li>…and \(details.count - shown.count) more (see <code>--format json</code>)</li>" }
        return out + "</ul>"
    }

    // MARK: - Timeline

    /// One point in time on a credential's timeline.
    struct Event {
        var date: Date?
        var label: String
        var kind: String
    }

    /// First commit, the first sighting on each channel, removal from HEAD, last seen (the
    /// scan) and the verification, on one axis from the first event to the scan.
    func timeline(_ item: PlanItem, plan: RotationPlan) -> String {
        var events: [Event] = []
        let now = Urgency.parse(plan.generatedAt)
        if let first = item.firstSeen {
            events.append(Event(date: Urgency.parse(first.date), label: "first commit \(first.id.description.prefix(7))", kind: "first"))
        }
        for channel in item.channels {
            let dates = item.exposures.filter { $0.channels.contains(channel) }.compactMap { $0.location.commit.flatMap { Urgency.parse($0.date) } }
            events.append(Event(date: dates.min() ?? now, label: channel.title, kind: "channel"))
        }
        if !item.isStillPresent { events.append(Event(date: nil, label: "removed from HEAD", kind: "removed")) }
        events.append(Event(date: now, label: "last seen (this scan)", kind: "seen"))
        if let verification = item.verification {
            events.append(Event(date: Urgency.parse(verification.checkedAt), label: "verified: \(verification.status.rawValue)", kind: "verified"))
        }
        let dated = events.compactMap(\.date)
        guard let start = dated.min(), let end = [dated.max() ?? start, now ?? start].max() else { return "" }
        let span = max(end.timeIntervalSince(start), 1)
        let width = 640.0, left = 16.0, right = 16.0, rowHeight = 16.0
        let height = 34 + rowHeight * Double(events.count)
        var svg = "<svg class=\"timeline\" role=\"img\" aria-label=\"Exposure timeline of \(esc(item.id))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\">"
        svg += "<line x1=\"\(left)\" y1=\"20\" x2=\"\(width - right)\" y2=\"20\" class=\"axis\"/>"
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        svg += "<text x=\"\(left)\" y=\"12\" class=\"tick\">\(formatter.string(from: start))</text>"
        svg += "<text x=\"\(width - right)\" y=\"12\" class=\"tick\" text-anchor=\"end\">\(formatter.string(from: end))</text>"
        for (index, event) in events.enumerated() {
            // Undated events (removal from HEAD: the commit that removed it is not recorded) sit at the scan.
            let date = event.date ?? end
            let x = left + (width - left - right) * date.timeIntervalSince(start) / span
            let y = 34 + rowHeight * Double(index)
            let anchor = x > width / 2 ? "end" : "start"
            let textX = anchor == "end" ? x - 6 : x + 6
            let when = event.date.map { formatter.string(from: $0) } ?? "date unknown"
            svg += "<line x1=\"\(Self.number(x))\" y1=\"20\" x2=\"\(Self.number(x))\" y2=\"\(Self.number(y - 4))\" class=\"stem\"/>"
            svg += "<circle cx=\"\(Self.number(x))\" cy=\"20\" r=\"4\" class=\"ev-\(event.kind)\"/>"
            svg += "<text x=\"\(Self.number(textX))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" class=\"label\">\(esc(event.label)) · \(when)</text>"
        }
        return svg + "</svg>\n"
    }

    public static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    // MARK: - Text

    func esc(_ text: String) -> String { Self.escape(text) }

    /// Escaped, with control characters and bidirectional overrides made visible (`InertText.html`).
    public static func escape(_ text: String) -> String { InertText.html(text) }

    /// The plan's inline Markdown (code spans, bold) as HTML; everything else is escaped text.
    public func inline(_ markdown: String) -> String {
        var out = ""
        var isCode = false
        var isBold = false
        var rest = Substring(markdown)
        while let character = rest.first {
            if character == "`" {
                out += isCode ? "</code>" : "<code>"
                isCode.toggle()
                rest = rest.dropFirst()
            } else if !isCode && rest.hasPrefix("**") {
                out += isBold ? "</strong>" : "<strong>"
                isBold.toggle()
                rest = rest.dropFirst(2)
            } else {
                out += Self.escape(String(character))
                rest = rest.dropFirst()
            }
        }
        if isCode { out += "</code>" }
        if isBold { out += "</strong>" }
        return out
    }

    static let style = """
        :root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--card:#f6f8fa;--urgent:#cf222e;--rotate:#bc4c00;--review:#9a6700;--low:#1a7f37}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8b949e;--line:#30363d;--card:#161b22}}
        body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1100px;padding:1rem 1.5rem}
        code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--card);padding:0 .2em;border-radius:4px;overflow-wrap:anywhere}
        pre{background:var(--card);padding:.75rem;overflow:auto}
        .meta{color:var(--muted)} .warn{color:var(--urgent)}
        table{border-collapse:collapse;width:100%;margin:1rem 0}
        th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
        th button{font:inherit;font-weight:600;background:none;border:0;color:inherit;cursor:pointer;padding:0}
        th button[aria-sort=ascending]::after{content:" ▲"} th button[aria-sort=descending]::after{content:" ▼"}
        #filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
        .card{background:var(--card);border-left:6px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
        .tier-urgent{border-left-color:var(--urgent)} .tier-rotate{border-left-color:var(--rotate)} .tier-review{border-left-color:var(--review)} .tier-low{border-left-color:var(--low)}
        .card h2{font-size:1.15rem;margin:.3rem 0}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0} dt{font-weight:600} dd{margin:0}
        .sev,[class^=live-]{font-size:.8rem;border:1px solid var(--line);border-radius:1em;padding:0 .5em;font-weight:500}
        .live-live{background:var(--urgent);color:#fff} .live-revoked{background:var(--low);color:#fff}
        ul.plain{margin:0;padding-left:1.1rem} .steps li{margin:.3rem 0} .steps input{margin-right:.4rem}
        .steps input:checked+*,.steps label:has(input:checked){color:var(--muted);text-decoration:line-through}
        .timeline{max-width:680px;display:block;margin:.5rem 0}
        .timeline .axis{stroke:var(--muted);stroke-width:2} .timeline .stem{stroke:var(--line)}
        .timeline .tick,.timeline .label{font-size:11px;fill:var(--fg)}
        .ev-first{fill:var(--urgent)} .ev-channel{fill:var(--rotate)} .ev-removed{fill:var(--muted)} .ev-seen{fill:var(--review)} .ev-verified{fill:var(--low)}
        [hidden]{display:none!important}
        """

    /// Sorting, filtering and checkbox persistence; nothing is fetched or sent.
    public static let script = """
        (function(){
          "use strict";
          var storageKey = function(fingerprint){ return "leakward:plan:" + fingerprint; };
          var storage = null;
          try { storage = window.localStorage; storage.getItem("leakward:probe"); } catch (e) { storage = null; }
          function load(fingerprint){
            if (!storage) return [];
            try { var v = JSON.parse(storage.getItem(storageKey(fingerprint)) || "[]"); return Array.isArray(v) ? v : []; } catch (e) { return []; }
          }
          document.querySelectorAll("article.card").forEach(function(card){
            var fingerprint = card.getAttribute("data-fingerprint");
            var saved = load(fingerprint);
            card.querySelectorAll("input[type=checkbox][data-step]").forEach(function(box){
              if (saved.indexOf(box.getAttribute("data-step")) >= 0) box.checked = true;
              box.addEventListener("change", function(){
                var ticked = [];
                card.querySelectorAll("input[type=checkbox][data-step]").forEach(function(b){ if (b.checked) ticked.push(b.getAttribute("data-step")); });
                if (storage) storage.setItem(storageKey(fingerprint), JSON.stringify(ticked));
              });
            });
          });
          // "Download progress": the ticks as a `leakward plan --state` file (docs/plan-schema.md, PlanState):
          // fingerprints and step ids only, so the next plan regenerated by the CLI keeps them.
          var exportButton = document.getElementById("export-state");
          if (exportButton) exportButton.addEventListener("click", function(){
            var generated = document.body.getAttribute("data-generated") || "";
            var state = { schema: "leakward.plan-state/1", updated_at: new Date().toISOString().replace(/\\.\\d+Z$/, "Z"), credentials: {} };
            document.querySelectorAll("#gone li[data-fingerprint]").forEach(function(li){
              var done = (li.getAttribute("data-done") || "").split(" ").filter(function(s){ return s; });
              state.credentials[li.getAttribute("data-fingerprint")] = { provider: li.getAttribute("data-provider") || "",
                rule_name: li.getAttribute("data-rule-name") || "", done: done, status: "gone", last_seen: li.getAttribute("data-last-seen") || "" };
            });
            document.querySelectorAll("article.card").forEach(function(card){
              var done = [], steps = 0;
              card.querySelectorAll("input[type=checkbox][data-step]").forEach(function(b){ steps++; if (b.checked) done.push(b.getAttribute("data-step")); });
              done.sort();
              var entry = { provider: card.getAttribute("data-provider") || "", rule_name: card.getAttribute("data-rule-name") || "",
                done: done, status: done.length === steps ? "done" : "open", last_seen: generated };
              var live = card.getAttribute("data-live");
              if (live && live !== "not-checked") entry.verification = live;
              state.credentials[card.getAttribute("data-fingerprint")] = entry;
            });
            var blob = new Blob([JSON.stringify(state, null, 2) + "\\n"], { type: "application/json" });
            var link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = "leakward-plan.json";
            document.body.appendChild(link);
            link.click();
            setTimeout(function(){ URL.revokeObjectURL(link.href); link.remove(); }, 1000);
          });
          var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
          function applyFilters(){
            var wanted = {};
            selects.forEach(function(s){ if (s.value) wanted[s.getAttribute("data-filter")] = s.value; });
            var shown = 0, total = 0;
            document.querySelectorAll("#summary tbody tr, article.card").forEach(function(el){
              var ok = Object.keys(wanted).every(function(k){ return el.getAttribute("data-" + k) === wanted[k]; });
              el.hidden = !ok;
              if (el.tagName === "TR") { total++; if (ok) shown++; }
            });
            var label = document.getElementById("shown");
            if (label) label.textContent = shown + " of " + total + " shown";
          }
          selects.forEach(function(s){ s.addEventListener("change", applyFilters); });
          var tbody = document.querySelector("#summary tbody");
          document.querySelectorAll("th button[data-sort]").forEach(function(button){
            button.addEventListener("click", function(){
              var key = button.getAttribute("data-sort");
              var ascending = button.getAttribute("aria-sort") !== "ascending";
              document.querySelectorAll("th button[data-sort]").forEach(function(b){ b.removeAttribute("aria-sort"); });
              button.setAttribute("aria-sort", ascending ? "ascending" : "descending");
              var column = Array.prototype.indexOf.call(button.closest("tr").children, button.closest("th"));
              var rows = Array.prototype.slice.call(tbody.rows);
              function value(row){
                if (key === "rank") return Number(row.getAttribute("data-rank"));
                if (key === "tier") return Number(row.getAttribute("data-tier-rank"));
                if (key === "first") return row.getAttribute("data-first") || "9999";
                return row.cells[column].textContent.toLowerCase();
              }
              rows.sort(function(a, b){
                var x = value(a), y = value(b);
                var c = x < y ? -1 : (x > y ? 1 : 0);
                if (c === 0) c = Number(a.getAttribute("data-rank")) - Number(b.getAttribute("data-rank"));
                return ascending ? c : -c;
              });
              rows.forEach(function(r){ tbody.appendChild(r); });
            });
          });
          applyFilters();
        })();
        """
}
