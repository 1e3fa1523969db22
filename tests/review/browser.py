"""Drive the review page in headless Chromium (chromium-driver, selenium):
in the translator's view reject the mismatched pair at vi 58 / en 59 with
the keyboard and fix the pairing of the caption at vi 42 (paired with line
45); in the editor's view accept a rendering of 'Ban Dân vận Tỉnh ủy' as a
variant. Screenshots of both views go to SHOTS (docs/review-*.png).
Usage: browser.py URL SHOTS PROFILE_DIR"""
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

url, shots, profile = sys.argv[1], sys.argv[2], sys.argv[3]
FILE = "samples/000_93b72168ab574deb.txt"
VARIANT = "Provincial Party Committee's Mass Mobilization Committee"

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--window-size=1200,1500", "--user-data-dir=" + profile, "--lang=en-US"):
    opts.add_argument(a)
drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
# cards are redrawn when a decision comes back
wait = WebDriverWait(drv, 20, ignored_exceptions=(StaleElementReferenceException,))


def pair(vi, en):
    sel = '.pair[data-file="%s"][data-vi="%s"][data-en="%s"]' % (FILE, vi, en)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, sel))
    return lambda: drv.find_element(By.CSS_SELECTOR, sel)


try:
    drv.get(url)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".pair")) > 10)
    errors = [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    # worst judged first
    first = drv.find_elements(By.CSS_SELECTOR, ".pair")[0]
    assert first.get_attribute("data-status") == "partial", first.get_attribute("data-status")
    who = drv.find_element(By.ID, "who")
    who.send_keys("Lan")
    who.send_keys(Keys.TAB)  # the change event stores the name

    # j/k move the current pair
    drv.find_element(By.TAG_NAME, "h1").click()
    cur = lambda: drv.find_element(By.CSS_SELECTOR, ".pair.cur").get_attribute("data-id")
    start = cur()
    ActionChains(drv).send_keys("j").perform()
    assert cur() != start, "j did not move"
    ActionChains(drv).send_keys("k").perform()
    assert cur() == start, "k did not move back"

    # reject the mismatched pair with the keyboard
    mis = pair(58, 59)
    assert mis().get_attribute("data-status") == "mismatch"
    mis().find_element(By.CSS_SELECTOR, ".meta").click()
    ActionChains(drv).send_keys("r").perform()
    wait.until(lambda d: mis().find_elements(By.CSS_SELECTOR, ".badge.d-reject"))
    assert "by Lan" in mis().find_element(By.CSS_SELECTOR, ".badge.d-reject").text

    # fix a pairing: the caption at vi 42 with line 45
    fix = pair(42, 43)
    fix().find_element(By.CSS_SELECTOR, "button.fix").click()
    fix().find_element(By.CSS_SELECTOR, 'button.pick[data-line="45"]').click()
    wait.until(lambda d: fix().find_elements(By.CSS_SELECTOR, ".badge.d-fix"))
    assert "Affirming that" in fix().find_element(By.CSS_SELECTOR, ".text.en").text

    drv.execute_script("window.scrollTo(0, 0)")
    drv.save_screenshot(shots + "/review-translator.png")

    # the editor's view: accept a variant
    drv.find_element(By.ID, "tab-findings").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".finding"))
    var = None
    for v in drv.find_elements(By.CSS_SELECTOR, ".variant"):
        if v.get_attribute("data-en") == VARIANT:
            var = v
    assert var is not None, "variant not shown"
    fid = var.find_element(By.XPATH, "ancestor::div[contains(@class,'finding')]").get_attribute("id")
    var.find_element(By.CSS_SELECTOR, "button.accept-variant").click()
    wait.until(lambda d: d.find_element(By.ID, fid).find_elements(By.CSS_SELECTOR, ".badge.d-accept"))
    drv.execute_script("window.scrollTo(0, 0)")
    drv.save_screenshot(shots + "/review-editor.png")
    errors = [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
finally:
    drv.quit()
