"""Small reusable widgets of the gate terminal (their CSS is DEFAULT_CSS, screens use .tcss)."""
