"""Publish: PDF and HTML from the finished Word documents (convert), through LibreOffice
(office, the only place it runs)."""
