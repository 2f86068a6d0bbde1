"""The preview page in a real browser (Debian's chromium driven by Playwright) at a phone's size."""

from __future__ import annotations

import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import FIXTURES, run

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
SCREENSHOT = Path(__file__).parent.parent / "build" / "preview-phone.png"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no browser: {CHROMIUM} is missing "
                                "(apt-get install chromium; .ci/run installs it)")

# wider than a phone: a long code line, a wide table, an unbroken ARN and a long source URL
WIDE_CARD = """\
  - id: lambda-wide-config
    front: What does the configuration of a function look like?
    back: |
      ```json
      {"FunctionName": "my-function-with-a-rather-long-name", "Runtime": "python3.13", "MemorySize": 1024}
      ```

      | setting | value |
      |---|---|
      | Role | arn:aws:iam::123456789012:role/service-role/my-function-with-a-rather-long-name-role |
    extra: Its ARN is arn:aws:lambda:eu-west-1:123456789012:function:my-function-with-a-rather-long-name.
    task: "1.2"
    source: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html?a-very-long-query=on-and-on
"""
SQS = ["sqs-max-message-size", "sqs-visibility-timeout-default", "sqs-queue-policy"]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The preview of the fixture library plus WIDE_CARD (not locked: preview runs on a stale ledger)."""
    directory = tmp_path_factory.mktemp("preview")
    shutil.copytree(FIXTURES / "library", directory / "cards")
    with (directory / "cards" / "lambda.yaml").open("a", encoding="utf-8") as cards:
        cards.write(WIDE_CARD)
    result = run("preview", str(directory / "cards"), "--out", str(directory / "out"))
    assert result.exit_code == 0, result.output
    return directory / "out" / "index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@dataclass
class Phone:
    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def visible_cards(self) -> list[str]:
        return self.page.locator(".entry:visible").evaluate_all("entries => entries.map(e => e.dataset.id)")

    def style(self, selector: str, *properties: str) -> list[str]:
        return self.page.locator(selector).first.evaluate(
            "(element, names) => names.map(name => getComputedStyle(element)[name])", list(properties))


@pytest.fixture
def phone(browser: Browser, page_file: Path) -> Iterator[Phone]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  color_scheme="light")
    phone = Phone(context.new_page())
    phone.page.on("pageerror", lambda error: phone.errors.append(str(error)))
    phone.page.on("request", lambda request: phone.requests.append(request.url))
    phone.page.goto(page_file.as_uri())
    yield phone
    context.close()


def test_loads_nothing_but_itself_and_runs_without_errors(phone: Phone, page_file: Path) -> None:
    assert phone.requests == [page_file.as_uri()]
    assert phone.errors == []
    assert phone.page.locator("#shown").inner_text() == "7 of 7 cards"


def test_no_horizontal_overflow_on_a_phone(phone: Phone) -> None:
    page = phone.page
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # both charts too
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    code = page.locator("[data-id=lambda-wide-config] pre.highlight").first
    scroll_width, client_width, height, right = code.evaluate(
        "pre => [pre.scrollWidth, pre.clientWidth, pre.clientHeight, pre.getBoundingClientRect().right]")
    line = code.evaluate("pre => parseFloat(getComputedStyle(pre).lineHeight)")
    assert scroll_width <= client_width and height > 2 * line  # the long line wraps on a phone: all of it in view
    assert right <= PHONE["width"]
    assert phone.style("[data-id=lambda-wide-config] pre.highlight", "whiteSpace") == ["pre-wrap"]
    table = page.locator("[data-id=lambda-wide-config] table").first
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # a wide table scrolls inside the card
    assert page.locator("svg.chart").count() == 3  # domains, tasks, services


def test_dark_switch_changes_card_colours(phone: Phone) -> None:
    light = phone.style(".entry .card", "backgroundColor", "color")
    assert light == ["rgb(255, 255, 255)", "rgb(28, 28, 30)"]  # the note type's .card colours
    phone.page.locator("#theme").click()
    assert phone.style(".entry .card", "backgroundColor", "color") == ["rgb(30, 30, 32)", "rgb(229, 229, 231)"]
    assert phone.page.evaluate("document.body.className") == "preview nightMode night_mode"  # Anki's classes
    assert phone.style("body", "backgroundColor") == ["rgb(0, 0, 0)"]
    phone.page.locator("#theme").click()
    assert phone.style(".entry .card", "backgroundColor", "color") == light


def test_filters(phone: Phone) -> None:
    page = phone.page
    page.select_option("#service", "sqs")
    assert phone.visible_cards() == SQS
    assert page.locator("#shown").inner_text() == "3 of 7 cards"
    page.select_option("#domain", "security")
    assert phone.visible_cards() == ["sqs-queue-policy"]
    page.select_option("#service", "")
    page.select_option("#domain", "")
    page.select_option("#tag", "limits")
    assert phone.visible_cards() == ["sqs-max-message-size", "sqs-visibility-timeout-default"]
    page.select_option("#tag", "")
    assert len(phone.visible_cards()) == 7
    page.select_option("#domain", "outside-guide")
    assert phone.visible_cards() == ["codecommit-credential-helper"]


def test_search_finds_a_card_by_a_word_of_its_answer(phone: Phone) -> None:
    page = phone.page
    page.fill("#search", "twice")  # in the answer's table only, not in the question
    assert phone.visible_cards() == ["lambda-invocation-types"]
    page.fill("#search", "BYTES 1,048,576")  # every word, in any case
    assert phone.visible_cards() == ["sqs-max-message-size"]
    assert page.locator("#no-match").is_hidden()
    page.fill("#search", "nosuchword")
    assert phone.visible_cards() == []
    assert page.locator("#no-match").is_visible()


def test_study_mode_hides_answers_until_a_card_is_tapped(phone: Phone) -> None:
    page = phone.page
    back = page.locator("[data-id=sqs-max-message-size] .side.back")
    assert back.is_visible()
    page.locator("#study").check()
    assert back.is_hidden() and page.locator("[data-id=sqs-max-message-size] .side.front").is_visible()
    page.locator("[data-id=sqs-max-message-size] .side.front").click()
    assert back.is_visible()
    assert page.locator("[data-id=sqs-queue-policy] .side.back").is_hidden()  # the others stay hidden
    page.locator("#study").uncheck()
    assert page.locator("[data-id=sqs-queue-policy] .side.back").is_visible()


def test_phone_screenshot(phone: Phone) -> None:
    SCREENSHOT.parent.mkdir(exist_ok=True)
    phone.page.screenshot(path=str(SCREENSHOT))  # what the phone's screen shows on opening the page
    header = SCREENSHOT.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (PHONE["width"] * 2, PHONE["height"] * 2)  # device pixels
