#!/usr/bin/env python3
"""`make test-browser`: the HTML plan in a real headless browser (Debian's chromium driven by
Selenium through Debian's chromedriver; nothing is downloaded).

Usage: plan_report_test.py PLAN.html SECRETS.txt [LEAKWARD_BIN APP_DIR]
Checks: the page renders without console errors and makes no network request; the summary
table has one row per card; each filter narrows rows and cards alike; sorting reorders rows;
a ticked checkbox is stored in localStorage under the card's fingerprint and is still ticked
after a reload; none of the secrets in SECRETS.txt (one per line) is on the page. With
LEAKWARD_BIN and APP_DIR (the project the plan was made of): "Download progress" saves a state
file that `leakward plan --state` reads, so the tick made in the browser is done in the
regenerated plan (JSON and HTML, in a fresh browser profile) and the state holds no secret.
"""
import json
import pathlib
import shutil
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

plan = pathlib.Path(sys.argv[1]).resolve()
secrets = [s for s in pathlib.Path(sys.argv[2]).read_text().splitlines() if s.strip()]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


downloads = plan.parent / "downloads"
downloads.mkdir(exist_ok=True)
options = Options()
options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--user-data-dir=" + str(plan.parent / "chromium-profile")]:
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
exported = None
try:
    driver.get(plan.as_uri())
    source = driver.page_source
    for secret in secrets:
        check(secret not in source, "a secret is on the page")
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check(not errors, f"console errors: {errors}")
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    check(resources == [], f"the page fetched {resources}")

    rows = driver.find_elements(By.CSS_SELECTOR, "#summary tbody tr")
    cards = driver.find_elements(By.CSS_SELECTOR, "article.card")
    check(len(rows) >= 2 and len(rows) == len(cards), f"{len(rows)} rows, {len(cards)} cards")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg.timeline")) == len(cards), "a timeline per card")

    def visible(selector):
        return [e for e in driver.find_elements(By.CSS_SELECTOR, selector) if e.is_displayed()]

    for name in ["tier", "channel", "provider", "live"]:
        select = Select(driver.find_element(By.ID, "filter-" + name))
        values = [o.get_attribute("value") for o in select.options if o.get_attribute("value")]
        check(values, f"filter {name} has values")
        for value in values:
            select.select_by_value(value)
            shown_rows = visible("#summary tbody tr")
            shown_cards = visible("article.card")
            check(shown_rows and all(r.get_attribute("data-" + name) == value for r in shown_rows),
                  f"filter {name}={value} rows")
            check(len(shown_cards) == len(shown_rows) and all(c.get_attribute("data-" + name) == value for c in shown_cards),
                  f"filter {name}={value} cards")
        select.select_by_value("")
    check(len(visible("#summary tbody tr")) == len(rows), "clearing filters shows every row")

    ids = lambda: [r.get_attribute("data-id") for r in driver.find_elements(By.CSS_SELECTOR, "#summary tbody tr")]
    before = ids()
    button = driver.find_element(By.CSS_SELECTOR, "th button[data-sort=rank]")
    button.click()  # ascending (already the order)
    check(ids() == before, "sorting by id ascending keeps plan order")
    button.click()
    check(ids() == list(reversed(before)), "sorting by id descending reverses it")
    driver.find_element(By.CSS_SELECTOR, "th button[data-sort=provider]").click()
    providers = [r.find_elements(By.TAG_NAME, "td")[1].text.lower() for r in driver.find_elements(By.CSS_SELECTOR, "#summary tbody tr")]
    check(providers == sorted(providers), f"sorted by provider: {providers}")

    card = cards[0]
    fingerprint = card.get_attribute("data-fingerprint")
    box = card.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    step = box.get_attribute("data-step")
    check(not box.is_selected(), "first step starts unticked")
    box.click()
    stored = driver.execute_script("return window.localStorage.getItem(arguments[0])", "leakward:plan:" + fingerprint)
    check(stored is not None and step in json.loads(stored), f"localStorage holds the tick: {stored}")
    driver.refresh()
    card = driver.find_element(By.CSS_SELECTOR, f'article.card[data-fingerprint="{fingerprint}"]')
    check(card.find_element(By.CSS_SELECTOR, f'input[data-step="{step}"]').is_selected(), "the tick survives a reload")

    # Download progress: a --state file with the tick, by fingerprint and step id.
    driver.find_element(By.ID, "export-state").click()
    target = downloads / "leakward-plan.json"
    for _ in range(50):
        if target.exists() and target.stat().st_size > 0:
            break
        time.sleep(0.1)
    check(target.exists(), f"Download progress saved {target.name}: {list(downloads.iterdir())}")
    if target.exists():
        exported = plan.parent / "exported-state.json"
        shutil.copy(target, exported)
        state = json.loads(exported.read_text())
        check(state.get("schema") == "leakward.plan-state/1", f"state schema: {state.get('schema')}")
        check(step in state.get("credentials", {}).get(fingerprint, {}).get("done", []), f"the state holds the tick: {state}")
        check(len(state.get("credentials", {})) == len(cards), "one state entry per card")
        text = exported.read_text()
        for secret in secrets:
            check(secret not in text, "a secret is in the downloaded state")
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check(not errors, f"console errors after interaction: {errors}")
finally:
    driver.quit()

# The CLI reads the downloaded state: the regenerated plan has the browser's tick, also in a
# browser that never saw the first page (a fresh profile, so nothing comes from localStorage).
if len(sys.argv) > 4 and exported is not None:
    binary, app = sys.argv[3], sys.argv[4]
    run = subprocess.run([binary, "plan", app, "--state", str(exported), "--format", "json"], capture_output=True, text=True)
    check(run.returncode in (0, 1), f"plan --state failed: {run.stderr}")
    items = json.loads(run.stdout).get("items", []) if run.returncode in (0, 1) else []
    item = next((i for i in items if i.get("fingerprint") == fingerprint), None)
    done = [s.get("id") for s in (item or {}).get("steps", []) if s.get("done")]
    check(step in done, f"the regenerated plan has the tick: {done}")
    again = plan.parent / "plan-again.html"
    run = subprocess.run([binary, "plan", app, "--state", str(exported), "--format", "html", "-o", str(again)], capture_output=True, text=True)
    check(run.returncode in (0, 1), f"plan --state --format html failed: {run.stderr}")
    options.arguments[:] = [a for a in options.arguments if not a.startswith("--user-data-dir=")]
    options.add_argument("--user-data-dir=" + str(plan.parent / "chromium-profile-2"))
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(again.as_uri())
        card = driver.find_element(By.CSS_SELECTOR, f'article.card[data-fingerprint="{fingerprint}"]')
        check(card.find_element(By.CSS_SELECTOR, f'input[data-step="{step}"]').is_selected(), "the tick survives regeneration from the HTML side")
        stored = driver.execute_script("return window.localStorage.getItem(arguments[0])", "leakward:plan:" + fingerprint)
        check(stored is None, "the fresh profile had nothing in localStorage")
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        check(not errors, f"console errors on the regenerated page: {errors}")
    finally:
        driver.quit()
elif len(sys.argv) > 4:
    check(False, "nothing was downloaded to carry into the next plan")

if failures:
    print(f"{len(failures)} browser check(s) failed")
    sys.exit(1)
print("browser test: all checks passed")
