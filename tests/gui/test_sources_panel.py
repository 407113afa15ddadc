"""The sources panel, driven as a user would, checked against what the file holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtWidgets import QDialog

from briefbook.gui import messages
from briefbook.gui.context import AppContext
from briefbook.gui.sources.dialog import SourceDialog, SourceForm
from briefbook.gui.sources.link_dialog import LinkChoice, LinkSourceDialog
from briefbook.gui.sources.models import SourceSearchModel
from briefbook.gui.sources.panel import SourcesPanel
from db.briefing.facade import Briefing

VOI = "Japan and Italy are Strengthening Their Cooperation in Defense and Diplomacy"
JAPAN_NEWS = "Japan, Italy Agree on Security Cooperation; Meloni Takes Up G7 Baton From Kishida"
CRITICAL_MINERALS = "Japan, Italy Agree to Cooperate on Economic Security, Critical Minerals"


@contextmanager
def on_file(path: Path) -> Iterator[Briefing]:
    """The file as a colleague opening it now would see it."""
    briefing = Briefing.open(path, read_only=True)
    try:
        yield briefing
    finally:
        briefing.close()


def cited(path: Path, ref: str) -> dict[str, str]:
    """Title -> pinpoint quote of the sources cited on `ref`, read from the file."""
    with on_file(path) as b:
        return {ls.source.title: ls.quote for ls in b.node_sources(b.node_by_ref(ref).id)}


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes the panel showed (title, sentence), instead of blocking on them."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, title, sentence: shown.append((title, sentence)))
    return shown


@pytest.fixture
def ctx(seeded_path: Path, errors: list[tuple[str, str]]) -> Iterator[AppContext]:
    context = AppContext()
    context.set_briefing(Briefing.open(seeded_path, user="tester"))
    yield context
    context.set_briefing(None)


@pytest.fixture
def panel(ctx: AppContext, qtbot) -> SourcesPanel:  # type: ignore[no-untyped-def]
    widget = SourcesPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(520, 640)
    widget.show()
    return widget


def select(ctx: AppContext, ref: str) -> str:
    assert ctx.briefing is not None
    node_id = ctx.briefing.node_by_ref(ref).id
    ctx.select_node(node_id)
    return node_id


def select_source(panel: SourcesPanel, title: str) -> None:
    for row in range(panel.model.rowCount()):
        if panel.model.item(row).source.title == title:
            panel.list_view.setCurrentIndex(panel.model.index(row))
            return
    raise AssertionError(f"{title!r} is not listed")


def listed_titles(panel: SourcesPanel) -> list[str]:
    return [panel.model.item(r).source.title for r in range(panel.model.rowCount())]


# -- reading ------------------------------------------------------------------------


def test_shipped_news_reports_appear_on_their_commitments(panel: SourcesPanel, ctx: AppContext, qtmodeltester) -> None:
    select(ctx, "3.2.1")
    assert panel.heading.text() == "Sources on 3.2.1"
    assert CRITICAL_MINERALS in listed_titles(panel)
    assert panel.model.rowCount() == 2
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.attachments_model)
    select_source(panel, CRITICAL_MINERALS)
    # The seed states no date for this report: said so, not invented.
    assert panel.byline_label.text().endswith("date unknown")
    assert "critical minerals" in panel.quote_label.text()
    assert panel.attachments_model.rowCount() == 1

    select(ctx, "2.3.1")
    assert len(listed_titles(panel)) == 4
    select_source(panel, JAPAN_NEWS)
    assert panel.byline_label.text() == "The Japan News · 6 February 2024"
    assert panel.quote_label.text().startswith("“As for a joint development")
    assert panel.cited_label.text() == "Also cited on 1.2.1, 2.1.1, 2.2.1."
    # Oldest report first, the undated ones last.
    assert listed_titles(panel)[:2] == [JAPAN_NEWS, VOI]


def test_empty_states_say_what_to_do(panel: SourcesPanel, ctx: AppContext) -> None:
    assert panel.stack.currentWidget() is panel.empty_label
    assert panel.empty_label.text() == "Select a commitment in the plan to see its sources."
    assert not panel.link_button.isEnabled()
    select(ctx, "1.1")
    assert panel.stack.currentWidget() is panel.empty_label
    assert panel.empty_label.text().startswith("No sources cited on 1.1 yet — Link existing…")
    assert panel.link_button.isEnabled() and panel.create_button.isEnabled()
    ctx.set_briefing(None)
    assert panel.empty_label.text() == "No file is open."
    assert not panel.create_button.isEnabled()


def test_url_is_a_link_that_opens_through_the_hook(panel: SourcesPanel, ctx: AppContext) -> None:
    select(ctx, "3.2.1")
    select_source(panel, CRITICAL_MINERALS)
    panel.ask_source = lambda *_a: SourceForm({"url": "https://example.org/a?b=1&c=<2>"}, None)
    panel.edit_source()
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in panel.url_label.text()
    opened: list[QUrl] = []
    panel.open_url = lambda url: opened.append(url) or True
    panel.url_label.linkActivated.emit("https://example.org/a?b=1&c=<2>")
    assert opened == [QUrl("https://example.org/a?b=1&c=<2>")]


# -- linking, creating, editing, unlinking ----------------------------------------------


def test_link_an_existing_source_then_undo_and_redo(panel: SourcesPanel, ctx: AppContext, seeded_path: Path) -> None:
    select(ctx, "3.2.1")
    offered: dict[str, object] = {}

    def choose(_parent, ref, search, linked_ids):  # type: ignore[no-untyped-def]
        offered.update(ref=ref, found=[s.title for s in search("defense")], linked=set(linked_ids))
        return LinkChoice(search("defense")[0], "cooperation in defense")

    panel.ask_link = choose
    panel.link_button.click()
    assert offered["ref"] == "3.2.1" and offered["found"] == [VOI]
    assert len(offered["linked"]) == 2  # the two already cited, so the dialog can grey them out
    assert cited(seeded_path, "3.2.1")[VOI] == "cooperation in defense"
    assert panel.current_source().source.title == VOI  # the new link is selected
    assert ctx.undo_stack.undoText() == f"Link “{VOI[:39]}…” to 3.2.1"

    ctx.undo_stack.undo()
    assert VOI not in cited(seeded_path, "3.2.1")
    assert VOI not in listed_titles(panel)
    ctx.undo_stack.redo()
    assert cited(seeded_path, "3.2.1")[VOI] == "cooperation in defense"
    assert VOI in listed_titles(panel)


def test_create_a_source_then_undo_and_redo(panel: SourcesPanel, ctx: AppContext, seeded_path: Path) -> None:
    select(ctx, "3.2.1")
    fields = {"title": "Minerals MoU signed", "outlet": "Nikkei", "url": "https://example.org/mou",
              "published": "2024-06", "excerpt": "The two governments signed a memorandum."}
    panel.ask_source = lambda _parent, heading, initial, quote, cited_on: SourceForm(fields, "signed a memorandum")
    panel.create_button.click()
    assert cited(seeded_path, "3.2.1")["Minerals MoU signed"] == "signed a memorandum"
    with on_file(seeded_path) as b:
        (source,) = b.sources("Minerals MoU")
        assert (source.outlet, source.url, source.published) == ("Nikkei", "https://example.org/mou", "2024-06")
    assert panel.current_source().source.title == "Minerals MoU signed"
    assert panel.byline_label.text() == "Nikkei · June 2024"

    ctx.undo_stack.undo()
    with on_file(seeded_path) as b:
        assert b.sources("Minerals MoU") == []  # gone from the file, not just unlinked
    assert "Minerals MoU signed" not in listed_titles(panel)
    ctx.undo_stack.redo()
    assert cited(seeded_path, "3.2.1")["Minerals MoU signed"] == "signed a memorandum"


def test_edit_a_source_everywhere_it_is_cited(panel: SourcesPanel, ctx: AppContext, seeded_path: Path) -> None:
    select(ctx, "2.3.1")
    select_source(panel, JAPAN_NEWS)
    asked: dict[str, object] = {}

    def ask(_parent, heading, initial, quote, cited_on):  # type: ignore[no-untyped-def]
        asked.update(heading=heading, initial=initial.title, quote=quote, cited_on=list(cited_on))
        return SourceForm({"title": "Security cooperation agreed", "outlet": "Yomiuri Shimbun",
                           "url": "", "published": "2024-02-06", "excerpt": initial.excerpt}, None)

    panel.ask_source = ask
    panel.edit_button.click()
    assert asked["initial"] == JAPAN_NEWS and asked["quote"] is None
    assert sorted(asked["cited_on"]) == ["1.2.1", "2.1.1", "2.2.1", "2.3.1"]
    for ref in ("1.2.1", "2.1.1", "2.2.1", "2.3.1"):
        assert "Security cooperation agreed" in cited(seeded_path, ref)
    assert panel.title_label.text() == "Security cooperation agreed"
    assert panel.byline_label.text() == "Yomiuri Shimbun · 6 February 2024"

    ctx.undo_stack.undo()
    assert JAPAN_NEWS in cited(seeded_path, "1.2.1")
    with on_file(seeded_path) as b:
        assert b.sources(JAPAN_NEWS)[0].outlet == "The Japan News"
    assert panel.title_label.text() == JAPAN_NEWS
    ctx.undo_stack.redo()
    assert "Security cooperation agreed" in cited(seeded_path, "2.2.1")


def test_edit_the_pinpoint_quote_of_one_link(panel: SourcesPanel, ctx: AppContext, seeded_path: Path) -> None:
    select(ctx, "2.3.1")
    select_source(panel, JAPAN_NEWS)
    old = cited(seeded_path, "2.3.1")[JAPAN_NEWS]
    panel.ask_quote = lambda _parent, ref, current: "proceeding as planned" if current == old else None
    panel.quote_button.click()
    assert cited(seeded_path, "2.3.1")[JAPAN_NEWS] == "proceeding as planned"
    assert cited(seeded_path, "1.2.1")[JAPAN_NEWS] != "proceeding as planned"  # other links keep theirs
    assert panel.quote_label.text() == "“proceeding as planned”"
    ctx.undo_stack.undo()
    assert cited(seeded_path, "2.3.1")[JAPAN_NEWS] == old
    ctx.undo_stack.redo()
    assert cited(seeded_path, "2.3.1")[JAPAN_NEWS] == "proceeding as planned"


def test_unlink_with_the_delete_key_then_undo_relinks_with_its_quote(
    panel: SourcesPanel, ctx: AppContext, seeded_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    select(ctx, "3.2.1")
    select_source(panel, CRITICAL_MINERALS)
    quote = cited(seeded_path, "3.2.1")[CRITICAL_MINERALS]
    panel.activateWindow()
    panel.list_view.setFocus()
    qtbot.waitUntil(panel.list_view.hasFocus)
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Delete)
    assert CRITICAL_MINERALS not in cited(seeded_path, "3.2.1")
    assert CRITICAL_MINERALS in cited(seeded_path, "2.3.1")  # only this link went
    assert CRITICAL_MINERALS not in listed_titles(panel)
    ctx.undo_stack.undo()
    assert cited(seeded_path, "3.2.1")[CRITICAL_MINERALS] == quote
    ctx.undo_stack.redo()
    assert CRITICAL_MINERALS not in cited(seeded_path, "3.2.1")
    panel.unlink_button.click()  # the remaining one, by the button
    assert cited(seeded_path, "3.2.1") == {}
    assert panel.stack.currentWidget() is panel.empty_label


# -- attachments ----------------------------------------------------------------------


def test_attach_open_and_remove_a_file(panel: SourcesPanel, ctx: AppContext, seeded_path: Path, tmp_path: Path) -> None:
    select(ctx, "3.2.1")
    select_source(panel, CRITICAL_MINERALS)
    payload = bytes(range(256)) * 40 + "議事録".encode()
    report = tmp_path / "議事録 2024.pdf"
    report.write_bytes(payload)
    panel.ask_file = lambda _parent: report
    panel.attach_button.click()

    with on_file(seeded_path) as b:
        source_id = b.sources(CRITICAL_MINERALS)[0].id
        names = {a.filename: a.id for a in b.attachments(source_id)}
        assert "議事録 2024.pdf" in names
        assert b.attachment_data(names["議事録 2024.pdf"]) == payload
    listed = [panel.attachments_model.item(r).filename for r in range(panel.attachments_model.rowCount())]
    assert "議事録 2024.pdf" in listed

    panel.attachments_view.setCurrentIndex(panel.attachments_model.index(listed.index("議事録 2024.pdf")))
    opened: list[QUrl] = []
    panel.open_url = lambda url: opened.append(url) or True
    panel.open_button.click()
    (url,) = opened
    assert Path(url.toLocalFile()).name == "議事録 2024.pdf"
    assert Path(url.toLocalFile()).read_bytes() == payload  # the bytes come back identical
    copy_folder = Path(url.toLocalFile()).parent.parent
    QCoreApplication.instance().aboutToQuit.emit()  # quitting removes the copies
    assert not copy_folder.exists()

    panel.remove_attachment_button.click()
    with on_file(seeded_path) as b:
        assert "議事録 2024.pdf" not in {a.filename for a in b.attachments(source_id)}
    ctx.undo_stack.undo()  # the removal
    with on_file(seeded_path) as b:
        assert "議事録 2024.pdf" in {a.filename for a in b.attachments(source_id)}
    ctx.undo_stack.undo()  # the attaching
    with on_file(seeded_path) as b:
        assert "議事録 2024.pdf" not in {a.filename for a in b.attachments(source_id)}
    ctx.undo_stack.redo()
    with on_file(seeded_path) as b:
        (attachment,) = [a for a in b.attachments(source_id) if a.filename == "議事録 2024.pdf"]
        assert b.attachment_data(attachment.id) == payload


def test_an_unreadable_file_is_refused_in_one_sentence(
    panel: SourcesPanel, ctx: AppContext, tmp_path: Path, errors: list[tuple[str, str]]
) -> None:
    select(ctx, "3.2.1")
    select_source(panel, CRITICAL_MINERALS)
    panel.ask_file = lambda _parent: tmp_path / "missing.pdf"
    panel.attach_button.click()
    assert errors == [("File not attached", f"missing.pdf cannot be attached: there is no file at {tmp_path / 'missing.pdf'}.")]
    assert ctx.undo_stack.count() == 0


# -- refusals ---------------------------------------------------------------------------


def test_a_refused_edit_shows_the_sentence_and_leaves_file_and_stack_alone(
    panel: SourcesPanel, ctx: AppContext, seeded_path: Path, errors: list[tuple[str, str]]
) -> None:
    select(ctx, "3.2.1")
    panel.ask_source = lambda *_a: SourceForm({"title": "Bad date", "published": "2024-13"}, "")
    panel.create_button.click()
    assert errors == [("Source not created", "'2024-13' is not a real date.")]
    assert ctx.undo_stack.count() == 0
    with on_file(seeded_path) as b:
        assert b.sources("Bad date") == []


def test_read_only_file_offers_no_edits(seeded_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    context = AppContext()
    context.set_briefing(Briefing.open(seeded_path, read_only=True))
    panel = SourcesPanel(context)
    qtbot.addWidget(panel)
    select(context, "2.3.1")
    assert panel.model.rowCount() == 4
    assert not panel.link_button.isEnabled()
    assert not panel.unlink_button.isEnabled()
    assert not panel.edit_button.isEnabled()
    assert panel.open_button.isEnabled()  # reading attachments still works
    context.set_briefing(None)


# -- the dialogs --------------------------------------------------------------------------


def test_source_dialog_keeps_the_user_in_it_with_one_sentence(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SourceDialog(None, "New source on 3.2.1", quote="")
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "A source needs a title."
    dialog.title_edit.setText("Report")
    dialog.published_edit.setText("16/06/2024")
    dialog.accept()
    assert dialog.error_label.text() == "'16/06/2024' is not a date: write it as YYYY, YYYY-MM or YYYY-MM-DD."
    dialog.published_edit.setText("2024")
    dialog.url_edit.setText("www.example.org")
    dialog.accept()
    assert dialog.error_label.text().startswith("“www.example.org” is not a web address")
    dialog.url_edit.setText("https://www.example.org/r")
    dialog.quote_edit.setPlainText("  the passage  ")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    form = dialog.form()
    assert form.fields["published"] == "2024" and form.quote == "the passage"


def test_link_dialog_searches_by_title_and_greys_out_linked_sources(
    ctx: AppContext, qtbot, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    assert ctx.briefing is not None
    node_id = ctx.briefing.node_by_ref("3.2.1").id
    linked = [ls.source.id for ls in ctx.briefing.node_sources(node_id)]
    dialog = LinkSourceDialog(None, "3.2.1", ctx.briefing.sources, linked)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 4
    qtmodeltester.check(dialog.model)
    dialog.search_edit.setText("economic security")
    assert dialog.model.rowCount() == 2
    assert dialog.choice() is None  # both are cited on 3.2.1 already
    assert not dialog.model.flags(dialog.model.index(0)) & Qt.ItemFlag.ItemIsSelectable
    dialog.search_edit.setText("DEFENSE")
    assert dialog.model.rowCount() == 1
    dialog.quote_edit.setPlainText("defense collaboration")
    choice = dialog.choice()
    assert choice is not None and choice.source.title == VOI and choice.quote == "defense collaboration"
    dialog.search_edit.setText("no such report")
    assert dialog.empty_label.text() == "No source has a title containing “no such report”."
    assert isinstance(dialog.model, SourceSearchModel)


def test_every_focusable_widget_has_an_accessible_name(panel: SourcesPanel, ctx: AppContext) -> None:
    from PySide6.QtWidgets import QWidget

    select(ctx, "2.3.1")
    focusable = [w for w in panel.findChildren(QWidget) if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert len(focusable) >= 10
    assert [type(w).__name__ for w in focusable if not w.accessibleName()] == []


# -- combining two records of one report -----------------------------------------------


def test_combine_two_records_of_one_report_then_undo_and_redo(
    panel: SourcesPanel, ctx: AppContext, seeded_path: Path, qtbot  # type: ignore[no-untyped-def]
) -> None:
    from briefbook.gui.sources.combine_dialog import CombineSourceDialog

    assert ctx.briefing is not None
    b = ctx.briefing
    twin = b.add_source(VOI.upper(), outlet="", url="https://example.org/voi-copy", excerpt="")
    b.link_source(twin.id, b.node_by_ref("2.3.1").id, "the copy's quote on 2.3.1")
    b.link_source(twin.id, b.node_by_ref("1.1.1").id, "the copy's quote on 1.1.1")
    voi = next(s for s in b.sources() if s.title == VOI)
    before = {n.ref: q for n, q in b.source_nodes(voi.id)}
    select(ctx, "2.3.1")
    select_source(panel, VOI)
    assert panel.combine_button.isEnabled()
    offered: list[list[str]] = []

    def pick(parent, keep, search):  # type: ignore[no-untyped-def]
        dialog = CombineSourceDialog(parent, keep, search)  # the real dialog, answered as a user would
        qtbot.addWidget(dialog)
        offered.append([dialog.model.item(r).title for r in range(dialog.model.rowCount())])
        assert dialog.chosen() is not None and dialog.chosen().id == twin.id  # found by the title, any case
        dialog.accept()
        return dialog.chosen()

    panel.ask_combine = pick
    panel.combine_button.click()
    assert offered == [[twin.title]]  # the source itself is not offered
    with on_file(seeded_path) as f:
        assert twin.id not in {s.id for s in f.sources()}
        quotes = {n.ref: q for n, q in f.source_nodes(voi.id)}
        assert quotes["1.1.1"] == "the copy's quote on 1.1.1" and all(quotes[r] == q for r, q in before.items()
                                                                        if r != "2.3.1")
        assert quotes["2.3.1"] == " / ".join(q for q in (before["2.3.1"], "the copy's quote on 2.3.1") if q)
        assert voi.url == "" and f.source(voi.id).url == "https://example.org/voi-copy"  # a gap filled
    assert ctx.undo_stack.undoText().startswith("Combine ")
    ctx.undo_stack.undo()
    with on_file(seeded_path) as f:
        assert {n.ref: q for n, q in f.source_nodes(voi.id)} == before and f.source(voi.id).url == ""
        assert {n.ref: q for n, q in f.source_nodes(twin.id)} == {
            "2.3.1": "the copy's quote on 2.3.1", "1.1.1": "the copy's quote on 1.1.1"}
    ctx.undo_stack.redo()
    with on_file(seeded_path) as f:
        assert twin.id not in {s.id for s in f.sources()} and len(f.source_nodes(voi.id)) == len(before) + 1
