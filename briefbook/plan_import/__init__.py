"""Reading published plans and recognising their structure.

blocks       the readers' common output (`Block`, `Document`) and numbering labels
text_reader  plain text, Markdown and a PDF's page text -> blocks
docx_reader  Word .docx (python-docx) -> blocks
pdf_reader   PDF (pypdf) -> blocks; pdf_tags reads a tagged PDF's structure tree
html_reader  a saved web page (the standard library's HTMLParser) -> blocks
recognizer   blocks -> a `PlanDraft` tree, with the levels it guessed
dates        closing date lines and bare dates
plan_parser  the tidy numbered-text parser (the seed plan's shape), tried before the recognizer

`briefbook.services.plan_import` picks the reader from the file's content and
runs the recognizer (or, for a tidy numbered text, `plan_parser`).
"""
