"""Knowledge and the brand kit in the browser: upload with progress and outcomes, indexing,
tags, re-ingest and delete; search with citations; the brand kit editor, its conflicts and
history; and what read-only roles see."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, FilePayload, Locator, Page, expect

from tests.e2e.checks import check_screen
from tests.e2e.conftest import sign_in

INDEXING_TIMEOUT_MS = 90_000  # parsing and embedding on a busy 2-core machine

RELAY_GUIDE = (
    b"# Trail Relay 2027 field guide\n\n"
    b"The relay starts at the Cedar Ridge trailhead at 9 am. Each team of four runners "
    b"covers twelve kilometres of forest single track.\n\n"
    b"## Kit\n\nEvery runner carries a whistle, a foil blanket and a waterproof shell. "
    b"Aid stations stock electrolyte drinks, bananas and salted potatoes.\n"
)
PRICE_LIST = (
    b"TrailFlow 3 price list\n\n"
    b"Men's and women's TrailFlow 3: 149 EUR. Wide fit: 159 EUR. "
    b"Replacement insoles: 19 EUR. Free returns within 60 days of delivery.\n"
)
SEARCH_NOTES = (
    b"# Summit jacket notes\n\n"
    b"The Summit jacket uses a breathable membrane rated 20,000 mm hydrostatic head. "
    b"Seams are taped, and the hood adjusts with one hand, even with gloves on.\n\n"
    b"Care: wash at 30 degrees, tumble dry low to reactivate the water repellent finish.\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def go_to(page: Page, section: str, heading: str | None = None) -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name=section).click()
    expect(page.get_by_role("heading", level=1, name=heading or section)).to_be_visible()


def upload(page: Page, *files: tuple[str, str, bytes]) -> None:
    payloads: list[FilePayload] = [
        {"name": name, "mimeType": mime, "buffer": data} for name, mime, data in files
    ]
    page.locator('input[type="file"]').set_input_files(payloads)


def drop(page: Page, *files: tuple[str, str, bytes]) -> None:
    """Drops files on the upload area, as dragging them from the desktop does."""
    transfer = page.evaluate_handle(
        """files => {
            const transfer = new DataTransfer();
            for (const f of files) transfer.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
            return transfer;
        }""",
        [{"name": n, "type": t, "bytes": list(d)} for n, t, d in files],
    )
    page.get_by_test_id("upload-drop-zone").dispatch_event("drop", {"dataTransfer": transfer})


def document_row(page: Page, title: str) -> Locator:
    table = page.get_by_role("table", name="Documents, newest first")
    return table.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def test_upload_index_tag_reingest_and_delete(page: Page) -> None:
    sign_in(page, "writer@northwind.example")
    go_to(page, "Knowledge")
    check_screen(page, "knowledge-library-empty")

    page.get_by_role("textbox", name="Tags for the next upload").fill("relay")
    page.keyboard.press("Enter")
    upload(
        page,
        ("relay-guide.md", "text/markdown", RELAY_GUIDE),
        ("price-list.txt", "text/plain", PRICE_LIST),
    )
    uploads = page.get_by_role("list", name="Uploads")
    expect(uploads.get_by_role("link", name="Open “relay guide”")).to_be_visible()
    expect(uploads.get_by_role("link", name="Open “price list”")).to_be_visible()

    # The same bytes again, and an image under a text name: each refused, for its own reason.
    drop(
        page,
        ("relay-guide-copy.md", "text/markdown", RELAY_GUIDE),
        ("photo.txt", "text/plain", PNG_BYTES),
    )
    expect(uploads.get_by_text(re.compile(r"already in the knowledge base"))).to_be_visible()
    expect(uploads.get_by_role("link", name="Open the existing document")).to_be_visible()
    expect(uploads.get_by_text(re.compile(r"Not a supported file type"))).to_be_visible()

    # The table refreshes by itself until ingestion is done.
    guide = document_row(page, "relay guide")
    expect(guide).to_contain_text("Indexed", timeout=INDEXING_TIMEOUT_MS)
    expect(guide.get_by_role("list", name="Tags")).to_contain_text("relay")
    expect(document_row(page, "price list")).to_contain_text("Indexed", timeout=INDEXING_TIMEOUT_MS)
    check_screen(page, "knowledge-library")

    # Filters live in the address.
    page.get_by_label("Find").fill("price")
    expect(page.get_by_role("link", name="relay guide", exact=True)).to_have_count(0)
    assert "q=price" in page.url
    page.get_by_label("Find").fill("")
    expect(page.get_by_role("link", name="relay guide", exact=True)).to_be_visible()

    # The duplicate's link opens the document that is already there.
    uploads.get_by_role("link", name="Open the existing document").click()
    expect(page.get_by_role("heading", level=1, name="relay guide")).to_be_visible()
    expect(page.get_by_role("list", name="Passages")).to_contain_text("Cedar Ridge")
    download = page.get_by_role("link", name="Download relay-guide.md")
    assert (download.get_attribute("href") or "").endswith("/file")

    details = page.get_by_role("form", name="Document details")
    details.get_by_role("textbox", name=re.compile(r"^Title")).fill("Relay field guide")
    details.get_by_role("textbox", name="Tags").fill("logistics")
    page.keyboard.press("Enter")
    details.get_by_role("button", name="Save details").click()
    expect(page.get_by_role("heading", level=1, name="Relay field guide")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Relay field guide")).to_be_visible()
    check_screen(page, "knowledge-document")

    page.get_by_role("button", name="Re-ingest Relay field guide").click()
    expect(page.get_by_role("heading", level=1, name="Relay field guide")).to_be_visible()
    expect(page.get_by_role("list", name="Passages")).to_contain_text(
        "Cedar Ridge", timeout=INDEXING_TIMEOUT_MS
    )

    page.get_by_role("button", name="Delete Relay field guide").click()
    dialog = page.get_by_role("dialog", name="Delete “Relay field guide”?")
    check_screen(page, "knowledge-delete-dialog")
    dialog.get_by_role("button", name="Delete document").click()
    page.wait_for_url(re.compile(r"/knowledge$"))
    expect(page.get_by_role("link", name="price list", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Relay field guide", exact=True)).to_have_count(0)


def test_search_shows_citations(page: Page) -> None:
    sign_in(page, "strategist@northwind.example")
    go_to(page, "Knowledge")
    page.get_by_role("textbox", name="Tags for the next upload").fill("outerwear")
    page.keyboard.press("Enter")
    upload(page, ("summit-jacket.md", "text/markdown", SEARCH_NOTES))
    expect(document_row(page, "summit jacket")).to_contain_text(
        "Indexed", timeout=INDEXING_TIMEOUT_MS
    )

    page.get_by_role("navigation", name="Knowledge views").get_by_role(
        "link", name="Search"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Search knowledge")).to_be_visible()
    check_screen(page, "knowledge-search-empty")
    page.get_by_role("searchbox", name=re.compile("Search for")).fill("breathable membrane")
    page.get_by_role("button", name="Search", exact=True).click()

    results = page.get_by_role("list", name="Results, best first")
    first = results.get_by_role("article").first
    expect(first.get_by_role("link", name="summit jacket")).to_be_visible()
    expect(first).to_contain_text(re.compile(r"chars \d[\d,]*\u2013\d"))
    expect(first.locator("mark").first).to_be_visible()
    marked = " ".join(first.locator("mark").all_inner_texts()).lower()
    assert "breathable" in marked or "membrane" in marked, marked
    assert "q=" in page.url
    check_screen(page, "knowledge-search-results")

    # Keywords only, filtered to a tag the document lacks: nothing.
    page.get_by_role("search", name="Search knowledge").get_by_text("Keywords", exact=True).click()
    page.get_by_role("textbox", name="Tags").fill("relay")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="No passages found")).to_be_visible()
    page.go_back()
    expect(results.get_by_role("article").first).to_be_visible()

    # The citation opens the document at the passage it cites.
    results.get_by_role("article").first.get_by_role("link", name="summit jacket").click()
    expect(page.get_by_role("heading", level=1, name="summit jacket")).to_be_visible()
    cited = page.locator('li[aria-current="location"]')
    expect(cited).to_contain_text("breathable membrane")
    check_screen(page, "knowledge-document-cited-passage")


def test_brand_kit_edit_errors_and_history(page: Page) -> None:
    sign_in(page, "strategist@northwind.example")
    go_to(page, "Brand kit")
    version = int(
        re.sub(r"\D", "", page.get_by_text(re.compile(r"^Version \d+$")).first.inner_text())
    )
    kit = page.get_by_role("form", name="Brand kit")
    expect(kit.get_by_role("textbox", name=re.compile(r"^Summary"))).not_to_have_value("")
    check_screen(page, "brand-kit-editor")

    # The API refuses a banned term listed twice; its message shows on the list.
    banned = kit.get_by_role("group", name="Banned terms", exact=True)
    banned.get_by_role("button", name="Add banned term").click()
    new_term = banned.get_by_role("textbox", name=re.compile(r"^Term \d+")).last
    new_term.fill("CHEAP")
    kit.get_by_role("button", name="Save brand kit").click()
    expect(kit.get_by_text(re.compile(r"listed twice"))).to_be_visible()
    check_screen(page, "brand-kit-field-error")

    new_term.fill("world-class")
    banned.get_by_role("textbox", name=re.compile(r"^Replacement \d+")).last.fill("proven")
    kit.get_by_role("textbox", name=re.compile(r"^Summary")).fill(
        "Practical, encouraging and honest about what a shoe can do."
    )
    kit.get_by_role("button", name="Save brand kit").click()
    expect(page.get_by_text(f"Version {version + 1}", exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_role("textbox", name=re.compile(r"^Summary"))).to_have_value(
        "Practical, encouraging and honest about what a shoe can do."
    )

    page.get_by_role("link", name="Version history").click()
    expect(page.get_by_role("heading", level=1, name="Brand kit history")).to_be_visible()
    page.get_by_role("button", name=f"Show version {version}").click()
    expect(page.get_by_role("region", name=f"Version {version}")).to_be_visible()
    check_screen(page, "brand-kit-history")


def test_brand_kit_concurrent_edit_offers_compare(context: BrowserContext, page: Page) -> None:
    sign_in(page, "owner@northwind.example")
    page.get_by_role("textbox", name="Workspace").click()
    page.get_by_role("option", name="Globex Coffee").click()
    page.wait_for_url(re.compile(r"/w/[0-9a-f-]+/campaigns"))
    go_to(page, "Brand kit")
    other = context.new_page()  # the same person in a second tab
    other.goto(page.url)
    expect(other.get_by_role("textbox", name=re.compile(r"^Audience"))).to_be_visible()

    page.get_by_role("textbox", name=re.compile(r"^Audience")).fill("Saved first, from tab one")
    page.get_by_role("button", name="Save brand kit").click()
    expect(page.get_by_text("No unsaved changes.")).to_be_visible()

    other.get_by_role("textbox", name=re.compile(r"^Summary")).fill("Edited in tab two")
    other.get_by_role("button", name="Save brand kit").click()
    expect(other.get_by_role("button", name="Reload")).to_be_visible()
    other.get_by_role("button", name="Compare").click()
    expect(other.get_by_role("table", name="Your values next to the saved ones")).to_contain_text(
        "Saved first, from tab one"
    )
    check_screen(other, "brand-kit-conflict-compare")

    other.get_by_role("button", name="Keep my changes").click()
    other.get_by_role("button", name="Save brand kit").click()
    expect(other.get_by_text("No unsaved changes.")).to_be_visible()
    other.reload()
    expect(other.get_by_role("textbox", name=re.compile(r"^Summary"))).to_have_value(
        "Edited in tab two"
    )
    expect(other.get_by_role("textbox", name=re.compile(r"^Audience"))).to_have_value(
        "Saved first, from tab one"
    )


def test_read_only_roles_see_the_kit_and_library_without_controls(page: Page) -> None:
    sign_in(page, "client@acme.example")
    navigation = page.get_by_role("navigation", name="Workspace")
    expect(navigation.get_by_role("link", name="Brand kit")).to_be_visible()
    expect(navigation.get_by_role("link", name="Knowledge")).to_be_visible()

    go_to(page, "Brand kit")
    expect(page.get_by_text("Read only")).to_be_visible()
    expect(page.get_by_role("form", name="Brand kit")).to_have_count(0)
    expect(page.get_by_role("table", name="Banned terms")).to_be_visible()
    check_screen(page, "brand-kit-read-only")

    go_to(page, "Knowledge")
    expect(page.get_by_role("region", name="Upload documents")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^(Re-ingest|Delete)"))).to_have_count(0)
    check_screen(page, "knowledge-library-read-only")
