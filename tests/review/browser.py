"""Drive the review page in headless Chromium (chromium-driver, selenium):
in the translator's view reject the mismatched pair at vi 58 / en 59 with
the keyboard and fix the pairing of the caption at vi 42 (paired with line
45); show why the mismatched pair scored as it did (w) and split the photo
credits off the caption at vi 6 of 005_credits.txt; in the editor's view
accept a rendering of 'Ban Dân vận Tỉnh ủy' as a variant. Screenshots of
both views, of the evidence and of the split go to SHOTS
(docs/review-*.png), with the text the page shows for the evidence and the
split (SHOTS/evidence.txt, SHOTS/split.txt).
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


def pair(vi, en, file=FILE):
    sel = '.pair[data-file="%s"][data-vi="%s"][data-en="%s"]' % (file, vi, en)
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

    # why the mismatched pair scored so: the judge's reasons, largest first
    mis().find_element(By.CSS_SELECTOR, ".meta").click()
    ActionChains(drv).send_keys("w").perform()
    wait.until(lambda d: mis().find_elements(By.CSS_SELECTOR, ".evidence tr"))
    ev = mis().find_element(By.CSS_SELECTOR, ".evidence")
    rows = ev.find_elements(By.CSS_SELECTOR, "tr")
    assert rows[-1].get_attribute("data-feature") == "bias", "the starting point comes last"
    assert rows[0].get_attribute("class") == "neg", "a mismatch's largest reason is against it"
    with open(shots + "/evidence.txt", "w") as f:
        f.write(ev.text + "\n")
    drv.execute_script("arguments[0].scrollIntoView()", mis())
    mis().screenshot(shots + "/review-evidence.png")

    # split the photo credits off a caption: both sides end with one
    cr = pair(6, 7, "samples/005_credits.txt")
    assert "(Photo: Ngoc Thanh)" in cr().find_element(By.CSS_SELECTOR, ".text.en").text
    cr().find_element(By.CSS_SELECTOR, "button.split").click()
    wait.until(lambda d: cr().find_elements(By.CSS_SELECTOR, ".badge.d-split"))
    assert not cr().find_elements(By.CSS_SELECTOR, "button.split"), "split offered twice"
    with open(shots + "/split.txt", "w") as f:
        for sel in (".text.vi", ".text.en", ".credit-line"):
            f.write(cr().find_element(By.CSS_SELECTOR, sel).text + "\n")
    drv.execute_script("arguments[0].scrollIntoView()", cr())
    cr().screenshot(shots + "/review-split.png")

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
