"""Full text: link PDFs to works, extract their text once, search it for a pattern.

``link`` decides which PDF belongs to which work, ``extract`` turns each PDF into text (or a
status saying why it could not), ``search`` counts pattern mentions with their context.
A PDF whose text could not be read is never reported as "no mention": it stays pending.
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = ("ok", "encrypted", "no_text_layer", "garbled", "not_pdf", "broken", "timeout")
