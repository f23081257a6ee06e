"""Context, render, finish: validated data becomes a Word document. context, grammar and
fields make the template context; render fills a template in a bounded sandbox (bounds);
finish makes the package deterministic and accessible; buildrecord stamps what it was
built from."""
