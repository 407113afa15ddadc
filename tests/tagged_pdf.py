"""A small tagged PDF written with pypdf's objects: a structure tree (/H1, /P, /L of /LI with /LBody,
nested lists) over marked content (BDC with an MCID), and /Artifact running heads outside the tree."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

# (tag: "H1" | "H2" | "P" | "LI" | "Artifact" | "Untagged", text with "\n" between lines, list depth)
Entry = tuple[str, str, int]


def _elem(w: PdfWriter, tag: str, kids: object) -> IndirectObject:
    return w._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                           NameObject("/S"): NameObject(f"/{tag}"), NameObject("/K"): kids}))


def make_tagged_pdf(path: Path, pages: list[list[Entry]]) -> None:
    w = PdfWriter()
    font = w._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                           NameObject("/Subtype"): NameObject("/Type1"),
                                           NameObject("/BaseFont"): NameObject("/Helvetica")}))
    doc_kids = ArrayObject()
    for entries in pages:
        page = w.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        ops: list[str] = []
        y, mcid = 740, 0
        lists: dict[int, list[IndirectObject]] = {}  # depth -> [its /L, its latest /LI]
        for tag, text, depth in entries:
            if tag == "Artifact":
                ops.append(f"/Artifact BMC BT /F1 9 Tf 72 770 Td ({text}) Tj ET EMC")
                continue
            if tag == "Untagged":  # content outside the structure tree, as a partly tagged PDF has
                ops.append(f"BT /F1 11 Tf 72 {y} Td ({text}) Tj ET")
                y -= 22
                continue
            ops.append(f"/{'LBody' if tag == 'LI' else tag} <</MCID {mcid}>> BDC BT /F1 11 Tf 72 {y} Td 14 TL")
            for line in text.split("\n"):
                ops.append(f"({line}) Tj T*")
                y -= 14
            ops.append("ET EMC")
            y -= 8
            mcr = DictionaryObject({NameObject("/Type"): NameObject("/MCR"), NameObject("/Pg"): page.indirect_reference,
                                    NameObject("/MCID"): NumberObject(mcid)})
            mcid += 1
            if tag != "LI":
                lists.clear()
                doc_kids.append(_elem(w, tag, ArrayObject([mcr])))
                continue
            li = _elem(w, "LI", ArrayObject([_elem(w, "LBody", ArrayObject([mcr]))]))
            if depth not in lists:
                lst = _elem(w, "L", ArrayObject())
                if depth == 0:
                    doc_kids.append(lst)
                else:
                    lists[depth - 1][1].get_object()["/K"].append(lst)
                lists[depth] = [lst, li]
            lists[depth][0].get_object()["/K"].append(li)
            lists[depth][1] = li
            for deeper in [d for d in lists if d > depth]:
                del lists[deeper]
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = w._add_object(stream)
    document = _elem(w, "Document", doc_kids)
    root = w._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"),
                                           NameObject("/K"): ArrayObject([document])}))
    w._root_object[NameObject("/StructTreeRoot")] = root
    w._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    with path.open("wb") as f:
        w.write(f)
