"""Reading published plans (text, Markdown, Word, PDF, web pages) and recognising their structure."""
