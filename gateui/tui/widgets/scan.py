"""The scan field: an Input that takes its line on Enter, in the order the keys came.

A keyboard-wedge scanner types a payload and Enter in one burst, and may type the next
one right after. Textual runs a binding (Input's Enter) only once the key has bubbled up
to the app, by which time later keys of the burst are already in the field: "A⏎B" would
submit "AB". This field handles Enter itself, in key order, and empties at once, so the
next scan starts clean; the screen puts the text back when it wants it shown.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class ScanInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            # Submitted first: the screen still sees the matches shown for this line.
            self.post_message(self.Submitted(self, self.value))
            self.value = ""
            return
        await super()._on_key(event)

    def restore(self, text: str) -> None:
        """Show a taken line again (not found, form cancelled), selected so that the next
        scan replaces it; unless the scanner has already typed something new."""
        if not self.value:
            self.value = text
            self.action_select_all()
