#!/usr/bin/env python3
"""`make test-browser`: the HTML plan in a real headless browser (Debian's chromium driven by
Selenium through Debian's chromedriver; nothing is downloaded).

Usage: plan_report_test.py PLAN.html SECRETS.txt
Checks: the page renders without console errors and makes no network request; the summary
table has one row per card; each filter narrows rows and cards alike; sorting reorders rows;
a ticked checkbox is stored in localStorage under the card's fingerprint and is still ticked
after a reload; none of the secrets in SECRETS.txt (one per line) is on the page.
"""
import json
import pathlib
import sys

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


options = Options()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--user-data-dir=" + str(plan.parent / "chromium-profile")]:
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
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
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check(not errors, f"console errors after interaction: {errors}")
finally:
    driver.quit()

if failures:
    print(f"{len(failures)} browser check(s) failed")
    sys.exit(1)
print("browser test: all checks passed")
