"""HQ's read-only web pages: server-rendered HTML, no JavaScript, every value escaped."""
