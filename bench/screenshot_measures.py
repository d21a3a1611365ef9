#!/usr/bin/env python3
"""Takes the README's screenshot of the management information page from a served national
year, through Chromium's WebDriver (`chromium` and `chromium-driver`, as the browser tests use):
signs in as a person from the year's credentials, opens a report, and saves the page.

    joinery serve --database DIR/joinery.sqlite --addr 127.0.0.1:8080 &
    python3 bench/screenshot_measures.py --credentials DIR/demo-credentials.json \
        --person analyst.national --path '/measures?report=trials&period=2026-Q3' \
        --out docs/screenshots/measures-national.png
"""

import argparse
import base64
import json
import subprocess
import time
import urllib.request


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{base}{path}", data=data, method=method, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)["value"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--person", default="analyst.national")
    parser.add_argument("--path", default="/measures")
    parser.add_argument("--scroll", help="the id of an element to scroll to first")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.credentials) as file:
        person = next(p for p in json.load(file)["users"] if p["username"] == args.person)

    driver = subprocess.Popen(["chromedriver", "--port=9519"], stdout=subprocess.DEVNULL)
    try:
        webdriver = "http://127.0.0.1:9519"
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{webdriver}/status")
                break
            except OSError:
                time.sleep(0.1)
        session = call(webdriver, "POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
                "--headless=new", "--no-sandbox", "--window-size=1200,1400"]},
        }}})["sessionId"]
        at = f"/session/{session}"
        call(webdriver, "POST", f"{at}/url", {"url": f"{args.base}/sign-in"})
        for field, value in (("username", person["username"]), ("password", person["password"])):
            element = call(webdriver, "POST", f"{at}/element",
                           {"using": "css selector", "value": f"#{field}"})
            key = next(iter(element.values()))
            call(webdriver, "POST", f"{at}/element/{key}/value", {"text": value})
        button = call(webdriver, "POST", f"{at}/element",
                      {"using": "css selector", "value": "form button"})
        call(webdriver, "POST", f"{at}/element/{next(iter(button.values()))}/click", {})
        time.sleep(1)
        call(webdriver, "POST", f"{at}/url", {"url": f"{args.base}{args.path}"})
        if args.scroll:
            call(webdriver, "POST", f"{at}/execute/sync", {
                "script": f"document.getElementById('{args.scroll}').scrollIntoView()",
                "args": []})
        png = call(webdriver, "GET", f"{at}/screenshot")
        with open(args.out, "wb") as file:
            file.write(base64.b64decode(png))
        call(webdriver, "DELETE", at)
        print(f"wrote {args.out}")
    finally:
        driver.terminate()


if __name__ == "__main__":
    main()
