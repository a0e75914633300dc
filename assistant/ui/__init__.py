"""The Gradio chat app: chat with cited sources, document management, and pluggable tabs.

Nothing here is imported by ``assistant`` itself, so the core never pays for importing Gradio.
"""
